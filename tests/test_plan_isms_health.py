"""The plan honours what the ISMS documents say about themselves: review dates and scope."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import SAMPLE_ORG

from aimsdocs.pipeline.options import BuildOptions
from aimsdocs.pipeline.prepare import load_inputs
from aimsdocs.plan import ReuseStrategy, build_plan
from aimsdocs.plan.gap import gap_summary
from aimsdocs.plan.health import parse_date


@pytest.fixture(scope="module")
def inputs():
    org, standards, isms, _env, specs, _ = load_inputs(SAMPLE_ORG, BuildOptions())
    return org, standards, isms, specs


def test_isms_documents_past_their_next_review_are_flagged(inputs):
    org, standards, isms, specs = inputs
    plan = build_plan(org.profile, standards, specs, isms, as_of=date(2026, 12, 1))
    overdue = [d.doc_id for d in plan.overdue]
    # Every document relied on except the competence policy (next review 2027-01-10).
    assert "MFS-POL-002" not in overdue
    assert {"MFS-PRO-001", "MFS-PRO-004", "MFS-PRO-005"} <= set(overdue)
    assert len(overdue) == 10
    assert any("past their next review" in line for line in gap_summary(plan)["lines"])
    earlier = build_plan(org.profile, standards, specs, isms, as_of=date(2025, 1, 1))
    assert earlier.overdue == []


def test_a_documents_own_scope_exclusion_is_honoured(inputs):
    org, standards, isms, specs = inputs
    plan = build_plan(org.profile, standards, specs, isms)
    for item in ("A.6.2.7", "A.8.2"):
        cited = [s.doc_id for s in plan.requirements[item].isms_sources]
        assert "MFS-PRO-001" not in cited
    assert plan.requirements["7.5.3"].isms_sources[0].doc_id == "MFS-PRO-001"


def test_leadership_roles_competence_awareness_and_monitoring_are_extended(inputs):
    org, standards, isms, specs = inputs
    plan = build_plan(org.profile, standards, specs, isms)
    for item in ("5.1", "5.3", "7.2", "7.3", "9.1"):
        assert plan.requirements[item].strategy is ReuseStrategy.extend, item
    assert plan.requirements["9.2"].strategy is ReuseStrategy.reuse


def test_a_certified_isms_without_the_document_is_not_supplied_rather_than_new(inputs):
    org, standards, isms, specs = inputs
    plan = build_plan(org.profile, standards, specs, isms)
    not_supplied = {r.id for r in plan.requirements.values() if r.not_supplied}
    assert "7.4" in not_supplied  # no communication procedure in the folder
    assert all(plan.requirements[i].strategy is ReuseStrategy.new for i in not_supplied)
    assert "9.2" not in not_supplied


@pytest.mark.parametrize("text,expected", [
    ("2026-03-01", date(2026, 3, 1)), ("01.03.2026", date(2026, 3, 1)),
    ("1 March 2026", date(2026, 3, 1)), ("März 2026", date(2026, 3, 1)),
    ("annually", None), ("", None), ("2026-13-01", None),
])
def test_review_dates_in_several_forms(text, expected):
    assert parse_date(text) == expected
