"""The build manifest: for every output, what it was built from and what was written.

It lives next to the outputs (`.aimsdocs-manifest.json`). Writes are journalled: before any
output is replaced, the new hashes are recorded as `pending`; a build interrupted half-way
therefore leaves every file either old or new and recognisably ours.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.support.files import write_atomic

MANIFEST_FILE = ".aimsdocs-manifest.json"


@dataclass
class OutputRecord:
    input_hash: str  # what the output was built from (content, control data, writer version)
    output_hash: str  # sha256 of the bytes written
    document: str = ""  # doc id, or "" for pack-level outputs
    reads: dict[str, str] = field(default_factory=dict)  # profile path -> value hash
    template_hash: str = ""


@dataclass
class Manifest:
    path: Path
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    pending: dict[str, OutputRecord] = field(default_factory=dict)

    def is_ours(self, relpath: str, actual_hash: str) -> bool:
        """Was this file, as it is on disk now, written by aimsdocs?"""
        for records in (self.outputs, self.pending):
            record = records.get(relpath)
            if record is not None and record.output_hash == actual_hash:
                return True
        return False

    def settle(self, relpath: str, actual_hash: str) -> None:
        """A pending write that reached the disk becomes the current record."""
        record = self.pending.get(relpath)
        if record is not None and record.output_hash == actual_hash:
            self.outputs[relpath] = record

    def save(self) -> None:
        data = {
            "format": 1,
            "outputs": {k: asdict(v) for k, v in sorted(self.outputs.items())},
            "pending": {k: asdict(v) for k, v in sorted(self.pending.items())},
        }
        text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        write_atomic(self.path, text.encode())


def load_manifest(out_dir: Path) -> Manifest:
    path = out_dir / MANIFEST_FILE
    manifest = Manifest(path)
    if not path.exists():
        return manifest
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest.outputs = {k: OutputRecord(**v) for k, v in data.get("outputs", {}).items()}
        manifest.pending = {k: OutputRecord(**v) for k, v in data.get("pending", {}).items()}
    except (ValueError, TypeError, AttributeError) as exc:
        raise InputError(f"build manifest is damaged ({exc})", file=path,
                         hint="delete it and rebuild with --force (backups are kept)") from None
    return manifest
