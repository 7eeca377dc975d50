"""One exception family. Every input problem becomes an AimsdocsError with a place and a fix.

The CLI turns these into a message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Problem:
    """One thing wrong with the input: where it is, what is wrong, how to fix it."""

    message: str
    file: str | Path | None = None
    line: int | None = None
    field: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        text = where
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text


class AimsdocsError(Exception):
    """An error the user can fix. Carries one or more Problems."""

    exit_code = 2

    def __init__(
        self,
        message: str | None = None,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
        problems: list[Problem] | None = None,
    ):
        self.problems: list[Problem] = list(problems or [])
        if message is not None:
            self.problems.insert(0, Problem(message, file, line, field, hint))
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class InputError(AimsdocsError):
    """A file the user gave us is malformed or inconsistent."""


class StaleOutputError(AimsdocsError):
    """`build --check` found outputs out of date (exit 1, not 2)."""

    exit_code = 1


class HandEditedError(AimsdocsError):
    """A generated file was edited by hand; we refuse to overwrite it without --force."""

    exit_code = 3


@dataclass
class ProblemList:
    """Collects problems so a user sees all of them at once, not one per run."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, **where) -> None:
        self.problems.append(Problem(message, **where))

    def raise_if_any(self, cls: type[AimsdocsError] = InputError) -> None:
        if self.problems:
            raise cls(problems=self.problems)


_OS_HINTS = {
    errno.ENOSPC: "free some disk space (or choose another --out) and run again; files already "
                  "there were left as they were",
    errno.EDQUOT: "free some space within your disk quota and run again",
    errno.EROFS: "the file system is read-only: choose a writable --out",
    errno.EACCES: "you may not write there: choose another --out or change the permissions",
    errno.EPERM: "you may not write there: choose another --out or change the permissions",
    errno.ENOTDIR: "a file stands where a folder is needed: check the path (is --out a file?)",
    errno.EEXIST: "a file stands where a folder is needed: check the path (is --out a file?)",
    errno.EISDIR: "a folder stands where a file is needed: check the path",
    errno.ENAMETOOLONG: "the path is too long: use a shorter --out or shorter names",
    errno.ELOOP: "a symbolic link loops or points where it may not: remove it",
}


def from_os_error(exc: OSError) -> InputError:
    """A clear, exit-2 message for a failed read or write: which file, what, how to fix it."""
    reason = exc.strerror or str(exc)
    name = errno.errorcode.get(exc.errno or 0)
    if name:
        reason += f" ({name})"
    return InputError(reason, file=exc.filename, hint=_OS_HINTS.get(exc.errno or 0,
                      "check the path and its permissions, then run again"))
