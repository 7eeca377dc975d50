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

    def summary(self) -> list[str]:
        lines = []
        for relpath, why in self.written:
            lines.append(f"  wrote {relpath}  ({why})")
        for backup in self.backups:
            lines.append(f"  kept backup {backup}")
        lines.append(
            f"{self.organisation}: {len(self.written)} file(s) written, {self.unchanged} "
            f"unchanged, {self.documents} documents in {self.out_dir}")
        if self.todo_count:
            lines.append(f"  {self.todo_count} item(s) marked [TO COMPLETE: …] await the "
                         "organisation's input")
        return lines
