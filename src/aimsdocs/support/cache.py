"""A small per-user cache of parsed inputs (catalogues, an imported ISMS).

Parsing YAML catalogues and Word/Excel ISMS files costs more than a whole no-op rebuild
should. Entries are keyed by aimsdocs' version and by the size and modification time of every
input file, so any change re-parses. Set AIMSDOCS_NO_CACHE=1 to bypass; an unreadable entry is
simply recomputed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from aimsdocs import __version__
from aimsdocs.support.files import write_atomic

T = TypeVar("T")


def cache_dir() -> Path | None:
    if os.environ.get("AIMSDOCS_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aimsdocs"


def files_fingerprint(paths: list[Path]) -> str:
    """Identity of a set of files and folders: names, sizes, modification times."""
    digest = hashlib.sha256(__version__.encode())
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for file in files:
            stat = file.stat()
            digest.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def cached(kind: str, key: str, compute: Callable[[], T]) -> T:
    folder = cache_dir()
    if folder is None:
        return compute()
    path = folder / kind / f"{key}.pickle"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # missing, stale format or damaged: recompute
        pass
    value = compute()
    with contextlib.suppress(OSError):
        write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value
