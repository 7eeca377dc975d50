"""The no-op rebuild: when nothing a build reads has changed, nothing is planned or rendered.

After a successful build, a stamp next to the outputs records a hash of everything the build
read (the organisation folder, an ISMS, template or mapping folder named on the command line,
aimsdocs' own code and data), the options that shape the outputs, and the hash of every file
in the pack. A later build that finds the same inputs and every output exactly as written has
nothing to do, and says so without importing the planner, the templates or any writer
library. Anything else (an edited input, a hand-edited or missing output, a half-finished
build) takes the normal path, which decides file by file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from aimsdocs.pipeline.options import BuildOptions

STAMP_FILE = ".aimsdocs-stamp.json"
STATE_FILE = "aimsdocs-state.yaml"  # written by builds, so hashed after the build
MANIFEST_FILE = ".aimsdocs-manifest.json"


@dataclass
class Stamp:
    org_dir: Path
    options: BuildOptions
    inputs: str  # hash of every input but the state file, taken before the build

    @classmethod
    def of(cls, org_dir: Path, options: BuildOptions) -> Stamp:
        return cls(org_dir, options, _inputs_digest(org_dir, options))

    def current(self):
        """The report of a build with nothing to do, or None when a build must look closer."""
        found = self._find()
        if found is None:
            return None
        out_dir, data = found
        state = _file_hash(self.org_dir / STATE_FILE)  # as it is now: it may be hand-edited
        if data.get("inputs") != self._full_digest(state) or not _intact(out_dir, data):
            return None
        from aimsdocs.pipeline.report import BuildReport

        return BuildReport(data["organisation"], out_dir, unchanged=len(data["outputs"]),
                           documents=data["documents"], todo_count=data["todo_count"],
                           isms_lines=list(data.get("isms_lines", [])),
                           check=str(data.get("check", "")),
                           overdue=list(data.get("overdue", [])))

    def record(self, out_dir: Path, report) -> None:
        """After a successful build: remember inputs and outputs for the next one."""
        if _inputs_digest(self.org_dir, self.options) != self.inputs:
            return  # an input changed while building: let the next build look closer
        manifest = out_dir / MANIFEST_FILE
        try:
            records = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if records.get("pending"):
            return
        state = _file_hash(self.org_dir / STATE_FILE)
        data = {
            "source": str(self.org_dir.resolve()),
            "inputs": self._full_digest(state),
            "state": state,
            "organisation": report.organisation,
            "documents": report.documents,
            "todo_count": report.todo_count,
            # what the summary says besides the files, so a no-op rebuild says it too
            "isms_lines": report.isms_lines,
            "check": report.check,
            "overdue": report.overdue,
            "outputs": {relpath: record["output_hash"]
                        for relpath, record in records.get("outputs", {}).items()},
            "manifest": _file_hash(manifest),
        }
        from aimsdocs.support.files import write_atomic

        write_atomic(out_dir / STAMP_FILE, (json.dumps(data, indent=1, sort_keys=True)
                                            + "\n").encode())

    def _full_digest(self, state_hash: str) -> str:
        return hashlib.sha256(f"{self.inputs}\0{state_hash}".encode()).hexdigest()

    def _find(self) -> tuple[Path, dict] | None:
        """This organisation's stamp among the packs in the output folder."""
        source = str(self.org_dir.resolve())
        out = Path(self.options.out)
        if not out.is_dir():
            return None
        for stamp in sorted(out.glob(f"*/{STAMP_FILE}")):
            try:
                data = json.loads(stamp.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and data.get("source") == source:
                return stamp.parent, data
        return None


def _intact(out_dir: Path, data: dict) -> bool:
    """Every output, and the manifest, exactly as the last build left them."""
    if _file_hash(out_dir / MANIFEST_FILE) != data.get("manifest"):
        return False
    for relpath, expected in data.get("outputs", {}).items():
        if _file_hash(out_dir / relpath) != expected:
            return False
    return True


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "-"


def _inputs_digest(org_dir: Path, options: BuildOptions) -> str:
    """Hash of the code, the options that shape outputs, and every input file's content."""
    from aimsdocs.support.cache import code_fingerprint

    digest = hashlib.sha256(code_fingerprint().encode())
    from aimsdocs.pipeline.options import build_date

    # The build date decides which ISMS documents are overdue and dates new revisions.
    shaping = [list(options.formats), options.isms_mode, build_date(options).isoformat()]
    digest.update(json.dumps(shaping).encode())
    out = Path(options.out).resolve()
    roots = [org_dir, *(p for p in (options.isms, options.templates) if p), *options.mappings]
    for root in roots:
        root = Path(root).resolve()
        digest.update(f"\0root {root}\n".encode())
        files = [root] if root.is_file() else sorted(_files(root, out))
        for file in files:
            if file.name == STATE_FILE and file.parent == org_dir.resolve():
                continue
            digest.update(f"{file.relative_to(root) if file != root else file.name}\0".encode())
            digest.update(_file_hash(file).encode())
    return digest.hexdigest()


def _files(root: Path, out: Path):
    """Files under `root`, leaving out the output folder and hidden folders (.git)."""
    if not root.is_dir():
        return
    for path in root.iterdir():
        if path.name.startswith(".") or path == out:
            continue
        if path.is_dir():
            yield from _files(path, out)
        elif path.is_file():
            yield path
