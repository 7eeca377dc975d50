"""The no-op rebuild: answered from the stamp, with no planner, template or writer library."""

from __future__ import annotations

import subprocess
import sys

from helpers import copy_org

from aimsdocs.cli import main

PROBE = """
import sys
from aimsdocs.cli import main
code = main(["build", sys.argv[1], "--out", sys.argv[2]])
heavy = ("openpyxl", "docx", "lxml", "jinja2", "pydantic", "markdown", "aimsdocs.plan")
print(code, " ".join(m for m in heavy if m in sys.modules))
"""


def probe(org, out) -> tuple[int, str]:
    result = subprocess.run([sys.executable, "-c", PROBE, str(org), str(out)],
                            capture_output=True, text=True, check=True)
    code, _, loaded = result.stdout.strip().splitlines()[-1].partition(" ")
    return int(code), loaded


def test_noop_rebuild_loads_no_writer_library_and_rewrites_nothing(tmp_path, capsys):
    org = copy_org(tmp_path, with_isms=False)
    out = tmp_path / "out"
    assert main(["build", str(org), "--out", str(out)]) == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert probe(org, out) == (0, "")
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_any_change_takes_the_full_path(tmp_path, capsys):
    org = copy_org(tmp_path, with_isms=False)
    out = tmp_path / "out"
    assert main(["build", str(org), "--out", str(out)]) == 0
    profile = org / "profile.yaml"
    profile.write_text(profile.read_text("utf-8").replace("retrained weekly",
                                                          "retrained nightly", 1), "utf-8")
    code, loaded = probe(org, out)
    assert code == 0 and "aimsdocs.plan" in loaded
    assert probe(org, out) == (0, "")  # and the next build is a no-op again
    docx = next((out / "meridian" / "docx").glob("*.docx"))
    docx.write_bytes(docx.read_bytes() + b"edited")
    code, loaded = probe(org, out)
    assert code == 3 and "aimsdocs.plan" in loaded  # a hand edit is never passed over
