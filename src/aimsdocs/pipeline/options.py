"""What a build is asked to do (options) and what it would write (outputs)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from aimsdocs.errors import InputError

DEFAULT_FORMATS = ("docx", "html", "md")  # as in writers.registry, without importing it


@dataclass
class BuildOptions:
    out: Path = Path("output")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    templates: Path | None = None
    mappings: tuple[Path, ...] = ()
    isms: Path | None = None
    # reference (cite), include (also quote sections) or amend (amend the ISMS documents);
    # None: the profile's document_control.isms_mode
    isms_mode: str | None = None
    date: date | None = None
    message: str | None = None
    force: bool = False
    check: bool = False
    parallel_outputs: bool = True  # produce one pack's files in several processes
    verbosity: int = 1  # 0 --quiet (errors only), 1 a short summary, 2 --verbose (every file)


@dataclass
class Output:
    """One file the build would produce."""

    relpath: str
    input_hash: str
    produce: Callable[[], bytes]  # picklable (a partial of a module function): workers spawn
    document: str = ""
    reads: dict[str, str] = field(default_factory=dict)
    template_hash: str = ""
    title: str = ""
    parallel: bool = True  # False for outputs that share state in this process (PDF batches)


def build_date(options: BuildOptions) -> date:
    """The date stamped on new revisions: --date, else SOURCE_DATE_EPOCH, else today."""
    if options.date:
        return options.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except ValueError:
            raise InputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds",
                             hint="unset it or give a Unix timestamp") from None
    return date.today()


def isms_mode(options: BuildOptions, profile) -> str:
    """The ISMS mode of a build: the command line's, else the profile's."""
    return options.isms_mode or profile.document_control.isms_mode.value
