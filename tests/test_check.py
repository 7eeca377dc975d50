"""`aimsdocs check`: each class of contradiction, seeded into a copy of sample_org, is caught."""

from __future__ import annotations

import json

import pytest
from helpers import copy_org, edit_profile

from aimsdocs import resources
from aimsdocs.check import check_pack
from aimsdocs.cli import main
from aimsdocs.pipeline.options import BuildOptions
from aimsdocs.pipeline.prepare import prepare


def _seed(org, template: str, text: str) -> None:
    """An override of a packaged template with `text` appended, as a consultant would write."""
    folder = org / "templates"
    folder.mkdir(exist_ok=True)
    packaged = (resources.templates_dir() / template).read_text(encoding="utf-8")
    (folder / template).write_text(packaged.rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")


def _findings(org, subject_words: str) -> list:
    pack = prepare(org, BuildOptions())
    report = check_pack(pack.plan, pack.rendered)
    return [f for f in report.findings if subject_words in f.subject]


@pytest.fixture
def org(tmp_path):
    return copy_org(tmp_path)


def test_a_management_review_cycle_against_the_isms_is_caught(org):
    _seed(org, "management-review.md.j2",
          "## Extra\n\nManagement reviews take place once every three years.")
    [finding] = [f for f in _findings(org, "management review frequency")
                 if "once every three years" in f.statement.text]
    assert finding.statement.where.startswith("md/pro-10-")
    assert "MFS-PRO-004" in finding.other.where and "twice a year" in finding.other.text


def test_a_retention_shorter_than_the_isms_default_is_caught(org):
    _seed(org, "internal-audit.md.j2", "## Extra\n\nAudit records are kept for two years.")
    found = [f for f in _findings(org, "retention") if "two years" in f.statement.text]
    assert found and "MFS-PRO-001" in found[0].other.where
    assert "six years" in found[0].other.text


def test_two_time_limits_for_one_event_are_caught(org):
    _seed(org, "responsible-use.md.j2",
          "## Extra\n\nEvery concern receives an acknowledgement within 3 days.")
    found = _findings(org, "time limit to acknowledg")
    assert any("3 days" in f.statement.text or "3 days" in f.other.text for f in found)


def test_an_acceptor_against_the_isms_risk_tiers_is_caught(org):
    _seed(org, "ai-objectives.md.j2",
          "## Extra\n\nEvery risk scoring above 8 is accepted by the CEO alone.")
    found = _findings(org, "who accepts risks above 8")
    assert any("accepted by the CEO alone" in f.statement.text for f in found)
    assert all("MFS-PRO-002" in f.other.where for f in found)


def test_a_role_with_two_holders_is_caught(org):
    _seed(org, "resources.md.j2", "## Extra\n\n| Role | Person |\n|---|---|\n"
                                  "| Internal Audit Lead | Jonas Richter |")
    found = _findings(org, "Internal Audit Lead")
    assert found and {"Jonas Richter"} & {f.statement.text.split(" | ")[1] for f in found}


def test_a_document_that_does_not_exist_is_caught(org):
    _seed(org, "ai-policy.md.j2", "## Extra\n\nSee MFS-AIMS-PRO-99 for the details.")
    [finding] = _findings(org, "MFS-AIMS-PRO-99")
    assert finding.kind == "reference"


def test_the_plan_never_lets_an_owner_approve_their_own_document(org):
    edit_profile(org, "  approver: ceo\n", "  approver: cto\n")  # the owner of most documents
    assert _findings(org, "approved by its own owner") == []


def test_an_owner_approving_their_own_documents_is_caught(org):
    # One person holds every role that could approve: nobody else is left to approve.
    edit_profile(org, "  approver: ceo\n", "  approver: cto\n")
    edit_profile(org, "  top_management: ceo\n", "  top_management: cto\n")
    found = _findings(org, "approved by its own owner")
    assert found and all(f.kind == "self-approval" for f in found)


def test_check_command_exit_codes_and_json(org, capsys):
    _seed(org, "management-review.md.j2",
          "## Extra\n\nManagement reviews take place once every three years.")
    assert main(["check", str(org), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert any(f["subject"] == "management review frequency" for f in report["findings"])


def test_the_use_only_example_is_consistent():
    from helpers import REPO

    pack = prepare(REPO / "examples" / "use-only", BuildOptions(formats=("md",)))
    report = check_pack(pack.plan, pack.rendered)
    assert report.findings == [], "\n".join(line for f in report.findings for line in f.lines())
    assert "ISMS" not in report.summary()
