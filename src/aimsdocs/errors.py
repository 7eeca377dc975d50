"""One exception family. Every input problem becomes an AimsdocsError with a place and a fix.

The CLI turns these into a message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

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
