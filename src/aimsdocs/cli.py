"""Command line: parse arguments, call the pipeline, print, map errors to exit codes.

Exit codes: 0 ok; 1 `build --check` found stale outputs; 2 bad input (a clear message, no
traceback unless --debug); 3 a hand-edited output was left alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aimsdocs import __version__
from aimsdocs.errors import AimsdocsError, from_os_error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aimsdocs",
        description="ISO/IEC 42001 AIMS documentation, built on your ISO/IEC 27001 ISMS.",
    )
    parser.add_argument("--version", action="version", version=f"aimsdocs {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--mappings", action="append", type=Path, default=[], metavar="PATH",
                        help="your own crosswalk layer (YAML, CSV or XLSX); may repeat")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from aimsdocs.commands import register_all

    register_all(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    args.mappings = list(args.mappings) + list(getattr(args, "sub_mappings", None) or [])
    try:
        return int(args.handler(args) or 0)
    except AimsdocsError as exc:
        if args.debug:
            raise
        print(f"aimsdocs: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("aimsdocs: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # disk full, read-only folder, a file where a folder belongs...
        if args.debug:
            raise
        print(f"aimsdocs: error: {from_os_error(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug, not user error: say so plainly
        if args.debug:
            raise
        print(f"aimsdocs: internal error: {type(exc).__name__}: {exc}\n"
              "  this is a bug in aimsdocs; run again with --debug and report the traceback",
              file=sys.stderr)
        return 70


if __name__ == "__main__":
    raise SystemExit(main())
