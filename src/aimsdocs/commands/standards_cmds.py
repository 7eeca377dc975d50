"""`catalog`, `map` and `crosswalk`: look at the standards and the crosswalk."""

from __future__ import annotations

import json
from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.standards import STANDARD_NAMES, load_standards
from aimsdocs.standards.catalogue import normalise_id
from aimsdocs.standards.query import related


def register(sub) -> None:
    catalog = sub.add_parser("catalog", help="list a standard's clauses and controls")
    catalog.add_argument("standard", choices=sorted(STANDARD_NAMES))
    catalog.add_argument("--json", action="store_true", help="JSON list of objects")
    catalog.add_argument("--objectives", action="store_true",
                         help="also list Annex A objectives (control groups)")
    catalog.set_defaults(handler=cmd_catalog)

    mapping = sub.add_parser("map", help="everything related to an id, in either direction")
    mapping.add_argument("id", help="e.g. 6.1.4, A.6.2.8, A.8.15, 8.3 or a 2013 id (A.12.4.1)")
    mapping.add_argument("--standard", choices=sorted(STANDARD_NAMES),
                         help="which standard the id belongs to, when it exists in several")
    mapping.add_argument("--json", action="store_true")
    mapping.set_defaults(handler=cmd_map)

    crosswalk = sub.add_parser("crosswalk", help="export the whole crosswalk")
    crosswalk.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|FILE.md")
    crosswalk.add_argument("--force", action="store_true",
                           help="replace a file aimsdocs did not write (a .bak copy is kept)")
    crosswalk.set_defaults(handler=cmd_crosswalk)


def cmd_catalog(args) -> int:
    standards = load_standards(args.mappings)
    catalogue = standards.catalogue(args.standard)
    kinds = ("clause", "objective", "control") if args.objectives else ("clause", "control")
    entries = catalogue.of_kind(*kinds)
    if args.json:
        print(json.dumps([_entry_json(e) for e in entries], indent=2, ensure_ascii=False))
        return 0
    print(f"{catalogue.name}: {len(entries)} entries")
    width = max(len(e.id) for e in entries)
    for e in entries:
        print(f"{e.id:<{width}}  {e.kind:<9}  {e.title}")
    return 0


def _entry_json(e) -> dict:
    data = {"id": e.id, "kind": e.kind, "title": e.title, "parent": e.parent,
            "summary": e.summary}
    if e.theme:
        data["theme"] = e.theme
    if e.documented_information:
        data["documented_information"] = [
            {"obligation": d.obligation, "artefact": d.artefact} for d in e.documented_information
        ]
    if e.maps_to:
        data["maps_to"] = list(e.maps_to)
    return data


def cmd_map(args) -> int:
    standards = load_standards(args.mappings)
    item_id = normalise_id(args.id)
    result = related(standards, item_id, args.standard)
    if not result.found:
        near = sorted({s for cat in ("iso42001", "iso27001", "iso9001", "iso27001-2013")
                       for s in standards.catalogue(cat).suggest(item_id)})
        raise InputError(f"unknown id '{args.id}'", field="id",
                         hint=f"did you mean {', '.join(near[:5])}?" if near else
                         "list ids with `aimsdocs catalog iso42001`")
    if args.json:
        print(json.dumps([r.as_json() for r in result.rows], indent=2, ensure_ascii=False))
        return 0
    for line in result.describe():
        print(line)
    return 0


def cmd_crosswalk(args) -> int:
    from aimsdocs.writers.crosswalk_export import write_crosswalk

    standards = load_standards(args.mappings)
    out: Path = args.out
    if out.suffix.lower() not in (".xlsx", ".md"):
        raise InputError(f"cannot write '{out.suffix}'", file=out, hint="use .xlsx or .md")
    from aimsdocs.support.files import write_single_output

    kept = write_single_output(out, write_crosswalk(standards, out.suffix.lower()), args.force)
    from aimsdocs.commands.org_cmds import say

    say(args, f"wrote {out} ({len(standards.crosswalk)} links)"
        + (f"; kept backup {kept}" if kept else ""))
    return 0
