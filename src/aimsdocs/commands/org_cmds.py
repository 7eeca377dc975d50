"""Commands on organisation folders: init, validate, schema, build, soa, gap, approve.

validate, build and gap also print the ISMS import's one-line summary and its warnings.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from aimsdocs.errors import InputError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--date {text!r} is not a date", hint="use YYYY-MM-DD") from None


def verbosity(args) -> int:
    return 0 if getattr(args, "quiet", False) else 2 if getattr(args, "verbose", False) else 1


def say(args, text: str) -> None:
    """A confirmation line; --quiet leaves only errors."""
    if verbosity(args):
        print(text)


def _mappings_option(parser) -> None:
    parser.add_argument("--mappings", dest="sub_mappings", action="append", type=Path,
                        default=[], metavar="PATH",
                        help="your own crosswalk layer (YAML, CSV or XLSX); may repeat")


def _isms_mode_option(parser) -> None:
    parser.add_argument("--isms-mode", choices=("reference", "include", "amend"), default=None,
                        help="cite the ISMS documents (reference), also quote their sections "
                             "(include), or amend them for AI as tracked changes and patches "
                             "in isms-amendments/ (amend); default: the profile's "
                             "document_control.isms_mode, else reference")


def _format_help() -> str:
    from aimsdocs.writers.registry import help_text

    return help_text()


def register(sub) -> None:
    init = sub.add_parser("init", help="scaffold an organisation folder with a commented profile")
    init.add_argument("dir", type=Path)
    init.set_defaults(handler=cmd_init)

    validate = sub.add_parser("validate", help="check an organisation folder (exit 0 or 2)")
    validate.add_argument("org", type=Path)
    validate.add_argument("--isms", type=Path, help="existing ISMS folder (default ORG/isms)")
    validate.add_argument("--templates", type=Path, help="template overrides folder")
    _mappings_option(validate)
    validate.set_defaults(handler=cmd_validate)

    schema = sub.add_parser("schema", help="print the profile's JSON Schema")
    schema.set_defaults(handler=cmd_schema)

    build = sub.add_parser("build", help="write the AIMS pack for one or more organisations")
    build.add_argument("orgs", type=Path, nargs="+", metavar="ORG",
                       help="organisation folder(s), or a folder of organisation folders")
    build.add_argument("--out", type=Path, default=Path("output"), help="default: output/")
    build.add_argument("--format", default="docx,html,md", help=_format_help())
    build.add_argument("--templates", type=Path, help="template overrides folder")
    build.add_argument("--isms", type=Path, help="existing ISMS folder (default ORG/isms)")
    _isms_mode_option(build)
    build.add_argument("--date", type=_date, help="date for new revisions (YYYY-MM-DD)")
    build.add_argument("--message", "-m", help="note added to each new revision-history line")
    build.add_argument("--force", action="store_true",
                       help="overwrite hand-edited outputs (a .bak copy is kept)")
    build.add_argument("--check", action="store_true",
                       help="write nothing; exit 1 if any output is out of date")
    build.add_argument("--jobs", "-j", type=int, default=1, help="organisations built in parallel")
    _mappings_option(build)
    build.set_defaults(handler=cmd_build)

    soa = sub.add_parser("soa", help="write the Statement of Applicability alone")
    soa.add_argument("org", type=Path)
    soa.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    soa.add_argument("--isms", type=Path)
    _isms_mode_option(soa)
    soa.add_argument("--force", action="store_true",
                     help="replace a file aimsdocs did not write (a .bak copy is kept)")
    _mappings_option(soa)
    soa.set_defaults(handler=cmd_soa)

    gap = sub.add_parser("gap", help="gap and traceability report per ISO/IEC 42001 requirement")
    gap.add_argument("org", type=Path)
    gap.add_argument("--isms", type=Path, help="existing ISMS folder (default ORG/isms)")
    gap.add_argument("--json", action="store_true")
    gap.add_argument("--templates", type=Path)
    _isms_mode_option(gap)
    _mappings_option(gap)
    gap.set_defaults(handler=cmd_gap)

    approve = sub.add_parser("approve", help="record approval of a document's current version")
    approve.add_argument("org", type=Path)
    approve.add_argument("doc_id")
    approve.add_argument("--by", required=True, help="who approved it")
    approve.add_argument("--date", type=_date, help="approval date (default: today)")
    approve.add_argument("--isms", type=Path, help="as given to build (default ORG/isms)")
    approve.add_argument("--templates", type=Path, help="as given to build")
    _isms_mode_option(approve)
    _mappings_option(approve)
    approve.set_defaults(handler=cmd_approve)


def cmd_init(args) -> int:
    from aimsdocs.profile.scaffold import scaffold

    created = scaffold(args.dir)
    say(args, f"created {created}; edit it, then run `aimsdocs validate {args.dir}`")
    return 0


def cmd_validate(args) -> int:
    from aimsdocs.pipeline.options import BuildOptions
    from aimsdocs.pipeline.prepare import load_inputs, plan_pack

    options = BuildOptions(isms=args.isms, templates=args.templates,
                           mappings=tuple(args.mappings))
    org, standards, isms, _env, specs, _ = load_inputs(args.org, options)
    plan = plan_pack(org, standards, specs, isms, options)
    uncovered = plan.uncovered()
    if uncovered:
        raise InputError("no document addresses " + ", ".join(uncovered), file=org.root,
                         hint="a template override removed coverage; add these ids to a "
                              "template's 'addresses'")
    extra = f", existing ISMS: {len(isms.documents)} documents" if isms else ""
    say(args, f"{org.profile_path}: valid ({len(org.profile.ai_systems)} AI systems, "
              f"{len(plan.documents)} documents planned{extra})")
    if isms is not None:
        for line in isms.import_lines():
            say(args, line)
    return 0


def cmd_schema(args) -> int:
    from aimsdocs.profile.scaffold import profile_schema

    print(json.dumps(profile_schema(), indent=2))
    return 0


def cmd_build(args) -> int:
    from aimsdocs.pipeline.batch import run_batch
    from aimsdocs.pipeline.options import BuildOptions
    from aimsdocs.writers.registry import FORMATS

    formats = tuple(dict.fromkeys(f.strip().lower() for f in args.format.split(",")
                                  if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise InputError(f"unknown format(s) {', '.join(unknown) or '(none)'}", field="--format",
                         hint=f"use a comma-separated list of {', '.join(FORMATS)}")
    for name in formats:
        if FORMATS[name].requires:
            FORMATS[name].function(FORMATS[name].requires)()
    if args.jobs < 1:
        raise InputError("--jobs must be at least 1", field="--jobs")
    options = BuildOptions(
        out=args.out, formats=formats, templates=args.templates, mappings=tuple(args.mappings),
        isms=args.isms, isms_mode=args.isms_mode, date=args.date, message=args.message,
        force=args.force, check=args.check, verbosity=verbosity(args),
    )
    return run_batch(args.orgs, options, jobs=args.jobs, debug=args.debug)


def cmd_soa(args) -> int:
    from aimsdocs.pipeline.options import BuildOptions
    from aimsdocs.pipeline.prepare import load_inputs, plan_pack, soa_control
    from aimsdocs.pipeline.state import load_state
    from aimsdocs.support.files import write_single_output
    from aimsdocs.writers.soa import write_soa

    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"the Statement of Applicability is a workbook, not '{out.suffix}'",
                         file=out, hint="give --out a file name ending in .xlsx")
    options = BuildOptions(isms=args.isms, mappings=tuple(args.mappings),
                           isms_mode=args.isms_mode)
    org, standards, isms, _env, specs, _ = load_inputs(args.org, options)
    plan = plan_pack(org, standards, specs, isms, options)
    # The version a build recorded, when the SoA has not changed since; never a new version.
    state = load_state(org.root).documents.get(plan.soa_document_id)
    data = write_soa(plan, links={}, control=soa_control(plan, state, org, current_only=True))
    kept = write_single_output(out, data, args.force)
    say(args, f"wrote {out} ({len(plan.soa)} controls)" + (f"; kept backup {kept}" if kept else ""))
    return 0


def cmd_gap(args) -> int:
    from aimsdocs.pipeline.options import BuildOptions
    from aimsdocs.pipeline.prepare import load_inputs, plan_pack
    from aimsdocs.plan.gap import gap_rows, gap_summary

    options = BuildOptions(isms=args.isms, templates=args.templates,
                           mappings=tuple(args.mappings), isms_mode=args.isms_mode)
    org, standards, isms, _env, specs, _ = load_inputs(args.org, options)
    plan = plan_pack(org, standards, specs, isms, options)
    rows = gap_rows(plan)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        if isms is not None:  # the JSON stays clean on stdout
            print("\n".join(isms.import_lines()), file=sys.stderr)
        return 0
    summary = gap_summary(plan)
    for row in rows:
        sources = "; ".join(f"{s['doc_id']} v{s['version'] or '?'}" for s in row["isms_sources"])
        print(f"{row['requirement']:<8} {row['strategy']:<9} {row['title'][:48]:<48} "
              f"{sources or '-'}")
    print()
    for line in summary["lines"]:
        print(line)
    if isms is not None:
        print()
        for line in isms.import_lines():
            print(line)
    return 0


def cmd_approve(args) -> int:
    from aimsdocs.pipeline.options import BuildOptions, build_date
    from aimsdocs.pipeline.redlines import save_approved
    from aimsdocs.pipeline.state import load_state
    from aimsdocs.profile import load_org
    from aimsdocs.support.files import write_atomic
    from aimsdocs.support.locks import locked

    org = load_org(args.org)
    approved_on = build_date(BuildOptions(date=args.date))  # --date, SOURCE_DATE_EPOCH, today
    with locked(org.root, org.root / "aimsdocs-state.yaml"):  # never while a build runs
        state = load_state(org.root)
        doc = state.documents.get(args.doc_id)
        if doc is None:
            known = ", ".join(sorted(state.documents)[:8])
            raise InputError(f"no built document '{args.doc_id}'", file=state.path,
                             hint=f"build first; known ids: {known}" if known else "build first")
        approved = _approved_text(args, org, doc)
        if approved is not None:  # kept first: a state naming it never lacks the text
            save_approved(org.root, approved, args.by, approved_on)
        doc.approved_by = args.by
        doc.approved_on = approved_on
        doc.approved_version = doc.version
        write_atomic(state.path, state.to_yaml().encode())
    say(args, f"{args.doc_id} version {doc.version} approved by {args.by}; rebuild to show it")
    return 0


def _approved_text(args, org, doc):
    """The document as the last build rendered it (the version being approved), for the
    redline of its next version; None for the SoA workbook, or a document no longer built.
    Refused when the pack has changed since that build: the text would not be the version."""
    from aimsdocs.pipeline.options import BuildOptions
    from aimsdocs.pipeline.prepare import prepare

    options = BuildOptions(isms=args.isms, templates=args.templates,
                           mappings=tuple(args.mappings), isms_mode=args.isms_mode)
    pack = prepare(org.root, options)
    rendered = next((d for d in pack.rendered if d.doc_id == args.doc_id), None)
    if rendered is None:
        return None
    now = pack.state.documents[args.doc_id]
    if now.content_hash != doc.content_hash:
        raise InputError(
            f"{args.doc_id} has changed since the last build (version {doc.version} is not "
            "what the pack says now)", file=org.root / "aimsdocs-state.yaml",
            hint="run `aimsdocs build` first, with the options you build with, then approve "
                 "the version it writes")
    return rendered
