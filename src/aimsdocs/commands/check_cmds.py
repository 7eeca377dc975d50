"""`aimsdocs check ORG`: is the pack, as rendered, consistent with itself and the ISMS?"""

from __future__ import annotations

import json
from pathlib import Path


def register(sub) -> None:
    check = sub.add_parser(
        "check", help="consistency of the rendered pack: roles, parameters, references, "
                      "self-approval (exit 1 on findings)")
    check.add_argument("org", type=Path)
    check.add_argument("--isms", type=Path, help="existing ISMS folder (default ORG/isms)")
    check.add_argument("--templates", type=Path, help="template overrides folder")
    check.add_argument("--isms-mode", choices=("reference", "include", "amend"), default=None,
                       help="as given to build (default: the profile's)")
    check.add_argument("--json", action="store_true")
    check.add_argument("--mappings", dest="sub_mappings", action="append", type=Path,
                       default=[], metavar="PATH")
    check.set_defaults(handler=cmd_check)


def cmd_check(args) -> int:
    from aimsdocs.check import check_pack
    from aimsdocs.pipeline.options import BuildOptions
    from aimsdocs.pipeline.prepare import prepare

    options = BuildOptions(isms=args.isms, templates=args.templates,
                           mappings=tuple(args.mappings), isms_mode=args.isms_mode)
    pack = prepare(args.org, options)
    report = check_pack(pack.plan, pack.rendered)
    if args.json:
        print(json.dumps({"documents": report.documents,
                          "findings": [f.as_json() for f in report.findings]},
                         indent=2, ensure_ascii=False))
    else:
        for finding in report.findings:
            print("\n".join(finding.lines()))
            print()
        print(report.summary())
    return 0 if report.clean else 1
