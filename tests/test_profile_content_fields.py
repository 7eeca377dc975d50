"""Profile fields that drive the content: system kind, group relations, personal data, Annex III
point, obligations, head count. Mistakes are errors with the line and a fix."""

from __future__ import annotations

import shutil

import pytest

from aimsdocs.cli import main
from aimsdocs.errors import InputError
from aimsdocs.profile import load_org
from aimsdocs.profile.model import GroupRelation, SystemKind


@pytest.fixture
def org(tmp_path, sample_org):
    target = tmp_path / "org"
    target.mkdir()
    shutil.copy(sample_org / "profile.yaml", target / "profile.yaml")
    return target


def edit(org, old, new):
    path = org / "profile.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_sample_systems_use_the_closed_list_and_keep_a_free_text_model(sample_org):
    profile = load_org(sample_org).profile
    kinds = [s.kind for s in profile.ai_systems]
    assert kinds == [SystemKind.prediction, SystemKind.document_extraction,
                     SystemKind.generative_assistant, SystemKind.anomaly_detection,
                     SystemKind.ranking_of_people]
    assert all(s.model for s in profile.ai_systems)  # the human-readable description survives
    talent = profile.system("AIS-05")
    assert talent.groups_of("subjects")[0].name == "Job applicants"
    assert talent.annex_iii == "4a"
    assert profile.organisation.employees == 380 and not profile.small


def test_free_text_kind_is_an_error_that_points_to_model(org, capsys):
    edit(org, "    kind: prediction\n", "    kind: regression model (gradient-boosted trees)\n")
    assert main(["validate", str(org)]) == 2
    err = capsys.readouterr().err
    assert "ai_systems[0].kind" in err and "'prediction'" in err and "'model'" in err
    assert "Traceback" not in err


def test_pseudonymised_data_is_personal_data(org):
    edit(org, "    personal_data: true\n    pseudonymised: true\n", "    personal_data: false\n")
    with pytest.raises(InputError) as info:
        load_org(org)
    text = str(info.value)
    assert "ai_systems[0]" in text and "pseudonymised data is still personal data" in text
    assert "Historical shipment records" in text  # the data source that says so


def test_plain_text_groups_are_still_accepted_without_a_relation(org):
    edit(org, "      - {name: Job applicants, relation: subjects}\n", "      - Job applicants\n")
    talent = load_org(org).profile.system("AIS-05")
    group = talent.groups[0]
    assert group.name == "Job applicants" and group.relation is None
    assert str(group) == "Job applicants"


def test_unknown_relation_is_an_error(org):
    edit(org, "relation: subjects}", "relation: candidates}")
    with pytest.raises(InputError, match="'candidates' is not allowed"):
        load_org(org)
    assert {r.value for r in GroupRelation} >= {"users", "subjects", "recipients"}


def test_unknown_annex_iii_point_is_an_error(org):
    edit(org, "    annex_iii: 4a\n", "    annex_iii: 4e\n")  # Annex III point 4 has a and b
    with pytest.raises(InputError, match="'4e' is not a point of EU AI Act Annex III"):
        load_org(org)


def test_malformed_annex_iii_point_gets_a_hint(org):
    edit(org, "    annex_iii: 4a\n", "    annex_iii: employment\n")
    with pytest.raises(InputError, match="Annex III point such as 4a"):
        load_org(org)


def test_obligations_name_known_systems_and_controls(org):
    edit(org, "    systems: [AIS-05]\n    controls: [A.10.2, A.10.3, A.9.4]",
         "    systems: [AIS-09]\n    controls: [A.10.2, A.10.9, A.9.4]")
    with pytest.raises(InputError) as info:
        load_org(org)
    text = str(info.value)
    assert "'AIS-09' is not an AI system id" in text
    assert "'A.10.9' is not an ISO/IEC 42001 Annex A control" in text


def test_head_count_under_fifty_makes_a_small_organisation(org):
    edit(org, "  employees: 380\n", "  employees: 40\n")
    assert load_org(org).profile.small
