"""Hostile organisation folders are refused or contained: exit 2, bounded memory and time,
nothing outside --out written, no user file replaced."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from helpers import REPO, copy_org, edit_profile, tree_hashes
from hostile import alias_bomb, entity_bomb_xml, lying_docx

from aimsdocs.cli import main

FORMATS = "md"


def build(org, out, *extra):
    return main(["build", str(org), "--out", str(out), "--format", FORMATS, *extra])


@pytest.fixture
def org(tmp_path):
    return copy_org(tmp_path)


def refused(capsys, code, *expect) -> str:
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err, err
    for text in expect:
        assert text in err, (text, err)
    return err


FRONT = ("---\nid: POL-01\ntitle: AI policy\ntype: policy\norder: 20\n"
         "addresses: [\"5\", \"5.1\", \"5.2\", A.2.2, A.2.3, A.2.4]\n---\n")


def override(org: Path, body: str, name: str = "ai-policy.md.j2") -> Path:
    (org / "templates").mkdir(exist_ok=True)
    path = org / "templates" / name
    path.write_text(FRONT + body, encoding="utf-8")
    return path


# --- templates -----------------------------------------------------------------------------

@pytest.mark.parametrize("include", ["/etc/passwd", "../../profile.yaml", "../profile.yaml",
                                     "C:/Windows/win.ini"])
def test_template_include_outside_the_search_path_is_refused(org, tmp_path, capsys, include):
    path = override(org, f'{{% include "{include}" %}}\n')
    code = build(org, tmp_path / "out")
    refused(capsys, code, str(path), "template include refused")
    assert not (tmp_path / "out").exists() or "root:" not in "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.md"))


def test_template_include_through_a_link_out_of_the_folder_is_refused(org, tmp_path, capsys):
    secret = tmp_path / "secret.md.j2"
    secret.write_text("TOP SECRET\n", encoding="utf-8")
    override(org, '{% include "_linked.md.j2" %}\n')
    (org / "templates" / "_linked.md.j2").symlink_to(secret)
    code = build(org, tmp_path / "out")
    refused(capsys, code, "_linked.md.j2", "outside")


def test_template_including_a_sibling_still_works(org, tmp_path):
    override(org, 'Before\n{% include "_part.md.j2" %}\nAfter\n')
    (org / "templates" / "_part.md.j2").write_text("A shared paragraph.\n", encoding="utf-8")
    assert build(org, tmp_path / "out") == 0
    policy = next((tmp_path / "out" / "meridian" / "md").glob("pol-01-*.md"))
    assert "A shared paragraph." in policy.read_text(encoding="utf-8")


@pytest.mark.parametrize("body, expect", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
     "loops over more than"),
    ('{{ "x" * 10000000000 }}\n', "builds a value longer than"),
    ("{{ 10 ** 100000000 }}\n", "too large"),
    ("{% for i in range(90000) %}{% for s in systems %}"
     "{{ 'paragraph ' * 100 }}{% endfor %}{% endfor %}\n", "writes more than"),
])
def test_runaway_template_is_stopped(org, tmp_path, capsys, body, expect):
    path = override(org, body)
    started = time.monotonic()
    code = build(org, tmp_path / "out")
    refused(capsys, code, str(path), expect)
    assert time.monotonic() - started < 60


def test_endless_template_hits_the_time_limit(org, tmp_path, capsys, monkeypatch):
    from aimsdocs.render import budget

    monkeypatch.setattr(budget, "MAX_SECONDS", 1.0)
    path = override(org, "{% for s in systems * 1000 %}{% for t in systems * 1000 %}"
                         "{% for u in systems * 100 %}{% endfor %}{% endfor %}{% endfor %}\n")
    code = build(org, tmp_path / "out")
    refused(capsys, code, str(path), "took longer than 1 seconds")


@pytest.mark.parametrize("body, kind", [
    ("{{ 1 // 0 }}\n", "ZeroDivisionError"),
    ("{{ systems[99] }}\n", "undefined"),
    ("{{ [1, 2][7] }}\n", "undefined"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}\n", "recursion"),
    ('{% include "_missing.md.j2" %}\n', "not found"),
    ("{{ '%d' % 'text' }}\n", "TypeError"),
])
def test_template_runtime_errors_are_exit_2(org, tmp_path, capsys, body, kind):
    override(org, body)
    refused(capsys, build(org, tmp_path / "out"), kind)


# --- links out of the organisation folder ------------------------------------------------

@pytest.mark.parametrize("name", ["templates", "brand", "mappings"])
def test_input_folder_linked_out_of_the_organisation_is_refused(org, tmp_path, capsys, name):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (org / name).symlink_to(elsewhere, target_is_directory=True)
    refused(capsys, build(org, tmp_path / "out"), name, "outside the organisation folder")


def test_file_linked_out_of_brand_is_refused(org, tmp_path, capsys):
    (org / "brand").mkdir()
    (org / "brand" / "logo.png").symlink_to("/etc/passwd")
    refused(capsys, build(org, tmp_path / "out"), "logo.png", "outside the organisation folder")


def test_profile_linked_out_of_the_organisation_is_refused(org, tmp_path, capsys):
    real = tmp_path / "real-profile.yaml"
    shutil.move(org / "profile.yaml", real)
    (org / "profile.yaml").symlink_to(real)
    refused(capsys, build(org, tmp_path / "out"), "profile.yaml", "outside")


def test_links_inside_the_organisation_are_fine(org, tmp_path):
    (org / "brand").mkdir()
    (org / "shared").mkdir()
    (org / "shared" / "accent-colour.txt").write_text("336699\n", encoding="utf-8")
    (org / "brand" / "accent-colour.txt").symlink_to(org / "shared" / "accent-colour.txt")
    assert build(org, tmp_path / "out") == 0


# --- zips and XML --------------------------------------------------------------------------

def test_docx_whose_zip_directory_lies_fails_fast(org, tmp_path, capsys):
    bad = org / "isms" / "policies" / "lying-policy.docx"
    data = lying_docx()
    assert len(data) < 3 * 2**20  # 2 MB on disk, 2 GiB inflated, 4 KB declared
    bad.write_bytes(data)
    started = time.monotonic()
    refused(capsys, build(org, tmp_path / "out"), "lying-policy.docx",
            "more than the archive's directory declares")
    assert time.monotonic() - started < 30


def test_reference_docx_that_lies_is_refused(org, tmp_path, capsys):
    (org / "brand").mkdir()
    (org / "brand" / "reference.docx").write_bytes(lying_docx(64))
    refused(capsys, build(org, tmp_path / "out"), "reference.docx", "declares")


def test_workbook_with_an_entity_bomb_is_refused(org, tmp_path, capsys):
    soa = next((org / "isms").glob("*applicability*.xlsx"))
    with zipfile.ZipFile(soa) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["[Content_Types].xml"] = entity_bomb_xml()
    with zipfile.ZipFile(soa, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    refused(capsys, build(org, tmp_path / "out"), soa.name, "DTD")


def test_openpyxl_parses_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


# --- YAML bombs ----------------------------------------------------------------------------

def add_alias_bomb(profile: Path) -> None:
    bomb = "".join(f"x-{line}\n" for line in alias_bomb().splitlines())
    profile.write_text(profile.read_text(encoding="utf-8") + bomb, encoding="utf-8")


def test_alias_bomb_in_profile(org, tmp_path, capsys):
    add_alias_bomb(org / "profile.yaml")
    refused(capsys, build(org, tmp_path / "out"), "profile.yaml", "alias")


def test_alias_bomb_in_state_file(org, tmp_path, capsys):
    (org / "aimsdocs-state.yaml").write_text(alias_bomb(), encoding="utf-8")
    refused(capsys, build(org, tmp_path / "out"), "aimsdocs-state.yaml", "alias")


def test_alias_bomb_in_org_mappings(org, tmp_path, capsys):
    (org / "mappings").mkdir()
    (org / "mappings" / "ours.yaml").write_text(alias_bomb(), encoding="utf-8")
    refused(capsys, build(org, tmp_path / "out"), "ours.yaml", "alias")


# --- the whole hostile folder, in a process of its own ------------------------------------

MEMORY_LIMIT = int(1.5 * 2**30)


def _hostile_folder(base: Path) -> tuple[Path, list[tuple[str, str]]]:
    """An organisation folder with every trick at once, and how to remove each in turn."""
    org = copy_org(base)
    (org / "templates").mkdir()
    (org / "templates" / "ai-policy.md.j2").write_text(
        FRONT + '{% include "/etc/passwd" %}\n', encoding="utf-8")
    (org / "brand").mkdir()
    (org / "brand" / "logo.png").symlink_to("/etc/hostname")
    (org / "isms" / "policies" / "lying.docx").write_bytes(lying_docx())
    add_alias_bomb(org / "profile.yaml")
    fixes = [  # in the order a build meets them
        ("outside the organisation folder", "brand/logo.png"),
        ("alias", "profile.yaml"),
        ("lying.docx", "isms/policies/lying.docx"),
        ("template include refused", "templates/ai-policy.md.j2"),
    ]
    return org, fixes


def _run_measured(args: list[str], cwd: Path) -> tuple[int, str, float, int]:
    """Exit code, stderr, seconds and peak memory (bytes) of one CLI run in a child process."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    child = subprocess.run([sys.executable, "-m", "aimsdocs", *args], cwd=cwd, env=env,
                           capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
    return child.returncode, child.stderr, seconds, max(peak, before * 1024)


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss units and symlinks")
def test_hostile_folder_is_refused_with_bounded_memory(tmp_path):
    org, fixes = _hostile_folder(tmp_path)
    out = tmp_path / "out"
    figures = []
    for expect, culprit in fixes:
        code, err, seconds, peak = _run_measured(
            ["build", str(org), "--out", str(out), "--format", "md"], tmp_path)
        figures.append((culprit, code, round(seconds, 1), peak // 2**20))
        assert code == 2, err
        assert "Traceback" not in err and expect in err, err
        assert peak < MEMORY_LIMIT, figures
        target = org / culprit
        if culprit == "profile.yaml":
            shutil.copy(REPO / "sample_org" / "profile.yaml", target)
        else:
            target.unlink()
    assert not out.exists() or not any(out.rglob("*.md"))
    code, err, seconds, peak = _run_measured(
        ["build", str(org), "--out", str(out), "--format", "md"], tmp_path)
    assert code == 0, err  # with every trick removed the same folder builds
    print("hostile-folder runs (culprit, exit, seconds, peak MiB):", figures)


# --- --out and the pack folder -------------------------------------------------------------

def test_out_may_not_be_the_file_system_root(org, capsys):
    refused(capsys, build(org, Path("/")), "root of the file system")


@pytest.mark.parametrize("place", [".", "isms", "templates", "brand", "mappings", "isms/new"])
def test_out_may_not_be_the_organisation_or_an_input_folder(org, capsys, place):
    before = tree_hashes(org)
    refused(capsys, build(org, org / place), "--out")
    assert tree_hashes(org) == before


def test_pack_folder_named_like_the_organisation_folder_is_refused(tmp_path, capsys):
    org = copy_org(tmp_path, "meridian")
    refused(capsys, build(org, tmp_path), "organisation folder itself")


def test_a_pack_folder_linked_out_of_out_is_refused(org, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "meridian").symlink_to(elsewhere, target_is_directory=True)
    refused(capsys, build(org, out), "outside the output folder")
    assert not any(elsewhere.iterdir())


@pytest.mark.parametrize("linked", ["folder", "file"])
def test_a_format_folder_or_a_file_linked_out_of_the_pack_is_refused(org, tmp_path, capsys,
                                                                     linked):
    """Output paths are checked per folder and per file (a link at either level)."""
    out = tmp_path / "out"
    assert build(org, out) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    md = out / "meridian" / "md"
    if linked == "folder":
        shutil.rmtree(md)
        md.symlink_to(elsewhere, target_is_directory=True)
    else:
        policy = next(md.glob("pol-01-*.md"))
        policy.unlink()
        policy.symlink_to(elsewhere / "victim.md")
    capsys.readouterr()
    refused(capsys, build(org, out), "outside the output folder")
    assert not any(elsewhere.iterdir())


def test_dangling_bak_link_does_not_lead_force_outside(org, tmp_path, capsys):
    out = tmp_path / "out"
    assert build(org, out) == 0
    policy = next((out / "meridian" / "md").glob("pol-01-*.md"))
    policy.write_text("edited by hand\n", encoding="utf-8")
    victim = tmp_path / "outside" / "victim.txt"
    victim.parent.mkdir()
    policy.with_name(policy.name + ".bak").symlink_to(victim)
    capsys.readouterr()
    assert build(org, out, "--force") == 0
    assert not victim.exists()
    backup = policy.with_name(policy.name + ".bak2")
    assert backup.read_text(encoding="utf-8") == "edited by hand\n"


# --- two organisations, one --out ----------------------------------------------------------

def _other_org(base: Path, name: str, legal: str, short: str = "Meridian") -> Path:
    org = copy_org(base, name, with_isms=False)
    edit_profile(org, "legal_name: Meridian Freight Systems GmbH", f"legal_name: {legal}")
    edit_profile(org, "short_name: Meridian", f"short_name: {short}")
    return org


def test_second_organisation_with_the_same_short_name_is_refused(tmp_path, capsys):
    first = _other_org(tmp_path, "first", "Meridian Freight Systems GmbH")
    second = _other_org(tmp_path, "second", "Meridian Dental Labs Ltd")
    out = tmp_path / "out"
    assert build(first, out) == 0
    before = tree_hashes(out)
    capsys.readouterr()
    refused(capsys, build(second, out), "Meridian Freight Systems GmbH",
            "Meridian Dental Labs Ltd", "short_name")
    assert tree_hashes(out) == before


def test_batch_with_two_organisations_sharing_a_folder(tmp_path, capsys):
    clients = tmp_path / "clients"
    _other_org(clients, "a", "Meridian Freight Systems GmbH")
    _other_org(clients, "b", "Meridian Dental Labs Ltd")
    _other_org(clients, "c", "Northwind Traders", short="Northwind")
    code = main(["build", str(clients), "--out", str(tmp_path / "out"), "--format", "md"])
    captured = capsys.readouterr()
    assert code == 2
    assert "would share the pack folder 'meridian/'" in captured.err
    assert "1 of 3 organisations built, 2 failed" in captured.out
    assert not (tmp_path / "out" / "meridian").exists()
    assert (tmp_path / "out" / "northwind").is_dir()


def test_non_latin_names_get_their_own_folders(tmp_path):
    out = tmp_path / "out"
    names = [("Меридиан", "Меридиан Логистика ООО"), ("Μεσημβρινός", "Μεσημβρινός ΑΕ"),
             ("子午线", "子午线物流有限公司")]
    for index, (short, legal) in enumerate(names):
        assert build(_other_org(tmp_path, f"o{index}", legal, short), out) == 0
    folders = sorted(p.name for p in out.iterdir())
    assert folders == ["meridian", "mesimvrinos", "ziwuxian"]


# --- single files the user names ---------------------------------------------------------

def test_soa_out_never_replaces_the_profile(org, capsys):
    before = (org / "profile.yaml").read_bytes()
    refused(capsys, main(["soa", str(org), "--out", str(org / "profile.yaml")]), ".xlsx")
    assert (org / "profile.yaml").read_bytes() == before


def test_soa_out_refuses_a_users_workbook_unless_forced(org, capsys):
    theirs = next((org / "isms").glob("*applicability*.xlsx"))
    before = theirs.read_bytes()
    refused(capsys, main(["soa", str(org), "--out", str(theirs)]), "did not write", "--force")
    assert theirs.read_bytes() == before
    assert main(["soa", str(org), "--out", str(theirs), "--force"]) == 0
    assert theirs.with_name(theirs.name + ".bak").read_bytes() == before
    assert theirs.read_bytes() != before


def test_soa_out_replaces_its_own_file(org, tmp_path):
    target = tmp_path / "soa.xlsx"
    assert main(["soa", str(org), "--out", str(target)]) == 0
    assert main(["soa", str(org), "--out", str(target)]) == 0  # ours: replaced, no backup
    assert not target.with_name("soa.xlsx.bak").exists()
    target.write_bytes(target.read_bytes() + b"\0")  # changed since: the user's now
    assert main(["soa", str(org), "--out", str(target)]) == 2
    written = json.loads((tmp_path / ".aimsdocs-written.json").read_text(encoding="utf-8"))
    assert "soa.xlsx" in written["files"]


def test_crosswalk_out_refuses_a_users_file(tmp_path, capsys):
    theirs = tmp_path / "notes.md"
    theirs.write_text("my notes\n", encoding="utf-8")
    refused(capsys, main(["crosswalk", "--out", str(theirs)]), "did not write")
    assert theirs.read_text(encoding="utf-8") == "my notes\n"
    assert main(["crosswalk", "--out", str(theirs), "--force"]) == 0
    assert theirs.with_name("notes.md.bak").read_text(encoding="utf-8") == "my notes\n"
