"""Bad input is refused clearly: exit 2, the file and place named, no traceback, and the
outputs of an earlier good build left exactly as they were."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from helpers import copy_org, tree_hashes

from aimsdocs.cli import main

FORMATS = "md,html"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One good build; every bad-input test then aims at the same output folder."""
    base = tmp_path_factory.mktemp("good")
    org = copy_org(base)
    out = base / "out"
    assert main(["build", str(org), "--out", str(out), "--format", FORMATS]) == 0
    return out, tree_hashes(out)


@pytest.fixture
def org(tmp_path):
    return copy_org(tmp_path)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def refused(capsys, built, org, *extra, expect=()):
    """Run a build that must fail cleanly and leave the earlier outputs alone."""
    out, before = built
    capsys.readouterr()
    code = main(["build", str(org), "--out", str(out), "--format", FORMATS, *extra])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err
    for text in expect:
        assert text in err, (text, err)
    assert tree_hashes(out) == before
    return err


def profile(org):
    return org / "profile.yaml"


# --- the profile ---------------------------------------------------------------------------

def test_yaml_syntax_error(capsys, built, org):
    replace(profile(org), "  short_name: Meridian", "  short_name: [Meridian")
    refused(capsys, built, org, expect=["profile.yaml:", "YAML syntax error"])


def test_profile_is_a_list(capsys, built, org):
    profile(org).write_text("- just\n- a list\n", encoding="utf-8")
    refused(capsys, built, org, expect=["profile.yaml:1", "must be a YAML mapping"])


def test_profile_is_empty(capsys, built, org):
    profile(org).write_text("", encoding="utf-8")
    refused(capsys, built, org, expect=["profile.yaml", "mapping"])


def test_unknown_top_level_key(capsys, built, org):
    profile(org).write_text(profile(org).read_text(encoding="utf-8") + "colour: blue\n",
                            encoding="utf-8")
    refused(capsys, built, org, expect=["unknown key 'colour'"])


def test_typo_in_nested_key(capsys, built, org):
    replace(profile(org), "    human_oversight: Planners", "    human_oversigth: Planners")
    refused(capsys, built, org, expect=["ai_systems[0].human_oversigth", "did you mean"])


def test_missing_required_key(capsys, built, org):
    replace(profile(org), "  acceptance_threshold: 8\n", "")
    refused(capsys, built, org, expect=["risk_method.acceptance_threshold",
                                        "required key is missing"])


def test_string_where_list_expected(capsys, built, org):
    replace(profile(org), "  jurisdictions: [DE, NL, PL, GB]", "  jurisdictions: DE")
    refused(capsys, built, org, expect=["organisation.jurisdictions"])


def test_text_where_number_expected(capsys, built, org):
    replace(profile(org), "  acceptance_threshold: 8", "  acceptance_threshold: high")
    refused(capsys, built, org, expect=["risk_method.acceptance_threshold"])


def test_impossible_date(capsys, built, org):
    replace(profile(org), "  effective_date: 2026-12-01", "  effective_date: 2026-13-01")
    refused(capsys, built, org, expect=["document_control.effective_date"])


def test_unknown_enum_value(capsys, built, org):
    replace(profile(org), "    risk_level: medium", "    risk_level: severe")
    refused(capsys, built, org, expect=["risk_level", "'severe' is not allowed"])


def test_unknown_person_key(capsys, built, org):
    replace(profile(org), "    owner: finance_lead", "    owner: finance")
    refused(capsys, built, org, expect=["'finance' is not a person key"])


def test_duplicate_ai_system_id(capsys, built, org):
    replace(profile(org), "  - id: AIS-03", "  - id: AIS-01")
    refused(capsys, built, org, expect=["AI system id 'AIS-01' is used twice"])


def test_duplicate_person_key(capsys, built, org):
    replace(profile(org), "  - key: legal\n", "  - key: dpo\n")
    refused(capsys, built, org, expect=["person key 'dpo' is used twice"])


def test_unknown_control_override(capsys, built, org):
    replace(profile(org), "  A.10.4:", "  A.10.9:")
    refused(capsys, built, org, expect=["'A.10.9' is not an ISO/IEC 42001 Annex A control"])


def test_exclusion_without_justification(capsys, built, org):
    replace(profile(org), "  A.10.4:\n", "  A.7.3:\n    applicable: false\n  A.10.4:\n")
    refused(capsys, built, org, expect=["controls.A.7.3", "needs a 'justification'"])


def test_objective_names_unknown_system(capsys, built, org):
    replace(profile(org), "    relates_to: [AIS-05]", "    relates_to: [AIS-55]")
    refused(capsys, built, org, expect=["'AIS-55' is not an AI system id"])


def test_duplicate_yaml_key(capsys, built, org):
    replace(profile(org), "  short_name: Meridian\n", "  short_name: Meridian\n  short_name: M\n")
    refused(capsys, built, org, expect=["duplicate key 'short_name'"])


def test_python_object_tag(capsys, built, org):
    replace(profile(org), "  size: about 380 employees",
            "  size: !!python/object/apply:os.system ['echo pwned']")
    refused(capsys, built, org, expect=["is not allowed"])


def test_non_utf8_profile(capsys, built, org):
    data = profile(org).read_bytes().replace(b"Krak\xc3\xb3w", b"Krak\xf3w", 1)
    profile(org).write_bytes(data)
    refused(capsys, built, org, expect=["not valid UTF-8"])


def test_control_character_in_text(capsys, built, org):
    replace(profile(org), "  short_name: Meridian", '  short_name: "Meri\\x07dian"')
    refused(capsys, built, org, expect=["organisation.short_name", "control character"])


def test_very_long_string(capsys, built, org):
    replace(profile(org), "  sector: Logistics software (SaaS transport management)",
            "  sector: " + "x" * 5000)
    refused(capsys, built, org, expect=["organisation.sector", "over the 200 limit"])


def test_bad_country_code(capsys, built, org):
    replace(profile(org), "      country: NL", "      country: Netherlands")
    refused(capsys, built, org, expect=["country", "two-letter"])


def test_missing_organisation_folder(capsys, built, tmp_path):
    refused(capsys, built, tmp_path / "nowhere", expect=["organisation folder not found"])


def test_folder_without_profile(capsys, built, tmp_path):
    (tmp_path / "empty").mkdir()
    refused(capsys, built, tmp_path / "empty", expect=["no profile.yaml"])


# --- templates -----------------------------------------------------------------------------

def override(org, name, text):
    folder = org / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


FRONT = ("---\nid: POL-01\ntitle: AI policy\ntype: policy\norder: 20\n"
         "addresses: [\"5\", \"5.1\", \"5.2\", A.2.2, A.2.3, A.2.4]\n---\n")


def test_template_syntax_error(capsys, built, org):
    path = override(org, "ai-policy.md.j2", FRONT + "Hello\n{% if %}\n")
    refused(capsys, built, org, expect=[f"{path}:9", "template syntax error"])


def test_template_undefined_variable(capsys, built, org):
    path = override(org, "ai-policy.md.j2", FRONT + "Hello\n\n{{ org.organisation.nmae }}\n")
    refused(capsys, built, org, expect=[str(path), "undefined"])


def test_template_without_front_matter(capsys, built, org):
    path = override(org, "ai-policy.md.j2", "Just text\n")
    refused(capsys, built, org, expect=[str(path), "no YAML front matter"])


def test_template_addresses_unknown_id(capsys, built, org):
    path = override(org, "ai-policy.md.j2", FRONT.replace("A.2.4]", "A.2.44]") + "x\n")
    refused(capsys, built, org, expect=[str(path), "'A.2.44' is not an ISO/IEC 42001"])


def test_template_escaping_the_sandbox(capsys, built, org):
    override(org, "ai-policy.md.j2",
             FRONT + "{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    refused(capsys, built, org, expect=["sandbox"])


def test_templates_option_missing_folder(capsys, built, org, tmp_path):
    refused(capsys, built, org, "--templates", str(tmp_path / "nope"),
            expect=["templates folder not found"])


# --- the existing ISMS ---------------------------------------------------------------------

def test_missing_isms_path(capsys, built, org, tmp_path):
    refused(capsys, built, org, "--isms", str(tmp_path / "no-isms"),
            expect=["ISMS folder not found"])


def test_corrupt_docx_in_isms(capsys, built, org):
    bad = org / "isms" / "broken-policy.docx"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    refused(capsys, built, org, expect=["broken-policy.docx"])


def test_text_file_renamed_to_xlsx(capsys, built, org):
    soa = next((org / "isms").glob("*applicability*.xlsx"))
    soa.write_text("Control,Applicable\nA.5.1,Yes\n", encoding="utf-8")
    refused(capsys, built, org, expect=[soa.name, "not a valid .xlsx"])


def test_soa_without_recognisable_header(capsys, built, org):
    for old in (org / "isms").glob("*applicability*"):
        old.unlink()
    (org / "isms" / "statement-of-applicability.csv").write_text(
        "foo,bar,baz\n1,2,3\n4,5,6\n", encoding="utf-8")
    refused(capsys, built, org, expect=["statement-of-applicability.csv", "header"])


def test_zip_bomb_docx(capsys, built, org):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (260 * 1024 * 1024))
    (org / "isms" / "bomb.docx").write_bytes(buffer.getvalue())
    refused(capsys, built, org, expect=["bomb.docx", "zip bomb"])


def test_non_utf8_markdown_in_isms(capsys, built, org):
    (org / "isms" / "latin1-policy.md").write_bytes(b"# Richtlinie\n\nGr\xfc\xdfe\n")
    refused(capsys, built, org, expect=["latin1-policy.md:3", "not valid UTF-8"])


# --- mappings, branding and options --------------------------------------------------------

def test_bad_relationship_in_org_mappings(capsys, built, org):
    (org / "mappings").mkdir()
    (org / "mappings" / "ours.yaml").write_text(
        "links:\n  - {source: A.6.2.8, target_standard: iso27001, target: A.8.15,"
        " relationship: sameish, rationale: semantic, strength: 5}\n", encoding="utf-8")
    refused(capsys, built, org, expect=["ours.yaml:2", "relationship 'sameish'"])


def test_mapping_file_of_unknown_type(capsys, built, org, tmp_path):
    odd = tmp_path / "map.txt"
    odd.write_text("hello", encoding="utf-8")
    refused(capsys, built, org, "--mappings", str(odd), expect=["map.txt", "unsupported"])


def test_corrupt_reference_docx(capsys, built, org):
    (org / "brand").mkdir()
    (org / "brand" / "reference.docx").write_bytes(b"not a word file")
    refused(capsys, built, org, expect=["reference.docx", "not a valid .docx"])


def test_bad_accent_colour(capsys, built, org):
    (org / "brand").mkdir()
    (org / "brand" / "accent-colour.txt").write_text("blueish\n", encoding="utf-8")
    refused(capsys, built, org, expect=["accent-colour.txt", "hex colour"])


def test_unknown_format(capsys, built, org):
    out, before = built
    assert main(["build", str(org), "--out", str(out), "--format", "docx,odt"]) == 2
    assert "unknown format(s) odt" in capsys.readouterr().err
    assert tree_hashes(out) == before


def test_bad_source_date_epoch(capsys, built, org, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    refused(capsys, built, org, expect=["SOURCE_DATE_EPOCH"])


# --- valid but unusual text is accepted and lands intact -----------------------------------

def test_bom_crlf_emoji_and_rtl_text_build(tmp_path):
    org = copy_org(tmp_path, with_isms=False)
    text = profile(org).read_text(encoding="utf-8")
    text = text.replace("  size: about 380 employees", "  size: about 380 employees 🚚")
    text = text.replace("  - name: Rotterdam office", "  - name: مكتب روتردام")
    profile(org).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    out = tmp_path / "out"
    assert main(["build", str(org), "--out", str(out), "--format", "md,docx"]) == 0
    scope = next((out / "meridian" / "md").glob("man-01-*.md")).read_text(encoding="utf-8")
    assert "🚚" in scope and "مكتب روتردام" in scope
