"""SoA decisions an auditor signs: each inclusion cites risks or obligations, statuses are only
what was declared, exclusions have a role-based reason and a review trigger."""

from __future__ import annotations

import pytest
from helpers import SAMPLE_ORG, copy_org, edit_profile, load_plan, make_customer_only


@pytest.fixture(scope="module")
def plan():
    return load_plan(SAMPLE_ORG)


def test_justifications_are_distinct_and_cite_risks_or_obligations(plan):
    included = [row for row in plan.soa if row.applicable]
    texts = [row.inclusion_text for row in included]
    assert len(set(texts)) == len(texts)
    assert all(row.risks or row.obligations for row in included)
    with_risk = [row for row in included if any(r.risk_id in row.inclusion_text
                                                for r in row.risks)]
    assert len(with_risk) >= len(included) / 2
    assert not any(t.startswith("Relevant to every AI system") for t in texts)


def test_risk_citations_are_the_reverse_of_the_treatment_plan(plan):
    rows = {row.control.id: row for row in plan.soa}
    for risk in plan.risks:
        for control in risk.controls:
            assert risk in rows[control].risks, (risk.risk_id, control)


def test_obligations_cite_ai_act_articles_gdpr_and_contracts(plan):
    rows = {row.control.id: row for row in plan.soa}
    cited = {o.cite() for o in rows["A.9.4"].obligations}
    assert any("EU AI Act Art. 26" in c and "TalentFilter" in c for c in cited)
    assert any(c.startswith("contract OB-02") for c in cited)
    assert any("GDPR Art. 35" in o.cite() for o in rows["A.5.4"].obligations)
    assert "Required by" in rows["A.9.4"].inclusion_text


def test_status_is_declared_or_not_assessed(plan):
    rows = {row.control.id: row for row in plan.soa}
    assert rows["A.10.4"].status == "Partially implemented"  # declared in the profile
    assert "profile.yaml" in rows["A.10.4"].status_source
    undeclared = [row for row in plan.soa if row.applicable and row.control.id != "A.10.4"
                  and row.strategy.value != "reuse"]
    assert undeclared and all(row.status == "Not assessed" for row in undeclared)
    assert all(row.status_source for row in plan.soa if row.applicable)


def test_reused_controls_take_the_isms_soa_status(plan):
    import copy

    from aimsdocs.plan.model import ReuseStrategy
    from aimsdocs.plan.risks import isms_statuses
    from aimsdocs.plan.soa import declared_status

    statuses = isms_statuses(plan.isms)
    assert statuses["A.5.33"] == "Implemented" and statuses["A.8.10"] == "Partially implemented"
    extended = plan.requirements["A.5.3"]  # extended from the ISMS records control A.5.33
    status, source = declared_status("A.5.3", extended, plan.profile, statuses, "ISMS SoA")
    assert status == "Not assessed" and "A.5.33 implemented" in source  # the AI part is open
    reused = copy.copy(extended)
    reused.strategy = ReuseStrategy.reuse
    status, source = declared_status("A.5.3", reused, plan.profile, statuses, "ISMS SoA")
    assert status == "Implemented" and "reused as it is" in source
    partial = copy.copy(plan.requirements["A.7.6"])  # ISMS A.8.10 partial, A.8.11 implemented
    partial.strategy = ReuseStrategy.reuse
    assert declared_status("A.7.6", partial, plan.profile, statuses, "ISMS SoA")[0] == \
        "Partially implemented"  # only as done as the least done


def test_exclusions_are_role_based_with_a_review_trigger(tmp_path):
    org = copy_org(tmp_path, with_isms=False)
    make_customer_only(org)
    rows = {row.control.id: row for row in load_plan(org).soa}
    assert not rows["A.6.2.2"].applicable
    assert "does not design, develop or train" in rows["A.6.2.2"].exclusion_text
    assert "Review before" in rows["A.6.2.2"].review_trigger
    # Meridian Assist's output reaches customers, so A.10.4 stays in.
    assert rows["A.10.4"].applicable


def test_a_10_4_goes_only_when_no_ai_output_reaches_customers(tmp_path):
    org = copy_org(tmp_path, with_isms=False)
    for _ in range(2):
        edit_profile(org, "roles: [producer, provider]", "roles: [customer]")
    edit_profile(org, "    output_reaches_customers: true\n", "")
    text = (org / "profile.yaml").read_text(encoding="utf-8")
    controls = text.index("\ncontrols:\n")
    (org / "profile.yaml").write_text(text[:controls] + "\ncontrols: {}\n", encoding="utf-8")
    row = next(row for row in load_plan(org).soa if row.control.id == "A.10.4")
    assert not row.applicable
    assert "no AI output goes into work delivered to its customers" in row.exclusion_text
    assert "reaches a customer" in row.review_trigger
