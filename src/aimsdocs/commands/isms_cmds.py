"""`aimsdocs isms ORG`: what aimsdocs read in the organisation's ISMS, and what it concluded.

Every file read or skipped (and why); each document's identity and kind with where each came
from; its coverage claims with tier and evidence location; documents that contribute nothing;
documents named but not supplied; SoA rows that did not resolve; warnings. `--suggest` writes
isms/isms.suggested.yaml with candidate declarations for the user to review.
"""

from __future__ import annotations

import json
from pathlib import Path

from aimsdocs.errors import InputError

CONFIRM = "candidate — confirm"


def register(sub) -> None:
    isms = sub.add_parser("isms", help="show what aimsdocs reads in an existing ISMS, and why")
    isms.add_argument("org", type=Path, help="organisation folder (or an ISMS folder itself)")
    isms.add_argument("--isms", type=Path, help="existing ISMS folder (default ORG/isms)")
    isms.add_argument("--json", action="store_true", help="everything, as JSON")
    isms.add_argument("--suggest", action="store_true",
                      help="write isms.suggested.yaml: candidate declarations to review")
    isms.add_argument("--mappings", dest="sub_mappings", action="append", type=Path,
                      default=[], metavar="PATH", help="your own crosswalk layer; may repeat")
    isms.set_defaults(handler=cmd_isms)


def isms_folder(org: Path, isms: Path | None) -> Path:
    """--isms, else ORG/isms, else ORG itself when it holds no profile (an ISMS folder)."""
    if isms is not None:
        if not isms.is_dir():
            raise InputError("ISMS folder not found", file=isms,
                             hint="give the folder that holds your ISMS documents and SoA")
        return isms
    if not org.is_dir():
        raise InputError("folder not found", file=org,
                         hint="give an organisation folder (with isms/) or an ISMS folder")
    if (org / "isms").is_dir():
        return org / "isms"
    if (org / "profile.yaml").is_file():
        raise InputError("this organisation has no isms/ folder", file=org,
                         hint="put the existing ISMS documents in ORG/isms/ or pass --isms")
    return org


def cmd_isms(args) -> int:
    from aimsdocs import __version__
    from aimsdocs.isms import load_isms
    from aimsdocs.isms.suggest import render, suggestions, written_by_us
    from aimsdocs.standards import load_standards
    from aimsdocs.support.files import write_atomic

    folder = isms_folder(args.org, args.isms)
    standards = load_standards(tuple(args.mappings))
    inventory = load_isms(folder, standards)
    if args.suggest:
        target = inventory.root / "isms.suggested.yaml"
        if target.exists():
            ours, unchanged = written_by_us(target.read_text(encoding="utf-8", errors="replace"))
            if not ours:
                raise InputError("isms.suggested.yaml exists and was not written by aimsdocs; "
                                 "it was left alone", file=target,
                                 hint="rename or remove it, then run --suggest again")
            if not unchanged:
                backup = target.with_name(target.name + ".bak")
                write_atomic(backup, target.read_bytes())
                print(f"kept your edited copy as {backup}")
        write_atomic(target, render(inventory, __version__).encode("utf-8"))
        count = len(suggestions(inventory))
        print(f"wrote {target} ({count} candidate declarations; not read by aimsdocs until "
              "you review it and rename it to isms.yaml)")
        return 0
    if args.json:
        print(json.dumps(describe(inventory), indent=2, ensure_ascii=False))
        return 0
    for line in report_lines(inventory):
        print(line)
    return 0


def describe(inventory) -> dict:
    """Everything `aimsdocs isms` shows, as plain values (the --json output)."""
    by_doc: dict[str, list] = {doc_id: [] for doc_id in inventory.documents}
    for claim in inventory.claims:
        by_doc[claim.doc_id].append(claim)
    return {
        "root": str(inventory.root),
        "summary": inventory.summary(),
        "files": [{"path": f.relpath, "role": f.role, "reason": f.reason}
                  for f in inventory.files],
        "documents": [
            {
                "doc_id": doc.doc_id, "title": doc.title, "version": doc.version,
                "owner": doc.owner, "approver": doc.approver,
                "effective_date": doc.effective_date, "next_review": doc.next_review,
                "path": doc.relpath, "format": doc.format, "kind": doc.kind,
                "type": doc.doc_type, "kind_source": doc.kind_source,
                "field_sources": dict(doc.field_sources),
                "claims": [_claim(c) for c in by_doc[doc.doc_id]],
            }
            for doc in inventory.documents.values()
        ],
        "contribute_nothing": inventory.silent_documents(),
        "not_supplied": [{"name": n.name, "items": list(n.items), "named_in": list(n.places)}
                         for n in inventory.not_supplied],
        "soa": {
            "path": str(inventory.soa_path) if inventory.soa_path else None,
            "rows": len(inventory.soa),
            "unresolved": [{"control": e.control_id, "row": e.row,
                            "references": list(e.unresolved)}
                           for e in inventory.soa_unresolved],
        },
        "mentions": [_claim(c) for c in inventory.mentions],
        "warnings": list(inventory.warnings),
    }


def _claim(claim) -> dict:
    return {"standard": claim.standard, "item": claim.item_id, "doc_id": claim.doc_id,
            "tier": claim.provenance.value, "candidate": claim.candidate,
            "evidence": claim.evidence, "where": claim.where()}


def report_lines(inventory) -> list[str]:
    lines = [f"ISMS folder {inventory.root}", inventory.summary(), "", "Files"]
    width = max((len(f.relpath) for f in inventory.files), default=10)
    for entry in inventory.files:
        status = "skipped" if entry.role == "skipped" else "read"
        what = entry.reason if entry.role == "skipped" else entry.role + (
            f" ({entry.reason})" if entry.reason else "")
        lines.append(f"  {status:<7} {entry.relpath:<{width}}  {what}")
    lines += ["", "Documents"]
    by_doc: dict[str, list] = {doc_id: [] for doc_id in inventory.documents}
    for claim in inventory.claims:
        by_doc[claim.doc_id].append(claim)
    for doc in inventory.documents.values():
        version = f" v{doc.version}" if doc.version else ""
        lines.append(f"  {doc.doc_id}  {doc.title}{version}  ({doc.relpath})")
        lines.append(f"      kind: {doc.kind}{f' ({doc.doc_type})' if doc.doc_type else ''}, "
                     f"from {doc.kind_source}")
        for name in ("id", "title", "version", "owner", "approver", "effective date",
                     "next review"):
            value = {"id": doc.doc_id, "title": doc.title, "version": doc.version,
                     "owner": doc.owner, "approver": doc.approver,
                     "effective date": doc.effective_date,
                     "next review": doc.next_review}[name]
            if value:
                lines.append(f"      {name}: {value}  [{doc.source_of(name) or 'fallback'}]")
        firm = {c.key for c in by_doc[doc.doc_id] if not c.candidate}
        claims = [c for c in by_doc[doc.doc_id] if not c.candidate or c.key not in firm]
        if not claims:
            lines.append("      covers nothing aimsdocs could find")
        for claim in claims:
            tier = CONFIRM if claim.candidate else claim.provenance.value
            where = f"  [{claim.where()}]" if claim.where() else ""
            lines.append(f"      {claim.item_id:<8} {_standard(claim.standard)} {tier:<20} "
                         f"{claim.evidence}{where}")
    silent = inventory.silent_documents()
    lines += ["", f"Documents that contribute nothing: {', '.join(silent) if silent else 'none'}"]
    lines += ["", "Named but not supplied" + (":" if inventory.not_supplied else ": none")]
    for missing in inventory.not_supplied:
        items = f" for {', '.join(missing.items)}" if missing.items else ""
        lines.append(f"  {missing.name}{items}  (named in {'; '.join(missing.places[:4])}"
                     f"{' …' if len(missing.places) > 4 else ''})")
    unresolved = inventory.soa_unresolved
    if inventory.soa_path is not None:
        lines += ["", "SoA rows whose reference names no document" +
                  (":" if unresolved else ": none")]
        for entry in unresolved:
            lines.append(f"  {entry.control_id} (row {entry.row}): {'; '.join(entry.unresolved)}")
    if inventory.mentions:
        lines += ["", f"Also cited, where a stronger statement decides ({len(inventory.mentions)};"
                      " see --json or --suggest)"]
    lines += ["", "Warnings" + (":" if inventory.warnings else ": none")]
    lines += [f"  {w}" for w in inventory.warnings]
    return lines


def _standard(standard: str) -> str:
    return {"iso27001": "27001", "iso9001": "9001"}.get(standard, standard)
