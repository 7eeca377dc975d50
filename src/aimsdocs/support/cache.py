"""A small per-user cache of parsed inputs (catalogues, an imported ISMS).

Parsing YAML catalogues and Word/Excel ISMS files costs more than a whole no-op rebuild
should. Entries are keyed by a hash of aimsdocs' own code and data (so a code change never
serves a stale parse) and by the size and modification time of every input file. The folder
is the platform's user cache (platformdirs), or AIMSDOCS_CACHE_DIR; AIMSDOCS_NO_CACHE=1
bypasses it. An unreadable entry is simply recomputed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from aimsdocs.support.files import write_atomic

T = TypeVar("T")


def cache_dir() -> Path | None:
    if os.environ.get("AIMSDOCS_NO_CACHE"):
        return None
    explicit = os.environ.get("AIMSDOCS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("aimsdocs", appauthor=False))


@functools.cache
def code_fingerprint() -> str:
    """Hash of the installed package's code, templates and catalogues (once per process)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for file in sorted(package.rglob("*")):
        if file.suffix in (".py", ".yaml", ".j2") and file.is_file():
            digest.update(file.relative_to(package).as_posix().encode() + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()


def files_fingerprint(paths: list[Path]) -> str:
    """Identity of the code plus a set of input files and folders: names, sizes, times."""
    digest = hashlib.sha256(code_fingerprint().encode())
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


def per_object(function: Callable[[Any], T]) -> Callable[[Any], T]:
    """Remember `function(obj)` for as long as `obj` lives, keyed by identity.

    For values derived from an object that does not change during a build (the frozen
    profile, the plan) and that thousands of documents ask for: hashing such an object is
    costly or impossible, and its identity is all that matters. The entry goes with the object.
    """
    known: dict[int, tuple[weakref.ref, T]] = {}

    def forget(key: int) -> Callable[[weakref.ref], None]:
        def drop(_ref: weakref.ref) -> None:  # runs as the object goes, before its id is reused
            known.pop(key, None)
        return drop

    @functools.wraps(function)
    def remembered(obj: Any) -> T:
        key = id(obj)
        entry = known.get(key)
        if entry is not None and entry[0]() is obj:
            return entry[1]
        value = function(obj)
        known[key] = (weakref.ref(obj, forget(key)), value)
        return value

    return remembered
