"""The ISO/IEC 42001 -> EU AI Act crosswalk: validated like the other catalogues, and the
duties it gives each system follow the system's classification and the organisation's role."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from aimsdocs import resources
from aimsdocs.errors import InputError, ProblemList
from aimsdocs.profile import load_org
from aimsdocs.standards import load_standards
from aimsdocs.standards.ai_act import AI_ACT_FILE, load_ai_act


@pytest.fixture(scope="module")
def standards():
    return load_standards()


def test_every_link_names_an_annex_a_control_and_declared_articles(standards):
    crosswalk = standards.ai_act
    controls = {c.id for c in standards.iso42001.controls()}
    assert set(crosswalk.links) <= controls
    assert len(crosswalk.links) >= 30  # nearly every control supports some article
    for link in crosswalk.links.values():
        assert link.note and all(a in crosswalk.articles for a in link.articles)
    assert crosswalk.articles["26"].holders == ("deployer",)
    assert crosswalk.articles["4"].applies_from == date(2025, 2, 2)
    assert crosswalk.annex_iii["4a"].cite() == "Annex III point 4(a)"


def test_a_broken_crosswalk_is_reported_with_its_lines(tmp_path, standards):
    folder = tmp_path / "mappings"
    folder.mkdir()
    text = (resources.mappings_dir() / AI_ACT_FILE).read_text(encoding="utf-8")
    text = text.replace("  - control: A.9.4\n    articles: [\"26\", \"5\"]",
                        "  - control: A.9.9\n    articles: [\"26\", \"99\"]")
    text = text.replace("    holders: [deployer]\n    systems: high_risk\n    applies_from: "
                        "2026-08-02\n    annex_iii: [5b, 5c]",
                        "    holders: [deployer]\n    systems: high_risk\n    applies_from: "
                        "2026-08-02\n    annex_iii: [5z]")
    (folder / AI_ACT_FILE).write_text(text, encoding="utf-8")
    problems = ProblemList()
    load_ai_act(folder, standards.iso42001, problems)
    messages = [str(p) for p in problems.problems]
    assert any("'A.9.9' is not an ISO/IEC 42001 Annex A control" in m for m in messages)
    assert any("unknown Annex III point '5z'" in m for m in messages)
    assert all(f"{AI_ACT_FILE}:" in m for m in messages)  # file and line for each
    with pytest.raises(InputError):
        problems.raise_if_any()


def test_duties_follow_classification_and_role(sample_org, standards):
    from aimsdocs.plan.obligations import system_duties

    profile = load_org(sample_org).profile
    talent = dict((a.article, roles) for a, roles in
                  system_duties(profile, standards, profile.system("AIS-05")))
    assert talent["26"] == ("deployer",) and "9" not in talent  # a deployer, not the provider
    assert "27" not in talent  # the rights assessment is for credit and insurance uses
    docuscan = [a.article for a, _ in system_duties(profile, standards, profile.system("AIS-02"))]
    assert docuscan == ["4", "5"]  # minimal risk: literacy and the prohibitions only
    assist = [a.article for a, _ in system_duties(profile, standards, profile.system("AIS-03"))]
    assert "50(3)-(4)" in assist and "50(1)-(2)" not in assist  # transparency as deployer


def test_packaged_folder_copy_loads_cleanly(tmp_path, standards):
    folder = tmp_path / "m"
    shutil.copytree(resources.mappings_dir(), folder)
    problems = ProblemList()
    crosswalk = load_ai_act(folder, standards.iso42001, problems)
    assert not problems.problems and crosswalk.articles
