"""Command line: parse arguments, call the pipeline, print, map errors to exit codes.

Exit codes: see EXIT_CODES (also shown by `aimsdocs --help` and in the README).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aimsdocs import __version__
from aimsdocs.errors import AimsdocsError, from_os_error

EXIT_CODES = """exit codes:
  0    success
  1    `build --check`: some output is out of date
  2    bad input or an environment problem (a message names the file, place and fix)
  3    a generated file was edited by hand and left alone (rerun with --force to replace it)
  70   internal error: a bug in aimsdocs (run again with --debug and report the traceback)
  130  interrupted (Ctrl-C); files already written are complete, none is half-written
"""


def _global_options(parser: argparse.ArgumentParser, on_subcommand: bool) -> None:
    """Options accepted before or after the subcommand (`aimsdocs build X --quiet` works)."""
    # After the subcommand, a default would overwrite what was given before it.
    default = argparse.SUPPRESS if on_subcommand else None
    existing = parser._option_string_actions  # argparse has no public query
    if "--debug" not in existing:
        parser.add_argument("--debug", action="store_true", default=default or False,
                            help="show tracebacks")
    if "--mappings" not in existing:
        parser.add_argument("--mappings", dest="sub_mappings" if on_subcommand else "mappings",
                            action="append", type=Path, default=default or [], metavar="PATH",
                            help="your own crosswalk layer (YAML, CSV or XLSX); may repeat")
    if "--quiet" not in existing:
        loudness = parser.add_mutually_exclusive_group()
        loudness.add_argument("--quiet", "-q", action="store_true", default=default or False,
                              help="print only errors")
        loudness.add_argument("--verbose", "-v", action="store_true", default=default or False,
                              help="list every file written")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aimsdocs",
        description="ISO/IEC 42001 AIMS documentation, built on your ISO/IEC 27001 ISMS.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"aimsdocs {__version__}")
    _global_options(parser, on_subcommand=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from aimsdocs.commands import register_all

    register_all(sub)
    for command in sub.choices.values():
        command.epilog = command.epilog or EXIT_CODES
        command.formatter_class = argparse.RawDescriptionHelpFormatter
        _global_options(command, on_subcommand=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.quiet and args.verbose:
        parser.error("--quiet and --verbose contradict each other")
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
