"""The pack reuses the ISMS by content: it carries the ISMS's facts with their source and never
restates a process parameter with another value (issue 13)."""

from __future__ import annotations

import re

import pytest
from helpers import SAMPLE_ORG, copy_org, edit_profile

from aimsdocs.check import check_pack
from aimsdocs.pipeline.options import BuildOptions
from aimsdocs.pipeline.prepare import prepare


@pytest.fixture(scope="module")
def pack():
    return prepare(SAMPLE_ORG, BuildOptions(formats=("md",)))


def text(pack, local_id: str) -> str:
    [document] = [d for d in pack.rendered if d.doc_id.endswith(f"-{local_id}")]
    return document.markdown


def test_sample_pack_states_the_isms_facts_with_their_source(pack):
    documented = text(pack, "PRO-07")
    assert "6 years" in documented and "MFS-PRO-001 §8" in documented
    assert "SharePoint, ISMS library (MFS-PRO-001 §4)" in documented
    review = text(pack, "PRO-10")
    assert "twice a year, in March and September (MFS-PRO-004 §2)" in review
    nonconformity = text(pack, "PRO-11")
    assert "Jira project CAPA" in nonconformity and "Henrik Olsen" in nonconformity
    assert "after 60 days (MFS-PRO-006 §4)" in nonconformity
    treatment = text(pack, "PLN-01")
    assert "9–14 by Jonas Richter" in treatment and "15–25 by Dr. Katrin Vogel" in treatment
    assert "MFS-PRO-002 §5" in treatment


def test_no_restated_parameter_remains(pack):
    pack_text = "\n".join(d.markdown for d in pack.rendered)
    assert not re.search(r"\b3 years\b", text(pack, "PRO-07"))  # the ISMS default is six
    assert "management review at least once a year" not in pack_text.lower()
    assert not re.search(r"above 8[^.]*\b(?:accepted|decided)[^.]*by top management", pack_text)
    assert "Owns this procedure and the corrective action log" not in pack_text
    # the ISMS names who accepts each level above the threshold: no sentence sends every
    # residual risk above it to top management, and a record names the holder for its score
    assert "receives every decision on a residual risk" not in pack_text
    assert "residual risk goes to Dr. Katrin Vogel" not in pack_text
    assert "accepts residual AI risks above the acceptance threshold" not in pack_text
    assert "so top management decides" not in pack_text
    assert "No: above the threshold, so Jonas Richter decides" in text(pack, "REC-01-AIS-05")


def test_sample_pack_is_consistent(pack):
    report = check_pack(pack.plan, pack.rendered)
    assert report.findings == [], "\n".join(line for f in report.findings for line in f.lines())


def test_no_crosswalk_note_is_pasted_into_a_client_document(pack):
    pack_text = "\n".join(d.markdown for d in pack.rendered)
    notes = {link.note for link in pack.plan.standards.crosswalk.links if len(link.note) > 60}
    pasted = [note for note in notes if note in pack_text]
    assert pasted == []
    assert "carries over" not in pack_text and "ISO/IEC 42001 adds" not in pack_text


def test_extended_processes_get_one_concrete_ai_addition(pack):
    plan = pack.plan
    extended = [r for r in plan.requirements.values()
                if r.strategy.value == "extend" and r.isms_sources]
    assert extended and all(r.addition is not None for r in extended)
    change = plan.requirements["A.6.2.5"].addition
    assert "change advisory meeting of MFS-STD-002 §7" in change.text
    assert "MFS-STD-002" not in change.amendment  # inside the ISMS document it cites nothing
    assert change.text in text(pack, "PRO-03")


def test_a_declared_fact_overrides_the_one_read_and_every_document_follows(tmp_path):
    org = copy_org(tmp_path)
    edit_profile(org, "controls:\n", "integration:\n  management_review:\n    per_year: 4\n"
                                     "  record_retention: 10 years\ncontrols:\n")
    pack = prepare(org, BuildOptions(formats=("md",)))
    review = text(pack, "PRO-10")
    assert "quarterly" in review and "March and September" in review  # months still read
    assert "10 years" in text(pack, "PRO-07")
    assert check_pack(pack.plan, pack.rendered).findings == []


def test_without_an_isms_nothing_is_presented_as_an_isms_fact(tmp_path):
    org = copy_org(tmp_path, with_isms=False)
    pack = prepare(org, BuildOptions(formats=("md",)))
    assert not pack.plan.facts.facts
    assert "MFS-PRO-" not in "\n".join(d.markdown for d in pack.rendered)


def test_the_qms_is_a_source_through_the_iso_9001_crosswalk(pack):
    plan = pack.plan
    document = plan.isms.documents["MFS-QP-007"]
    assert document.relpath == "qms/design-and-development-procedure.md"
    cited = {item: [s.doc_id for s in plan.requirements[item].isms_sources]
             for item in ("A.6.2.4", "A.8.2")}
    assert all("MFS-QP-007" in docs for docs in cited.values()), cited
    via = plan.requirements["A.6.2.4"].isms_sources
    assert any(std == "iso9001" for s in via for std, _, _ in s.via)


def test_a_bare_clause_in_a_quality_document_is_iso_9001(tmp_path):
    from aimsdocs.isms import load_isms
    from aimsdocs.isms.qms import merge
    from aimsdocs.standards import load_standards

    folder = tmp_path / "qms"
    folder.mkdir()
    (folder / "audit.md").write_text("# Quality Audit Procedure\n\nDocument ID: QA-1\n\n"
                                     "## Purpose\n\nThis procedure meets clause 9.2.\n",
                                     encoding="utf-8")
    standards = load_standards()
    merged = merge(None, load_isms(folder, standards), standards)
    assert [c.doc_id for c in merged.covering("iso9001", "9.2")] == ["QA-1"]
    assert merged.covering("iso27001", "9.2") == []


def test_risk_scales_are_related_to_the_isms_scales(pack, tmp_path):
    # the sample's scales are the ISMS's own: said with the source, nothing left to confirm
    procedure = text(pack, "PRO-01")
    assert "scales below are those of the ISMS" in procedure and "MFS-PRO-002 §4" in procedure
    assert "confirm they match the ISMS risk scales" not in procedure
    # other labels: the AIMS scales are its own, the ISMS's are named, conversion is to do
    org = copy_org(tmp_path)
    edit_profile(org, "likelihood: [Rare, Unlikely, Possible, Likely, Almost certain]",
                 "likelihood: [Very low, Low, Medium, High, Very high]")
    other = prepare(org, BuildOptions(formats=("md",)))
    procedure = text(other, "PRO-01")
    assert "the ISMS uses 5 likelihood levels (Rare, Unlikely" in procedure
    assert "record how scores convert between the two" in procedure
