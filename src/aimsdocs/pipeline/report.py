"""What a build did, for the command line: kept light, as a no-op rebuild prints it too."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class BuildReport:
    organisation: str
    out_dir: Path
    written: list[tuple[str, str]] = field(default_factory=list)  # (relpath, why)
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    backups: list[str] = field(default_factory=list)
    stale: list[tuple[str, str]] = field(default_factory=list)
    documents: int = 0
    todo_count: int = 0
    versions_changed: list[str] = field(default_factory=list)
    isms_lines: list[str] = field(default_factory=list)  # the ISMS import summary, warnings
    check: str = ""  # one-line result of the consistency check of the pack
    overdue: list[str] = field(default_factory=list)  # ISMS documents relied on, past review
    withdrawn: list[str] = field(default_factory=list)  # proposals no longer made, removed

    def summary(self, verbose: bool = False) -> list[str]:
        """What a person wants to see: every file with --verbose, otherwise why files changed."""
        lines = []
        if verbose:
            lines += [f"  wrote {relpath}  ({why})" for relpath, why in self.written]
        else:
            lines += _reasons(self.written)
        lines += _proposals(self.written, self.withdrawn)
        for kept in self.backups:
            lines.append(f"  kept backup {kept}")
        lines.append(
            f"{self.organisation}: {len(self.written)} file(s) written, {self.unchanged} "
            f"unchanged, {self.documents} documents in {self.out_dir}")
        if self.todo_count:
            lines.append(f"  {self.todo_count} item(s) marked [TO COMPLETE: …] await the "
                         "organisation's input")
        if self.overdue:
            lines.append(f"  ISMS: {len(self.overdue)} document(s) relied on are past their "
                         f"next review: {', '.join(self.overdue)}")
        if self.check:
            lines.append(f"  {self.check}")
        lines += [f"  {line}" for line in self.isms_lines]
        return lines


MAX_REASONS = 8


def _reasons(written: list[tuple[str, str]]) -> list[str]:
    """One line per reason ("AI policy: profile.x changed (3 files)"), the first few only."""
    counts: dict[str, int] = {}
    for _, why in written:
        counts[why] = counts.get(why, 0) + 1
    lines = [f"  {count} new file(s)" if why == "new" else
             f"  {why} ({count} file{'s' if count > 1 else ''})"
             for why, count in list(counts.items())[:MAX_REASONS]]
    if len(counts) > MAX_REASONS:
        lines.append(f"  … and {len(counts) - MAX_REASONS} more reasons (--verbose lists every "
                     "file)")
    return lines


def _proposals(written: list[tuple[str, str]], withdrawn: list[str]) -> list[str]:
    """The redlines and ISMS amendments a build wrote, by name: a person acts on each."""
    lines = [f"  redline of the changes since approval: {relpath}" for relpath, _ in written
             if relpath.startswith("redlines/")]
    amended = [relpath for relpath, _ in written if relpath.startswith("isms-amendments/")
               and not relpath.startswith("isms-amendments/README")
               and not relpath.endswith(".patch")]
    if amended:
        lines.append(f"  {len(amended)} ISMS document(s) amended for AI, to review and "
                     "approve: see isms-amendments/README.md")
    lines += [f"  withdrew {relpath} (no longer proposed)" for relpath in withdrawn]
    return lines
