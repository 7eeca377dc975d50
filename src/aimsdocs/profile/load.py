"""Load an organisation folder and validate its profile, reporting every problem with its line."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from aimsdocs.errors import InputError, ProblemList
from aimsdocs.profile.model import Profile
from aimsdocs.support.yamlio import LocatedYaml, load_yaml

PROFILE_FILE = "profile.yaml"
NOT_PERSON_ROLES = {"external_auditor"}  # roles held by someone outside the organisation


@dataclass(frozen=True)
class OrgFolder:
    """An organisation folder: profile.yaml plus optional isms/, templates/, brand/, mappings/."""

    root: Path
    profile: Profile
    source: LocatedYaml

    @property
    def profile_path(self) -> Path:
        return self.root / PROFILE_FILE

    def optional_dir(self, name: str) -> Path | None:
        path = self.root / name
        return path if path.is_dir() else None

    @property
    def isms_dir(self) -> Path | None:
        return self.optional_dir("isms")

    @property
    def qms_dir(self) -> Path | None:
        """The ISO 9001 quality documents, when the organisation keeps them apart."""
        return self.optional_dir("qms")

    @property
    def templates_dir(self) -> Path | None:
        return self.optional_dir("templates")

    @property
    def brand_dir(self) -> Path | None:
        return self.optional_dir("brand")

    @property
    def mappings_dir(self) -> Path | None:
        return self.optional_dir("mappings")


def org_root(folder: Path) -> Path:
    """The organisation folder a command was pointed at (a profile.yaml path names its folder)."""
    folder = Path(folder)
    if not folder.is_dir() and folder.is_file() and folder.name.endswith((".yaml", ".yml")):
        return folder.parent.resolve()
    return folder.resolve()


def load_org(folder: Path) -> OrgFolder:
    folder = Path(folder)
    if not folder.is_dir():
        if folder.is_file() and folder.name.endswith((".yaml", ".yml")):
            folder = folder.parent
        else:
            raise InputError("organisation folder not found", file=folder,
                             hint="create one with `aimsdocs init DIR`")
    path = folder / PROFILE_FILE
    if not path.is_file():
        raise InputError(f"no {PROFILE_FILE} in the organisation folder", file=folder,
                         hint="create one with `aimsdocs init DIR`")
    check_confined(folder)
    located = load_yaml(path)
    profile = parse_profile(located)
    return OrgFolder(folder.resolve(), profile, located)


CONFINED = (PROFILE_FILE, "templates", "brand", "mappings")  # isms/ has its own walk


def check_confined(folder: Path) -> None:
    """Refuse links that lead out of the organisation folder from the profile, templates/,
    brand/ or mappings/: client folders arrive from elsewhere, and a link there could pull any
    file of this machine into a pack."""
    root = folder.resolve()
    for name in CONFINED:
        top = folder / name
        if not top.exists() and not top.is_symlink():
            continue
        entries = [top]
        if top.is_dir() and not top.is_symlink():
            for base, dirs, files in os.walk(top):
                entries += [Path(base) / n for n in dirs + files]
        for entry in entries:
            target = entry.resolve()
            if entry.is_symlink() and target != root and root not in target.parents:
                raise InputError(f"'{entry.relative_to(folder)}' is a link to {target}, outside "
                                 "the organisation folder", file=entry,
                                 hint="copy what it points to into the organisation folder; "
                                      "links out of it are not followed")


def parse_profile(located: LocatedYaml) -> Profile:
    problems = ProblemList()
    if not isinstance(located.data, dict):
        raise InputError("the profile must be a YAML mapping (key: value pairs)",
                         file=located.file, line=1,
                         hint="start from `aimsdocs init DIR` for a commented example")
    try:
        profile = Profile.model_validate(located.data)
    except ValidationError as exc:
        for error in exc.errors():
            _add_pydantic_problem(error, located, problems)
        problems.raise_if_any()
        raise  # unreachable: errors() is never empty
    _check_references(profile, located, problems)
    problems.raise_if_any()
    return profile


def _field_path(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _add_pydantic_problem(error: ErrorDetails, located: LocatedYaml,
                          problems: ProblemList) -> None:
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    loc = tuple(p for p in loc if p not in ("constrained-str",))
    where = dict(file=located.file, line=located.line_of(loc), field=_field_path(loc))
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _known_keys(loc[:-1])
        near = difflib.get_close_matches(str(loc[-1]), known, n=1)
        problems.add(f"unknown key '{loc[-1]}'", **where,
                     hint=(f"did you mean '{near[0]}'?" if near else
                           f"allowed keys here: {', '.join(known)}" if known else
                           "remove it"))
    elif kind == "missing":
        problems.add("required key is missing", **where,
                     hint="add it; `aimsdocs init DIR` writes a commented example profile")
    elif kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        moved = " (describe the technique in 'model')" if loc and loc[-1] == "kind" else ""
        problems.add(f"{error['input']!r} is not allowed", **where,
                     hint=f"use {expected}{moved}")
    elif kind == "string_pattern_mismatch":
        problems.add(f"{error['input']!r} has the wrong form", **where,
                     hint=_PATTERN_HINTS.get(str(loc[-1]) if loc else "",
                                             f"it must match {error['ctx']['pattern']}"))
    elif kind == "string_too_long":
        limit = error["ctx"]["max_length"]
        problems.add(f"text is {len(str(error['input']))} characters, over the {limit} limit",
                     **where, hint="shorten it, or move detail into a document of its own")
    else:
        message = error["msg"].removeprefix("Value error, ")
        problems.add(message, **where)


_PATTERN_HINTS = {
    "country": "use a two-letter ISO country code such as DE",
    "id_prefix": "use capitals, digits and '-', e.g. ACME-AIMS",
    "id": "start with a letter; letters, digits, '-' and '_' only, e.g. AIS-01",
    "annex_iii": "use an EU AI Act Annex III point such as 4a (recruitment) or 5b (credit "
                 "scoring)",
}


def _known_keys(loc: tuple) -> list[str]:
    model: type[BaseModel] = Profile
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        inner = _model_of(field.annotation)
        if inner is None:
            return []
        model = inner
    return list(model.model_fields)


def _model_of(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _check_references(profile: Profile, located: LocatedYaml, problems: ProblemList) -> None:
    """Cross-field checks pydantic cannot see: person keys, unique ids, SoA override ids."""
    keys = [p.key for p in profile.people]

    def where(*loc):
        return dict(file=located.file, line=located.line_of(loc), field=_field_path(loc))

    # Ids name files, folders and spreadsheet rows, and file systems often ignore case: ids
    # that differ only in case are the same id.
    seen: dict[str, str] = {}
    for index, person in enumerate(profile.people):
        _check_unique("person key", person.key, seen, where("people", index), problems,
                      "give each person a unique key")

    def check_person(key: str | None, *loc) -> None:
        if key is not None and key not in keys:
            near = difflib.get_close_matches(key, keys, n=1)
            problems.add(f"'{key}' is not a person key in 'people'", **where(*loc),
                         hint=f"did you mean '{near[0]}'?" if near else
                         f"use one of: {', '.join(keys)}")

    for role, key in profile.roles.model_dump().items():
        if role not in NOT_PERSON_ROLES:
            check_person(key, "roles", role)
    check_person(profile.document_control.owner, "document_control", "owner")
    check_person(profile.document_control.approver, "document_control", "approver")
    system_ids: set[str] = set()
    seen_systems: dict[str, str] = {}
    for index, system in enumerate(profile.ai_systems):
        check_person(system.owner, "ai_systems", index, "owner")
        _check_unique("AI system id", system.id, seen_systems, where("ai_systems", index),
                      problems, "give each AI system a unique id")
        system_ids.add(system.id)
    seen_objectives: dict[str, str] = {}
    for index, objective in enumerate(profile.objectives):
        check_person(objective.owner, "objectives", index, "owner")
        _check_unique("objective id", objective.id, seen_objectives, where("objectives", index),
                      problems, "give each objective a unique id")
        for sys_index, system_id in enumerate(objective.relates_to):
            if system_id not in system_ids:
                problems.add(f"'{system_id}' is not an AI system id",
                             **where("objectives", index, "relates_to", sys_index),
                             hint=f"use one of: {', '.join(sorted(system_ids))}")
    for control_id, override in profile.controls.items():
        check_person(override.owner, "controls", control_id, "owner")
    check_person(profile.integration.corrective_action.owner, "integration", "corrective_action",
                 "owner")
    for index, obligation in enumerate(profile.obligations):
        check_person(obligation.owner, "obligations", index, "owner")
        for sys_index, system_id in enumerate(obligation.systems):
            if system_id not in system_ids:
                problems.add(f"'{system_id}' is not an AI system id",
                             **where("obligations", index, "systems", sys_index),
                             hint=f"use one of: {', '.join(sorted(system_ids))}")
    _check_control_ids(profile, located, problems, where)


def _check_unique(kind: str, value: str, seen: dict[str, str], where: dict,
                  problems: ProblemList, hint: str) -> None:
    folded = value.casefold()
    if folded not in seen:
        seen[folded] = value
    elif seen[folded] == value:
        problems.add(f"{kind} '{value}' is used twice", **where, hint=hint)
    else:
        problems.add(f"{kind} '{value}' is the same as '{seen[folded]}' but for case", **where,
                     hint=f"{hint}; ids that differ only in upper/lower case count as the same")


def _check_control_ids(profile: Profile, located: LocatedYaml, problems: ProblemList,
                       where) -> None:
    """Control ids (SoA decisions, obligations) and Annex III points exist in the catalogues."""
    cited: list[tuple[str, tuple[str | int, ...]]] = [
        (control_id, ("controls", control_id)) for control_id in profile.controls]
    cited += [(control_id, ("obligations", index, "controls", c_index))
              for index, obligation in enumerate(profile.obligations)
              for c_index, control_id in enumerate(obligation.controls)]
    points: list[tuple[str, tuple[str | int, ...]]] = [
        (system.annex_iii, ("ai_systems", index, "annex_iii"))
              for index, system in enumerate(profile.ai_systems) if system.annex_iii]
    if not cited and not points:
        return
    from aimsdocs.standards import load_standards

    standards = load_standards()
    controls = [c.id for c in standards.iso42001.controls()]
    for control_id, loc in cited:
        if control_id not in controls:
            near = difflib.get_close_matches(control_id, controls, n=1)
            problems.add(f"'{control_id}' is not an ISO/IEC 42001 Annex A control",
                         **where(*loc),
                         hint=f"did you mean '{near[0]}'?" if near else
                         "list them with `aimsdocs catalog iso42001`")
    known = standards.ai_act.annex_iii
    for point, loc in points:
        if point not in known:
            problems.add(f"'{point}' is not a point of EU AI Act Annex III", **where(*loc),
                         hint=f"use one of: {', '.join(known)}")
