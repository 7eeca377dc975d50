"""The organisation profile: the sample is valid; mistakes are reported with file, line, fix."""

from __future__ import annotations

import json
import shutil

import pytest

from aimsdocs.cli import main
from aimsdocs.errors import InputError
from aimsdocs.profile import load_org


@pytest.fixture
def org(tmp_path, sample_org):
    target = tmp_path / "org"
    target.mkdir()
    shutil.copy(sample_org / "profile.yaml", target / "profile.yaml")
    return target


def edit(org, old, new, count=1):
    path = org / "profile.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def line_of(org, needle):
    lines = (org / "profile.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_sample_profile_is_valid(sample_org):
    profile = load_org(sample_org).profile
    assert profile.organisation.short_name == "Meridian"
    assert 3 <= len(profile.ai_systems) <= 5
    kinds = {s.kind for s in profile.ai_systems}
    assert len(kinds) == len(profile.ai_systems)  # systems of different kinds
    assert any(s.develops and s.provides for s in profile.ai_systems)
    assert any(s.uses and not s.develops for s in profile.ai_systems)


def test_typo_key_is_reported_with_line_and_suggestion(org, capsys):
    path = edit(org, "  short_name: Meridian", "  short_nmae: Meridian")
    assert main(["validate", str(org)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{line_of(org, 'short_nmae')}" in err
    assert "unknown key 'short_nmae'" in err and "did you mean 'short_name'" in err
    assert "Traceback" not in err


def test_wrong_enum_value(org):
    edit(org, "    stage: operation\n", "    stage: production\n")
    with pytest.raises(InputError) as info:
        load_org(org)
    text = str(info.value)
    assert "ai_systems[0].stage" in text and "'production' is not allowed" in text


def test_unknown_person_key(org):
    edit(org, "  aims_owner: cto", "  aims_owner: ctoo")
    with pytest.raises(InputError, match="'ctoo' is not a person key") as info:
        load_org(org)
    assert "did you mean 'cto'" in str(info.value)


def test_missing_required_key(org):
    edit(org, "  legal_name: Meridian Freight Systems GmbH\n", "")
    with pytest.raises(InputError, match="organisation.legal_name: required key is missing"):
        load_org(org)


def test_exclusion_without_justification(org):
    path = org / "profile.yaml"
    path.write_text(path.read_text(encoding="utf-8") +
                    "  A.7.3:\n    applicable: false\n", encoding="utf-8")
    with pytest.raises(InputError, match="excluded control needs a 'justification'"):
        load_org(org)


def test_unknown_control_override(org):
    path = org / "profile.yaml"
    path.write_text(path.read_text(encoding="utf-8") +
                    "  A.7.33:\n    status: Planned\n", encoding="utf-8")
    with pytest.raises(InputError, match="'A.7.33' is not an ISO/IEC 42001 Annex A control"):
        load_org(org)


def test_duplicate_ai_system_id(org):
    edit(org, "  - id: AIS-02", "  - id: AIS-01")
    with pytest.raises(InputError, match="AI system id 'AIS-01' is used twice"):
        load_org(org)


def test_init_then_validate(tmp_path, capsys):
    target = tmp_path / "new-org"
    assert main(["init", str(target)]) == 0
    assert (target / "profile.yaml").is_file()
    assert main(["validate", str(target)]) == 0
    assert main(["init", str(target)]) == 2  # never overwrites
    assert "already exists" in capsys.readouterr().err


def test_schema_is_json_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["type"] == "object"
    assert "ai_systems" in schema["properties"]
    assert schema["additionalProperties"] is False


def test_schema_describes_every_field(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    undescribed = [f"{name}.{field}"
                   for name, node in [("Profile", schema), *schema["$defs"].items()]
                   for field, prop in node.get("properties", {}).items()
                   if not prop.get("description")]
    assert undescribed == []
    assert "AI system inventory" in schema["properties"]["ai_systems"]["description"]


def test_init_writes_the_schema_its_modeline_names(tmp_path, capsys):
    target = tmp_path / "new-org"
    assert main(["init", str(target)]) == 0
    first = (target / "profile.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=profile.schema.json"
    schema = json.loads((target / "profile.schema.json").read_text(encoding="utf-8"))
    capsys.readouterr()
    assert main(["schema"]) == 0
    assert schema == json.loads(capsys.readouterr().out)


def test_ai_systems_compare_by_content(sample_org):
    systems = load_org(sample_org).profile.ai_systems
    first, second = systems[0], systems[1]
    assert first == first.model_copy()
    assert first != second and first not in systems[1:] and second in systems
    renamed = first.model_copy(update={"name": first.name + " 2"})  # same id, other content
    assert renamed != first and renamed not in systems
