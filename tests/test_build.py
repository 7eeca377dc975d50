"""Regeneration people can trust: deterministic, incremental, versioned, edit-safe."""

from __future__ import annotations

import shutil
import time

import pytest
import yaml
from helpers import copy_org, edit_profile, tree_hashes, tree_mtimes

from aimsdocs.cli import main

FORMATS = "docx,html,md"


def build(org, out, *extra):
    return main(["build", str(org), "--out", str(out), "--format", FORMATS, *extra])


@pytest.fixture
def org(tmp_path):
    return copy_org(tmp_path)


def test_two_builds_into_different_folders_are_identical(org, tmp_path):
    assert build(org, tmp_path / "a") == 0
    assert build(org, tmp_path / "b") == 0
    a, b = tree_hashes(tmp_path / "a"), tree_hashes(tmp_path / "b")
    assert a == b
    assert any(name.endswith(".docx") for name in a)
    assert any(name.endswith(".xlsx") for name in a)


def test_noop_rebuild_touches_no_file(org, tmp_path, capsys):
    out = tmp_path / "out"
    assert build(org, out) == 0
    before = tree_mtimes(out)
    state_before = (org / "aimsdocs-state.yaml").stat().st_mtime_ns
    time.sleep(0.01)
    capsys.readouterr()
    assert build(org, out) == 0
    assert tree_mtimes(out) == before
    assert (org / "aimsdocs-state.yaml").stat().st_mtime_ns == state_before
    assert "0 file(s) written" in capsys.readouterr().out


def test_change_rewrites_only_affected_documents_and_says_why(org, tmp_path, capsys):
    out = tmp_path / "out"
    assert build(org, out) == 0
    edit_profile(org, "A gradient-boosted regression model retrained weekly",
                 "A gradient-boosted regression model retrained nightly")
    capsys.readouterr()
    assert build(org, out, "--date", "2027-02-01", "-m", "Retraining cadence changed",
                 "--verbose") == 0
    text = capsys.readouterr().out
    written = [line for line in text.splitlines() if line.strip().startswith("wrote")]
    assert written, text
    assert "profile.ai_systems[AIS-01].description changed" in text
    assert len(written) < 30  # far from the whole pack (about 130 files)
    state = yaml.safe_load((org / "aimsdocs-state.yaml").read_text(encoding="utf-8"))
    bumped = {doc_id: d for doc_id, d in state["documents"].items() if d["version"] != "1.0"}
    assert bumped
    for doc in bumped.values():
        last = doc["revisions"][-1]
        assert last["version"] == doc["version"] == "1.1"
        assert str(last["date"]) == "2027-02-01"
        assert "Sections updated" in last["description"]
        assert "Retraining cadence changed" in last["description"]
    unchanged = [d for d in state["documents"].values() if d["version"] == "1.0"]
    assert unchanged


def test_versions_survive_deleting_output(org, tmp_path):
    out = tmp_path / "out"
    assert build(org, out) == 0
    edit_profile(org, "size: about 380 employees", "size: about 400 employees")
    assert build(org, out, "--date", "2027-03-01") == 0
    versions = yaml.safe_load((org / "aimsdocs-state.yaml").read_text(encoding="utf-8"))
    shutil.rmtree(out)
    assert build(org, out, "--date", "2027-03-01") == 0  # the day decides overdue ISMS reviews
    again = yaml.safe_load((org / "aimsdocs-state.yaml").read_text(encoding="utf-8"))
    assert again == versions
    assert any(d["version"] == "1.1" for d in again["documents"].values())


def test_hand_edited_docx_survives_and_force_keeps_backup(org, tmp_path, capsys):
    out = tmp_path / "out"
    assert build(org, out) == 0
    docx = next((out / "meridian" / "docx").glob("pol-01-*.docx"))
    docx.write_bytes(docx.read_bytes() + b"hand edit")
    edit_profile(org, "size: about 380 employees", "size: about 390 employees")
    edited = docx.read_bytes()
    capsys.readouterr()
    assert build(org, out) == 3
    err = capsys.readouterr().err
    assert docx.name in err and "changed by hand" in err and "Traceback" not in err
    assert docx.read_bytes() == edited
    assert build(org, out, "--force") == 0
    backup = docx.with_name(docx.name + ".bak")
    assert backup.read_bytes() == edited
    assert docx.read_bytes() != edited


def test_check_mode_tells_current_from_stale(org, tmp_path, capsys):
    out = tmp_path / "out"
    assert build(org, out, "--check") == 1  # nothing built yet
    assert build(org, out) == 0
    before = tree_mtimes(out)
    assert build(org, out, "--check") == 0
    edit_profile(org, "size: about 380 employees", "size: about 395 employees")
    capsys.readouterr()
    assert build(org, out, "--check") == 1
    assert "out of date" in capsys.readouterr().err
    assert tree_mtimes(out) == before


def test_source_date_epoch_sets_revision_date(org, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert build(org, out) == 0
    edit_profile(org, "size: about 380 employees", "size: about 381 employees")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15
    assert build(org, out) == 0
    state = yaml.safe_load((org / "aimsdocs-state.yaml").read_text(encoding="utf-8"))
    dates = {str(r["date"]) for d in state["documents"].values() for r in d["revisions"]}
    assert "2027-01-15" in dates


def test_approve_is_shown_in_document_control(org, tmp_path):
    from docx import Document

    out = tmp_path / "out"
    assert build(org, out) == 0
    assert main(["approve", str(org), "MFS-AIMS-POL-01", "--by", "Dr. Katrin Vogel",
                 "--date", "2026-12-05"]) == 0
    assert build(org, out) == 0
    docx = next((out / "meridian" / "docx").glob("pol-01-*.docx"))
    text = "\n".join(cell.text for table in Document(docx).tables for row in table.rows
                     for cell in row.cells)
    assert "Dr. Katrin Vogel" in text and "Approved" in text


def test_interrupted_build_leaves_files_old_or_new(org, tmp_path, monkeypatch):
    from aimsdocs.pipeline import run

    out = tmp_path / "out"
    assert build(org, out) == 0
    edit_profile(org, "size: about 380 employees", "size: about 385 employees")
    calls = {"n": 0}
    real = run.commit_staged

    def flaky(staged, path):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        real(staged, path)

    monkeypatch.setattr(run, "commit_staged", flaky)
    assert build(org, out) == 130
    monkeypatch.setattr(run, "commit_staged", real)
    # No file is reported as hand-edited: the journal recognises what was written.
    assert build(org, out) == 0
    assert build(org, out, "--check") == 0
    assert not list(out.rglob("*.tmp"))


def test_batch_builds_many_and_one_failure_does_not_stop_others(tmp_path, capsys):
    orgs = tmp_path / "clients"
    for name in ("alpha", "beta", "gamma"):
        org = copy_org(orgs, name, with_isms=False)
        edit_profile(org, "short_name: Meridian", f"short_name: {name.title()}")
    edit_profile(orgs / "beta", "  size:", "  sizee:")
    code = main(["build", str(orgs), "--out", str(tmp_path / "out"), "--format", "md",
                 "--jobs", "2"])
    captured = capsys.readouterr()
    assert code == 2
    assert (tmp_path / "out" / "alpha").is_dir() and (tmp_path / "out" / "gamma").is_dir()
    assert "2 of 3 organisations built, 1 failed" in captured.out
    assert "sizee" in captured.err


def test_switching_formats_back_and_forth_is_not_a_hand_edit(org, tmp_path):
    out = tmp_path / "out"
    for formats in ("docx", "md", "docx", "md,docx", "html"):
        assert main(["build", str(org), "--out", str(out), "--format", formats]) == 0, formats
    assert main(["build", str(org), "--out", str(out), "--format", "html", "--check"]) == 0


def test_removing_and_re_adding_an_ai_system_is_not_a_hand_edit(org, tmp_path):
    out = tmp_path / "out"
    assert build(org, out) == 0
    profile = (org / "profile.yaml").read_text(encoding="utf-8")
    start = profile.index("  - id: AIS-04")
    end = profile.index("\n  - id:", start + 1) if "\n  - id:" in profile[start + 1:] else None
    block = profile[start:end + 1] if end else profile[start:]
    (org / "profile.yaml").write_text(profile.replace(block, ""), encoding="utf-8")
    assert build(org, out) == 0
    (org / "profile.yaml").write_text(profile, encoding="utf-8")
    assert build(org, out) == 0
    assert build(org, out, "--check") == 0


def test_default_output_is_a_short_summary_and_quiet_prints_nothing(org, tmp_path, capsys):
    out = tmp_path / "out"
    assert build(org, out) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) <= 6 and "file(s) written" in "\n".join(lines)
    edit_profile(org, "size: about 380 employees", "size: about 385 employees")
    assert main(["build", str(org), "--out", str(out), "--format", FORMATS, "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    edit_profile(org, "size: about 385 employees", "size: about 386 employees")
    assert main(["build", str(org), "--out", str(out), "--format", FORMATS]) == 0
    text = capsys.readouterr().out
    assert "AIMS scope and context: profile.organisation.size changed" in text
    assert "wrote " not in text  # files are listed with --verbose only


def test_global_options_after_the_subcommand(org, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(org), "--out", str(out), "--format", "md", "--quiet",
                 "--debug"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["--quiet", "validate", str(org)]) == 0
    assert main(["validate", str(org), "-q"]) == 0
    assert capsys.readouterr().out == ""


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for code in ("0 ", "1 ", "2 ", "3 ", "70 ", "130 "):
        assert f"\n  {code}" in text, code


def test_outputs_produced_in_spawned_workers_equal_serial_ones(tmp_path, monkeypatch):
    """Where the platform cannot fork (macOS, Windows), workers spawn and give the same bytes."""
    import multiprocessing

    from aimsdocs.pipeline import run as run_module
    from aimsdocs.pipeline.options import BuildOptions
    from aimsdocs.pipeline.prepare import prepare

    org = copy_org(tmp_path)
    pack = prepare(org, BuildOptions(formats=("md", "html")))
    outputs = pack.outputs[:20]
    serial = run_module.produce_all(outputs, parallel=False)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(run_module, "SPAWN_MIN_OUTPUTS", 0)
    monkeypatch.setattr(run_module.os, "cpu_count", lambda: 2)
    assert run_module.produce_all(outputs, parallel=True) == serial


def test_manifest_stores_what_a_document_read_once_and_reads_the_old_layout(org, tmp_path,
                                                                             capsys):
    import json

    out = tmp_path / "out"
    assert build(org, out) == 0
    path = out / "meridian" / ".aimsdocs-manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    documents = {r["document"] for r in data["outputs"].values() if r["document"]}
    assert data["format"] == 2
    assert 0 < len(data["reads"]) <= len(documents)  # not once per format
    # A folder written by an earlier release held each record's reads inline.
    for record in data["outputs"].values():
        if "reads" in record:
            record["reads"] = data["reads"][record["reads"]]
    old = {"format": 1, "owner": data["owner"], "outputs": data["outputs"], "pending": {}}
    path.write_text(json.dumps(old, indent=1), encoding="utf-8")
    edit_profile(org, "A gradient-boosted regression model retrained weekly",
                 "A gradient-boosted regression model retrained nightly")
    capsys.readouterr()
    assert build(org, out, "--verbose") == 0
    text = capsys.readouterr().out
    assert "profile.ai_systems[AIS-01].description changed" in text
    assert "changed by hand" not in text


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="outputs are produced early only where workers fork")
def test_outputs_produced_while_rendering_equal_serial_ones(org, tmp_path, monkeypatch):
    """On several cores the workbooks, then each document's files, are produced in workers
    while the documents render; every file is the one a single-process build writes, and a
    rebuild with nothing changed starts no worker."""
    from aimsdocs.pipeline import run

    early: list[int] = []  # outputs given to the workers, per build
    real = run.EarlyOutputs.add

    def add(self, outputs):
        real(self, outputs)
        if self._pool is not None:
            early[-1] = len(self._jobs)

    def counted(out) -> int:
        early.append(0)
        return build(org, out)

    monkeypatch.setattr(run.EarlyOutputs, "add", add)
    monkeypatch.setattr(run.os, "cpu_count", lambda: 2)
    assert counted(tmp_path / "early") == 0
    assert early[-1] > 100  # every document's formats and the workbooks
    assert counted(tmp_path / "early") == 0
    assert early[-1] == 0  # nothing changed: no worker
    monkeypatch.setattr(run.os, "cpu_count", lambda: 1)
    assert counted(tmp_path / "serial") == 0
    assert early[-1] == 0
    assert tree_hashes(tmp_path / "early") == tree_hashes(tmp_path / "serial")


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="outputs are produced early only where workers fork")
@pytest.mark.parametrize("module, writer", [("registers", "render_registers"),
                                            ("html", "write_document")])
def test_an_output_failing_in_an_early_worker_writes_nothing(org, tmp_path, monkeypatch,
                                                             capsys, module, writer):
    """A workbook (started once the plan is made) or a document (once it is rendered)."""
    import importlib

    from aimsdocs.pipeline import run

    monkeypatch.setattr(importlib.import_module(f"aimsdocs.writers.{module}"), writer,
                        _broken_writer)
    monkeypatch.setattr(run.os, "cpu_count", lambda: 2)
    out = tmp_path / "out"
    assert build(org, out) != 0
    assert "writer failed" in capsys.readouterr().err
    assert not [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".aimsdocs")]


def _broken_writer(*args):  # module level: the worker receives it pickled
    raise RuntimeError("writer failed")


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="outputs are produced early only where workers fork")
def test_a_failed_build_lets_running_workers_finish_and_drops_queued_ones(org, tmp_path,
                                                                          monkeypatch):
    """Killing a worker while it sends its result can leave the result queue's lock held and
    the build waiting on it for ever (how Pool.terminate hung CI, about one failed build in
    fifty). So a failed build never kills a busy worker: the running task finishes, its
    file is removed, and tasks not started yet never start."""
    import functools

    from aimsdocs.pipeline import run
    from aimsdocs.pipeline.options import BuildOptions, Output
    from aimsdocs.profile import load_org

    monkeypatch.setattr(run.os, "cpu_count", lambda: 2)
    out, marks = tmp_path / "out", tmp_path / "marks"
    marks.mkdir()
    outputs = [Output(f"md/file-{i}.md", f"input-{i}", functools.partial(_marked, marks, i))
               for i in range(40)]
    with pytest.raises(KeyError), run.EarlyOutputs(BuildOptions(out=out)) as early:
        early.start(load_org(org), [], documents=100)
        for output in outputs:
            early.add([output])
        assert early.pool is not None
        time.sleep(0.2)  # the first tasks are running
        raise KeyError("a document failed to render")
    done = sorted(int(p.name) for p in marks.iterdir())
    assert done and done[0] == 0  # ran to the end, not killed
    assert len(done) < len(outputs)  # the queue was dropped, not worked through
    assert not [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".aimsdocs")]


def _marked(folder, number):  # module level: the worker receives it pickled
    time.sleep(0.3)
    (folder / str(number)).write_text("done")
    return b"produced"


def test_a_build_leaves_nothing_frozen_and_frees_what_the_check_read(org, tmp_path,
                                                                    monkeypatch):
    """A build keeps its objects out of the collector's scans while it runs (support.heap).
    Run in-process, as a batch does, it must hand them all back, or a long run of packs would
    hold every earlier pack's garbage; a failed build too. The check's reading is freed on
    its own, without waiting for a collection."""
    import gc
    import weakref

    from aimsdocs import check
    from aimsdocs.check import model

    read = []
    original = model.read_pack

    def read_pack(*args):
        documents = original(*args)
        read.extend(weakref.ref(d) for d in documents)
        return documents

    monkeypatch.setenv("AIMSDOCS_NO_CACHE", "1")  # the check really runs
    gc.collect()
    check.read_pack = read_pack
    try:
        assert build(org, tmp_path / "out") == 0
    finally:
        check.read_pack = original
    assert gc.get_freeze_count() == 0
    assert read and all(ref() is None for ref in read)
    edit_profile(org, "legal_name:", "legal_name: [")  # a YAML error: the build fails
    assert build(org, tmp_path / "out") == 2
    assert gc.get_freeze_count() == 0
