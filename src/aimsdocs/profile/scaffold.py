"""`aimsdocs init DIR`: a new organisation folder with a commented profile to fill in."""

from __future__ import annotations

import json
from pathlib import Path

from aimsdocs import resources
from aimsdocs.errors import InputError
from aimsdocs.profile.load import PROFILE_FILE
from aimsdocs.support.files import write_atomic

SCHEMA_FILE = "profile.schema.json"  # the scaffold's yaml-language-server modeline names it


def profile_schema() -> dict:
    """The profile's JSON Schema, with a description on every field."""
    from aimsdocs.profile.model import Profile

    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "aimsdocs organisation profile"
    return schema


def scaffold(folder: Path) -> Path:
    folder = Path(folder)
    target = folder / PROFILE_FILE
    if target.exists():
        raise InputError(f"{PROFILE_FILE} already exists", file=target,
                         hint="choose a new folder; nothing was overwritten")
    example = resources.templates_dir() / "_scaffold" / PROFILE_FILE
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("templates", "brand"):
        (folder / sub).mkdir(exist_ok=True)
    write_atomic(target, example.read_bytes())
    schema = folder / SCHEMA_FILE  # so the modeline resolves offline
    if not schema.exists():
        write_atomic(schema, (json.dumps(profile_schema(), indent=2) + "\n").encode())
    readme = folder / "README.md"
    if not readme.exists():
        write_atomic(readme, (
            "# Organisation folder for aimsdocs\n\n"
            "- `profile.yaml` — the organisation profile (run `aimsdocs validate .`).\n"
            "- `profile.schema.json` — its JSON Schema, for editors (`aimsdocs schema`).\n"
            "- `isms/` — your existing ISMS documents (Markdown/Word), document register and SoA.\n"
            "- `templates/` — template overrides: a file here replaces the packaged one of the "
            "same name.\n"
            "- `brand/` — `reference.docx` (styles, fonts, header logo), `logo.png`, "
            "`accent-colour.txt`.\n"
            "- `mappings/` — optional crosswalk changes (YAML/CSV/XLSX).\n"
            "- `aimsdocs-state.yaml` — written by builds: versions and revision history. Keep it "
            "under version control.\n").encode())
    return target
