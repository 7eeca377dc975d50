"""Faults from the machine and damaged bookkeeping: exit 2, the file named, a fix, no traceback,
and nothing the user had is lost."""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from pathlib import Path

import pytest
import yaml
from helpers import copy_org, edit_profile, tree_hashes

from aimsdocs.cli import main

FORMATS = "md,html"


def build(org, out, *extra):
    return main(["build", str(org), "--out", str(out), "--format", FORMATS, *extra])


@pytest.fixture
def org(tmp_path):
    return copy_org(tmp_path, with_isms=False)


def clean_failure(capsys, *expect) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    for text in expect:
        assert text in err, (text, err)
    return err


# --- OS errors -----------------------------------------------------------------------------

def test_disk_full_is_exit_2_naming_the_file_and_keeps_old_outputs(org, tmp_path, capsys,
                                                                    monkeypatch):
    out = tmp_path / "out"
    assert build(org, out) == 0
    before = tree_hashes(out)
    edit_profile(org, "size: about 380 employees", "size: about 390 employees")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    capsys.readouterr()
    assert build(org, out) == 2
    err = clean_failure(capsys, "No space left on device", "ENOSPC", "free some disk space")
    assert str(out / "meridian") in err  # the file it could not write
    monkeypatch.undo()
    assert tree_hashes(out) == before  # every file old, none half-written, no .tmp left
    assert build(org, out) == 0  # and the next run simply works


def test_a_file_failing_half_way_through_a_pack_leaves_every_file_old(org, tmp_path, capsys,
                                                                       monkeypatch):
    """Files are staged (written beside their targets, in worker processes) before any is
    renamed into place: when one fails after others were staged, nothing is replaced and
    nothing staged is left behind."""
    from aimsdocs.pipeline import run

    out = tmp_path / "out"
    assert build(org, out) == 0
    before = tree_hashes(out)
    edit_profile(org, "size: about 380 employees", "size: about 390 employees")
    real = run.stage

    def full_for_html(path, data, **options):
        if path.suffix == ".html" and path.name > "p":  # after many others were staged
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, data, **options)

    monkeypatch.setattr(run, "stage", full_for_html)
    capsys.readouterr()
    assert build(org, out) == 2
    clean_failure(capsys, "No space left on device")
    monkeypatch.undo()
    assert tree_hashes(out) == before
    assert not list(out.rglob("*.tmp"))


def test_a_disk_failing_to_flush_the_staged_files_leaves_every_file_old(org, tmp_path, capsys,
                                                                        monkeypatch):
    """The staged files are flushed to disk together after all are written; when that fails
    (an I/O error on fsync), nothing is replaced, the error names a file and nothing staged
    is left behind."""
    from aimsdocs.support import files

    out = tmp_path / "out"
    assert build(org, out) == 0
    before = tree_hashes(out)
    edit_profile(org, "size: about 380 employees", "size: about 390 employees")
    real = os.fsync
    synced = []

    def failing_fsync(fd):
        synced.append(fd)
        if len(synced) == 5:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(fd)

    monkeypatch.setattr(files.os, "fsync", failing_fsync)
    capsys.readouterr()
    assert build(org, out) == 2
    err = clean_failure(capsys, "Input/output error")
    assert ".tmp" not in err and out.name in err  # the file named is the target, not its copy
    monkeypatch.undo()
    assert tree_hashes(out) == before
    assert not list(out.rglob("*.tmp"))


def test_read_only_output_folder(org, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert build(org, out) == 0
    edit_profile(org, "size: about 380 employees", "size: about 390 employees")
    pack = out / "meridian"
    if os.geteuid() == 0:  # root writes through chmod: simulate what a read-only folder does
        import tempfile

        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    else:
        for folder in [pack, *[p for p in pack.rglob("*") if p.is_dir()]]:
            folder.chmod(0o555)
    try:
        capsys.readouterr()
        assert build(org, out) == 2
        clean_failure(capsys, "Permission denied", "choose another --out")
    finally:
        for folder in [pack, *[p for p in pack.rglob("*") if p.is_dir()]]:
            folder.chmod(0o755)


def test_out_pointing_at_a_file(org, tmp_path, capsys):
    target = tmp_path / "notes.txt"
    target.write_text("mine\n", encoding="utf-8")
    assert build(org, target) == 2
    clean_failure(capsys, "notes.txt", "is a file")
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_out_below_a_file(org, tmp_path, capsys):
    target = tmp_path / "notes.txt"
    target.write_text("mine\n", encoding="utf-8")
    assert build(org, target / "sub") == 2
    clean_failure(capsys, "notes.txt", "file")
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_outputs_follow_the_umask(org, tmp_path):
    old = os.umask(0o027)
    try:
        assert build(org, tmp_path / "out") == 0
    finally:
        os.umask(old)
    modes = {p.stat().st_mode & 0o777 for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert modes == {0o640}
    assert (org / "aimsdocs-state.yaml").stat().st_mode & 0o777 == 0o640


def test_stale_temporary_files_are_removed(org, tmp_path):
    out = tmp_path / "out"
    assert build(org, out) == 0
    leftovers = [out / "meridian" / "md" / ".ai-policy.md.k3j2hx.tmp",
                 out / "meridian" / ".statement-of-applicability.xlsx.a1b2c3d4.tmp",
                 org / ".aimsdocs-state.yaml.zz91ab.tmp"]
    for path in leftovers:
        path.write_bytes(b"half")
    keep = out / "meridian" / "md" / "notes.tmp"  # not one of ours: left alone
    keep.write_bytes(b"mine")
    assert build(org, out) == 0
    assert not any(p.exists() for p in leftovers)
    assert keep.read_bytes() == b"mine"


# --- the state file ------------------------------------------------------------------------

def state_path(org: Path) -> Path:
    return org / "aimsdocs-state.yaml"


def test_state_file_has_no_anchors_and_survives_deleting_its_first_entry(org, tmp_path):
    out = tmp_path / "out"
    assert build(org, out) == 0
    assert main(["approve", str(org), "MFS-AIMS-POL-01", "--by", "A. Person",
                 "--date", "2026-12-01"]) == 0  # approval date == revision date: one object
    text = state_path(org).read_text(encoding="utf-8")
    assert "&id" not in text and "*id" not in text
    data = yaml.safe_load(text)
    first = next(iter(data["documents"]))
    del data["documents"][first]
    state_path(org).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert build(org, out) == 0


@pytest.mark.parametrize("old, new, expect", [
    ("    version: '1.0'\n", "    version: [1, 0]\n", None),  # falls back on the history
    ("    revisions:\n", "    revisions: 7\n    old_revisions:\n", "'revisions' must be a list"),
    ("      date: 2026-12-01\n", "      date: soon\n", "'soon' is not a date"),
    ("    sections:\n", "    sections: nope\n    old_sections:\n", "'sections' must be a"),
])
def test_hand_edited_state_values(org, tmp_path, capsys, old, new, expect):
    out = tmp_path / "out"
    assert build(org, out) == 0
    text = state_path(org).read_text(encoding="utf-8")
    assert old in text, old
    state_path(org).write_text(text.replace(old, new, 1), encoding="utf-8")
    capsys.readouterr()
    code = build(org, out)
    if expect is None:
        assert code == 0
        return
    assert code == 2
    clean_failure(capsys, "aimsdocs-state.yaml:", expect, "fix:")


def test_state_entry_missing_keys_and_wrong_types(org, tmp_path, capsys):
    out = tmp_path / "out"
    assert build(org, out) == 0
    data = yaml.safe_load(state_path(org).read_text(encoding="utf-8"))
    docs = data["documents"]
    ids = list(docs)
    del docs[ids[0]]["content_hash"]  # missing: the document simply gets a new revision
    docs[ids[1]]["approval"] = "yes"  # wrong type: named
    docs[ids[2]] = "gone"
    state_path(org).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    capsys.readouterr()
    assert build(org, out) == 2
    err = clean_failure(capsys, f"documents.{ids[1]}.approval", f"documents.{ids[2]}")
    assert err.count("fix:") == 2


def test_approve_honours_source_date_epoch(org, tmp_path, monkeypatch):
    assert build(org, tmp_path / "out") == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01
    assert main(["approve", str(org), "MFS-AIMS-POL-01", "--by", "A. Person"]) == 0
    data = yaml.safe_load(state_path(org).read_text(encoding="utf-8"))
    assert str(data["documents"]["MFS-AIMS-POL-01"]["approval"]["on"]) == "2027-01-01"


def test_approve_during_a_build_waits_and_is_kept(org, tmp_path, monkeypatch):
    """The build holds the organisation's lock; an approval given meanwhile comes after it."""
    from aimsdocs.pipeline import run

    out = tmp_path / "out"
    assert build(org, out) == 0
    edit_profile(org, "size: about 380 employees", "size: about 390 employees")
    real = run.write_pack
    results: dict[str, int] = {}

    def approve():
        results["approve"] = main(["approve", str(org), "MFS-AIMS-MAN-01", "--by", "A. Person",
                                   "--date", "2027-01-02"])

    def slow_write(pack, out_dir, options, **more):
        thread = threading.Thread(target=approve)
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive()  # waiting for the build
        report = real(pack, out_dir, options, **more)
        slow_write.thread = thread
        return report

    monkeypatch.setattr(run, "write_pack", slow_write)
    assert build(org, out) == 0
    slow_write.thread.join(10)
    assert results["approve"] == 0
    data = yaml.safe_load(state_path(org).read_text(encoding="utf-8"))
    scope = data["documents"]["MFS-AIMS-MAN-01"]  # the document the edit changed
    assert scope["approval"]["by"] == "A. Person"
    assert scope["approval"]["version"] == scope["version"] == "1.1"  # the build's new one


def test_two_builds_sharing_a_state_file_keep_their_revision(org, tmp_path, monkeypatch):
    from aimsdocs.pipeline import run

    assert build(org, tmp_path / "a") == 0
    edit_profile(org, "size: about 380 employees", "size: about 390 employees")
    real = run.write_pack
    second: dict[str, int] = {}

    def first_write(pack, out_dir, options, **more):
        monkeypatch.setattr(run, "write_pack", real)
        thread = threading.Thread(target=lambda: second.update(
            code=build(org, tmp_path / "b", "-m", "second")))
        thread.start()
        time.sleep(0.3)
        report = real(pack, out_dir, options, **more)
        first_write.thread = thread
        return report

    monkeypatch.setattr(run, "write_pack", first_write)
    assert build(org, tmp_path / "a", "-m", "first") == 0
    first_write.thread.join(60)
    assert second["code"] == 0
    text = state_path(org).read_text(encoding="utf-8")
    assert "first" in text
    # The second build saw the first one's revision, so both packs show the same history.
    a = (tmp_path / "a" / "meridian" / "md")
    b = (tmp_path / "b" / "meridian" / "md")
    scope = next(a.glob("man-01-*.md")).name
    assert "first" in (a / scope).read_text(encoding="utf-8")
    assert (a / scope).read_text(encoding="utf-8") == (b / scope).read_text(encoding="utf-8")


# --- the manifest --------------------------------------------------------------------------

def manifest_path(out: Path) -> Path:
    return out / "meridian" / ".aimsdocs-manifest.json"


@pytest.mark.parametrize("damage", [
    "[" * 100_000 + "]" * 100_000,
    '{"outputs": []}',
    '{"outputs": {"md/x.md": {"input_hash": 5, "output_hash": "a"}}}',
    '{"outputs": {"md/x.md": {"input_hash": "a"}}}',
    '"just a string"',
], ids=["deep", "outputs-a-list", "hash-a-number", "hash-missing", "a-string"])
def test_damaged_manifest(org, tmp_path, capsys, damage):
    out = tmp_path / "out"
    assert build(org, out) == 0
    manifest_path(out).write_text(damage, encoding="utf-8")
    before = tree_hashes(out)
    capsys.readouterr()
    assert build(org, out) == 2
    clean_failure(capsys, ".aimsdocs-manifest.json", "damaged", "fix:")
    assert tree_hashes(out) == before


def test_manifest_records_the_owner(org, tmp_path):
    out = tmp_path / "out"
    assert build(org, out) == 0
    data = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert data["owner"] == "Meridian Freight Systems GmbH"


# --- SoA cell types ------------------------------------------------------------------------

def _retype_cell(workbook: Path, cell: str, stored: str) -> None:
    """Rewrite one cell of the first sheet as `stored` XML (a type that contradicts its value)."""
    import re
    import zipfile

    with zipfile.ZipFile(workbook) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = sorted(n for n in parts if n.startswith("xl/worksheets/sheet"))[0]
    xml, count = re.subn(rf'<c r="{cell}"[^>]*>.*?</c>', stored, parts[sheet].decode(), count=1)
    assert count == 1
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_text_in_a_numeric_soa_cell_names_the_sheet_and_row(tmp_path, capsys):
    org = copy_org(tmp_path)
    soa = org / "isms" / "statement-of-applicability.xlsx"
    _retype_cell(soa, "C6", '<c r="C6" t="n"><v>Yes</v></c>')
    capsys.readouterr()
    assert build(org, tmp_path / "out") == 2
    clean_failure(capsys, "statement-of-applicability.xlsx", "sheet 'SoA', row 6",
                  "stored type", "fix:")


def test_numbers_and_dates_in_soa_text_columns_are_read_as_text(tmp_path):
    org = copy_org(tmp_path)
    soa = org / "isms" / "statement-of-applicability.xlsx"
    _retype_cell(soa, "D6", '<c r="D6"><v>42</v></c>')  # a number where a justification goes
    assert build(org, tmp_path / "out") == 0
