"""The build manifest: for every output, what it was built from and what was written.

It lives next to the outputs (`.aimsdocs-manifest.json`). Writes are journalled: before any
output is replaced, the new hashes are recorded as `pending`; a build interrupted half-way
therefore leaves every file either old or new and recognisably ours.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
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


MAX_MANIFEST_BYTES = 64 * 1024 * 1024
_FIELDS = {"input_hash": str, "output_hash": str, "document": str, "reads": dict,
           "template_hash": str}


@dataclass
class Manifest:
    path: Path
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    pending: dict[str, OutputRecord] = field(default_factory=dict)
    owner: str = ""  # the organisation whose pack this folder holds (its legal name)
    owner_changed: bool = False

    def claim(self, organisation: str, folder: Path) -> None:
        """Make sure this pack folder is this organisation's (or new), never another's."""
        if self.owner and self.owner != organisation:
            raise InputError(
                f"this folder holds the pack of '{self.owner}', not of '{organisation}'",
                file=folder,
                hint="two organisations share a short name: give one of them another "
                     "organisation.short_name, or build it into another --out (if the "
                     "organisation was renamed, move the old pack folder away first)")
        if self.owner != organisation:
            self.owner = organisation
            self.owner_changed = True

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
        """One line per record, so the file diffs well and writes fast. The profile fields a
        document read are stored once under their hash, not once per format: a pack-wide
        document of a thousand AI systems reads thousands of fields."""
        reads: dict[str, str] = {}  # key -> the reads as JSON
        keys: dict[int, str] = {}  # the formats of one document share one reads dict

        def entry(record: OutputRecord) -> str:
            fields: dict[str, str] = {"input_hash": record.input_hash,
                                      "output_hash": record.output_hash,
                                      "document": record.document,
                                      "template_hash": record.template_hash}
            if record.reads:
                key = keys.get(id(record.reads))
                if key is None:
                    text = _reads_text(record.reads)
                    key = keys[id(record.reads)] = _key_of(text)
                    reads[key] = text
                fields["reads"] = key
            return json.dumps(fields, sort_keys=True, ensure_ascii=False)

        def block(records: dict[str, str]) -> str:
            if not records:
                return "{}"
            lines = [f" {json.dumps(k, ensure_ascii=False)}: {v}" for k, v in records.items()]
            return "{\n" + ",\n".join(lines) + "\n}"

        outputs = {k: entry(v) for k, v in sorted(self.outputs.items())}
        pending = {k: entry(v) for k, v in sorted(self.pending.items())}
        table = dict(sorted(reads.items()))
        text = (f'{{"format": {FORMAT}, "owner": {json.dumps(self.owner, ensure_ascii=False)},\n'
                f'"outputs": {block(outputs)},\n"pending": {block(pending)},\n'
                f'"reads": {block(table)}}}\n')
        write_atomic(self.path, text.encode())


FORMAT = 2  # 1: each record held its reads inline (still read)


def _reads_text(reads: dict[str, str]) -> str:
    return json.dumps(reads, sort_keys=True, ensure_ascii=False)


def _key_of(reads_text: str) -> str:
    return hashlib.sha256(reads_text.encode()).hexdigest()[:16]


def load_manifest(out_dir: Path) -> Manifest:
    path = out_dir / MANIFEST_FILE
    manifest = Manifest(path)
    if not path.exists():
        return manifest
    hint = "delete it and rebuild with --force (backups are kept)"
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise InputError("build manifest is implausibly large", file=path, hint=hint)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise InputError(f"build manifest is damaged ({reason})", file=path, hint=hint) from None
    if not isinstance(data, dict):
        raise InputError("build manifest is damaged (not a JSON object)", file=path, hint=hint)
    owner = data.get("owner", "")
    manifest.owner = owner if isinstance(owner, str) else ""
    table = data.get("reads", {})
    if not isinstance(table, dict):
        raise InputError("build manifest is damaged ('reads' is not an object)", file=path,
                         hint=hint)
    for key in ("outputs", "pending"):
        records = data.get(key, {})
        if not isinstance(records, dict):
            raise InputError(f"build manifest is damaged ('{key}' is not an object)", file=path,
                             hint=hint)
        for relpath, raw in records.items():
            if isinstance(raw, dict) and isinstance(raw.get("reads"), str):
                raw = raw | {"reads": table.get(raw["reads"])}  # format 2: a key into 'reads'
            record = _record(raw)
            if record is None:
                raise InputError(f"build manifest is damaged (entry {relpath!r})", file=path,
                                 hint=hint)
            getattr(manifest, key)[relpath] = record
    return manifest


def _record(raw) -> OutputRecord | None:
    if not isinstance(raw, dict) or set(raw) - set(_FIELDS):
        return None
    if not all(isinstance(raw.get(k, kind()), kind) for k, kind in _FIELDS.items()):
        return None
    if "input_hash" not in raw or "output_hash" not in raw:
        return None
    reads = raw.get("reads", {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in reads.items()):
        return None
    return OutputRecord(**raw)
