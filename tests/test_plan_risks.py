"""The AI risk register in the plan: risks by system kind, rated from facts, treated by role."""

from __future__ import annotations

from collections import Counter

import pytest
from helpers import SAMPLE_ORG, copy_org, edit_profile, load_plan


@pytest.fixture(scope="module")
def plan():
    return load_plan(SAMPLE_ORG)


def by_system(plan, system_id):
    return [r for r in plan.risks if r.system and r.system.id == system_id]


def test_every_risk_is_cause_event_consequence_and_none_is_a_question(plan):
    assert plan.risks
    for risk in plan.risks:
        for text in (risk.cause, risk.event, risk.consequence, risk.treatment):
            assert text and "{" not in text and not text.rstrip().endswith("?"), risk.risk_id
        assert risk.affected, risk.risk_id
        assert risk.basis


def test_only_risk_sources_that_fit_the_kind(plan):
    def titles(system_id):
        return {r.title for r in by_system(plan, system_id)}

    injection = "Hidden instructions in documents (prompt injection)"
    assert injection in titles("AIS-03")  # the generative assistant
    assert not any(injection in titles(s) for s in ("AIS-01", "AIS-02", "AIS-04", "AIS-05"))
    assert "Confident but wrong forecast" in titles("AIS-01")
    assert "Field extracted wrongly with high confidence" in titles("AIS-02")
    assert "People ranked lower because of a protected characteristic" in titles("AIS-05")
    assert "Cases shaped to evade detection" in titles("AIS-04")
    # Data-governance risks only where Meridian builds the model.
    assert "Training data not fit for purpose" not in titles("AIS-05") | titles("AIS-03")


def test_treatments_fit_the_role(plan):
    for risk in plan.risks:
        if risk.system and not risk.system.develops:
            text = risk.treatment.lower()
            assert "retrain" not in text and "training set" not in text, risk.risk_id
    talent = by_system(plan, "AIS-05")
    assert any("HireFlow" in r.treatment for r in talent)  # deployers act through the supplier
    eta = {r.title: r for r in by_system(plan, "AIS-01")}
    assert "retrain" in eta["Performance drifts in operation"].treatment.lower()


def test_ratings_come_from_facts_not_the_risk_level(tmp_path, plan):
    def ratings(org):
        return {r.risk_id: (r.likelihood, r.impact) for r in by_system(load_plan(org), "AIS-01")}

    base = copy_org(tmp_path / "a", with_isms=False)
    org = copy_org(tmp_path, with_isms=False)
    edit_profile(org, "    risk_level: medium\n    owner: head_data_science\n",
                 "    risk_level: high\n    owner: head_data_science\n")  # ETA Forecast
    assert ratings(org) == ratings(base)

    org = copy_org(tmp_path / "b", with_isms=False)
    edit_profile(org, "    autonomy: advisory\n    scale: high\n",
                 "    autonomy: automatic\n    scale: high\n")  # ETA Forecast acts unchecked
    automatic = {r.title: r for r in by_system(load_plan(org), "AIS-01")}
    checked = {r.title: r for r in by_system(plan, "AIS-01")}
    title = "Confident but wrong forecast"
    assert automatic[title].likelihood > checked[title].likelihood
    assert "unchecked" in automatic[title].basis


def test_ratings_are_spread_and_existing_controls_are_named(plan):
    threshold = plan.profile.risk_method.acceptance_threshold
    decisions = Counter(r.decision(threshold) for r in plan.risks)
    risks = [r for r in plan.risks if not r.is_opportunity]
    assert 0.25 < decisions["Accept"] / len(risks) < 0.75  # prioritised, not all "Treat"
    assert len({r.score for r in risks}) >= 5
    supplier = next(r for r in by_system(plan, "AIS-05") if r.key == "supplier_change")
    assert any("OB-02" in c for c in supplier.existing_controls)  # the declared contract
    assert any("A.5.19" in c and "implemented (ISMS SoA" in c
               for c in supplier.existing_controls)  # the ISMS SoA


def test_aims_level_risks_and_opportunities(plan):
    aims = [r for r in plan.risks if r.system is None]
    assert any(r.is_opportunity for r in aims) and any(not r.is_opportunity for r in aims)
    assert all(r.risk_id.startswith(("R-AIMS-", "O-AIMS-")) for r in aims)
    assert any(r.key == "climate" for r in aims)
    assert any(r.key == "two_systems" for r in aims)  # Meridian runs an ISMS


def test_treated_risks_have_a_proposed_due_date_and_a_lower_residual(plan):
    threshold = plan.profile.risk_method.acceptance_threshold
    for risk in plan.risks:
        if risk.treated(threshold):
            assert risk.due and risk.residual_score < risk.score
        else:
            assert risk.due is None
