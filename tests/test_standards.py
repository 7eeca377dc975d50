"""Catalogues and crosswalk: the ids a user looks up are all there, and the crosswalk is sound."""

from __future__ import annotations

import csv
import json

import pytest

from aimsdocs.cli import main
from aimsdocs.errors import InputError
from aimsdocs.standards import RELATIONSHIPS, load_standards
from aimsdocs.standards.catalogue import normalise_id


@pytest.fixture(scope="module")
def standards():
    return load_standards()


def _reference(reference_dir, name):
    with open(reference_dir / name, encoding="utf-8") as handle:
        return {row["id"]: row for row in csv.DictReader(handle, delimiter="\t")}


def test_iso42001_counts(standards):
    cat = standards.iso42001
    assert len(cat.of_kind("clause")) == 43
    assert len(cat.of_kind("control")) == 38
    assert len(cat.of_kind("objective")) == 11
    assert {c.id for c in cat.controls()} >= {"A.2.2", "A.6.2.8", "A.10.4"}


def test_iso27001_counts_and_themes(standards):
    cat = standards.iso27001
    controls = cat.controls()
    assert len(controls) == 93
    assert {c.theme for c in controls} == {"organizational", "people", "physical", "technological"}
    assert cat["A.8.15"].theme == "technological"
    assert len(cat.of_kind("clause")) == 41


def test_iso27001_2013_has_114_controls_each_mapped(standards):
    old = standards.iso27001_2013
    assert len(old.controls()) == 114
    for control in old.controls():
        assert control.maps_to, control.id
        for new_id in control.maps_to:
            assert new_id in standards.iso27001
    assert standards.translate_2013("A.12.4.1") == ["A.8.15"]


def test_iso9001_clauses(standards):
    assert len(standards.iso9001.of_kind("clause")) == 91
    assert "8.3.4" in standards.iso9001


@pytest.mark.parametrize("standard,name", [
    ("iso42001", "iso42001.tsv"), ("iso27001", "iso27001_2022.tsv"),
    ("iso9001", "iso9001_2015.tsv"),
])
def test_ids_and_titles_match_reference(standards, reference_dir, standard, name):
    reference = _reference(reference_dir, name)
    cat = standards.catalogue(standard)
    ours = {e.id: e for e in cat.requirements()}
    assert set(ours) == set(reference)
    if standard != "iso9001":  # 9001 rows without a title of their own get ours
        for item_id, row in reference.items():
            assert ours[item_id].title == row["short_title"], item_id


def test_documented_information_recorded(standards, reference_dir):
    with open(reference_dir / "iso42001_documented_information.tsv", encoding="utf-8") as f:
        refs = {row["ref"].split()[0] for row in csv.DictReader(f, delimiter="\t")}
    for ref in refs:
        assert standards.iso42001[ref].documented_information, ref


def test_every_42001_requirement_has_crosswalk_entries_both_ways(standards):
    for req in standards.iso42001.requirements():
        for target in ("iso27001", "iso9001"):
            assert standards.crosswalk.links_from(req.id, target), (req.id, target)


def test_crosswalk_is_substantial_and_valid(standards):
    links = standards.crosswalk.links
    real = [link for link in links if link.relationship != "no_relationship"]
    assert len(real) > 100
    assert {link.relationship for link in links} <= set(RELATIONSHIPS)
    assert all(1 <= link.strength <= 10 for link in links)
    assert all(link.note for link in links)


def test_practitioner_links(standards):
    def targets(source, standard):
        return {link.target for link in standards.crosswalk.related_links(source)
                if link.target_standard == standard}

    assert "A.8.15" in targets("A.6.2.8", "iso27001")
    assert {"A.5.19", "A.5.20"} <= targets("A.10.3", "iso27001")
    assert "A.5.24" in targets("A.8.4", "iso27001") or "A.5.26" in targets("A.8.4", "iso27001")
    assert "7.5.3" in targets("7.5.3", "iso27001")
    assert any(t.startswith("8.3") for t in targets("A.6.1.3", "iso9001"))
    no_rel = standards.crosswalk.links_from("A.5.5", "iso27001")
    assert [link.relationship for link in no_rel] == ["no_relationship"]


def test_crosswalk_corrections_of_the_lead_auditor_review(standards):
    def link(source, standard, target):
        return next((x for x in standards.crosswalk.links_from(source, standard)
                     if x.target == target), None)

    assert link("A.8.2", "iso27001", "A.5.37").strength == 1
    assert link("A.6.2.7", "iso27001", "A.5.37").strength == 2
    assert link("A.6.2.3", "iso27001", "A.5.37") is None
    assert link("A.4.4", "iso27001", "A.8.19") is None
    assert link("A.10.4", "iso27001", "A.5.14") is None
    assert link("A.3.2", "iso27001", "A.5.3").strength == 2
    assert link("A.8.3", "iso27001", "A.5.5").strength == 2
    assert link("6.2", "iso27001", "6.2").relationship == "equal"
    # Impact assessment: one judgement for 6.1.4, 8.4 and A.5.2 against the DPIA control.
    assert {link(s, "iso27001", "A.5.34").strength for s in ("6.1.4", "8.4", "A.5.2")} == {3}
    assert (link("A.5.4", "iso27001", "A.5.34").relationship, link("A.5.4", "iso27001",
            "A.5.34").strength) == ("intersects_with", 3)
    assert link("A.6.1.2", "iso27001", "6.2").strength in (3, 4)
    # Same wording, another subject: leadership, roles, competence, awareness, monitoring.
    for source in ("5.1", "5.3", "6.2", "7.2", "7.3", "9.1"):
        assert link(source, "iso27001", source).subject_specific
    assert not link("9.2", "iso27001", "9.2").subject_specific
    assert "Statement of Applicability" in link("4.3", "iso9001", "4.3").note


@pytest.mark.parametrize("text,expected", [
    ("A 5.15", "A.5.15"), ("A5.15", "A.5.15"), ("A.05.01", "A.5.1"), ("annex a 5.15", "A.5.15"),
    ("7.5", "7.5"), ("a.8.15", "A.8.15"),
])
def test_normalise_id(text, expected):
    assert normalise_id(text) == expected


def test_catalog_json_lists_the_81_reference_ids(capsys):
    assert main(["catalog", "iso42001", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) == 81
    assert all({"id", "kind", "title"} <= set(i) for i in items)


def test_catalog_iso27001_json(capsys):
    assert main(["catalog", "iso27001", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len([i for i in items if i["kind"] == "control"]) == 93
    assert len([i for i in items if i["kind"] == "clause"]) == 41


def test_map_inverse_view(capsys):
    assert main(["map", "A.8.15", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(r["target"] == "A.6.2.8" and r["target_standard"] == "iso42001" for r in rows)
    assert all({"source", "target", "target_standard", "relationship", "strength"} <= set(r)
               for r in rows)


def test_map_2013_id_is_translated(capsys):
    assert main(["map", "A.12.4.1", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(r["target"] == "A.6.2.8" for r in rows)
    assert all("A.8.15" in r["via"] for r in rows)


def test_map_unknown_id_suggests(capsys):
    assert main(["map", "A.6.2.88"]) == 2
    err = capsys.readouterr().err
    assert "unknown id" in err and "did you mean" in err and "Traceback" not in err


def test_user_mapping_adds_changes_and_removes(tmp_path):
    layer = tmp_path / "mine.yaml"
    layer.write_text(
        "links:\n"
        "  - {source: A.6.2.8, target_standard: iso27001, target: A.8.16,"
        " relationship: intersects_with, rationale: functional, strength: 7, note: monitoring}\n"
        "  - {source: A.6.2.8, target_standard: iso27001, target: A.8.15,"
        " relationship: equal, rationale: semantic, strength: 9}\n"
        "  - {source: A.10.3, target_standard: iso27001, target: A.5.19, relationship: remove}\n",
        encoding="utf-8")
    base = load_standards()
    mine = load_standards([layer])
    links = {(link.source, link.target): link for link in mine.crosswalk.links}
    assert links[("A.6.2.8", "A.8.16")].relationship == "intersects_with"
    assert links[("A.6.2.8", "A.8.15")].relationship == "equal"
    assert links[("A.6.2.8", "A.8.15")].note  # blank note keeps the packaged one
    assert ("A.10.3", "A.5.19") not in links
    assert ("A.10.3", "A.5.19") in {(link.source, link.target) for link in base.crosswalk.links}


def test_user_mapping_csv(tmp_path):
    table = tmp_path / "mine.csv"
    table.write_text("42001 id,other standard,other id,relationship,rationale,strength,note\n"
                     "A.9.4,iso9001,8.2.2,intersects_with,semantic,6,intended use vs product"
                     " requirements\n", encoding="utf-8")
    links = load_standards([table]).crosswalk.links_from("A.9.4", "iso9001")
    assert any(link.target == "8.2.2" for link in links)


@pytest.mark.parametrize("row,message", [
    ("{source: A.6.2.99, target_standard: iso27001, target: A.8.15, relationship: equal,"
     " rationale: semantic, strength: 5}", "unknown ISO/IEC 42001 id"),
    ("{source: A.6.2.8, target_standard: iso27001, target: A.8.99, relationship: equal,"
     " rationale: semantic, strength: 5}", "unknown iso27001 id"),
    ("{source: A.6.2.8, target_standard: iso27001, target: A.8.15, relationship: overlaps,"
     " rationale: semantic, strength: 5}", "relationship 'overlaps' is not valid"),
    ("{source: A.6.2.8, target_standard: iso27001, target: A.8.15, relationship: equal,"
     " rationale: vibes, strength: 5}", "rationale 'vibes' is not valid"),
    ("{source: A.6.2.8, target_standard: iso27001, target: A.8.15, relationship: equal,"
     " rationale: semantic, strength: 11}", "out of range"),
])
def test_bad_mapping_rows_name_file_and_line(tmp_path, row, message):
    layer = tmp_path / "bad.yaml"
    layer.write_text(f"links:\n  - {row}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_standards([layer])
    text = str(info.value)
    assert message in text and f"{layer}:2" in text


def test_duplicate_pair_in_user_file(tmp_path):
    layer = tmp_path / "dup.yaml"
    row = ("{source: A.6.2.8, target_standard: iso27001, target: A.8.16, relationship: equal,"
           " rationale: semantic, strength: 5}")
    layer.write_text(f"links:\n  - {row}\n  - {row}\n", encoding="utf-8")
    with pytest.raises(InputError, match="appears twice"):
        load_standards([layer])


def test_removing_every_link_leaves_item_unmapped(tmp_path):
    base = load_standards()
    rows = [f"  - {{source: '6.3', target_standard: iso9001, target: '{link.target}',"
            " relationship: remove}"
            for link in base.crosswalk.links_from("6.3", "iso9001") if link.target]
    layer = tmp_path / "strip.yaml"
    layer.write_text("links:\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="6.3 .*no crosswalk entry"):
        load_standards([layer])


def test_cli_bad_mapping_exits_2_without_traceback(tmp_path, capsys):
    layer = tmp_path / "bad.yaml"
    layer.write_text("links: [\n", encoding="utf-8")
    assert main(["--mappings", str(layer), "catalog", "iso42001"]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "Traceback" not in err
