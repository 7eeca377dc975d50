"""The one place that writes to disk: atomically, and only inside the output folder.

A write goes to a temporary file next to the target, then is renamed over it, so a reader (or
a killed run) only ever sees the old file or the new one. New files get the permissions the
umask gives (as `touch` would), replaced files keep theirs. An OSError carries the path of the
file it concerns, so the CLI can name it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

from aimsdocs.errors import InputError

TMP_SUFFIX = ".tmp"
# Our temporary files: "." + target name + "." + mkstemp's random part + ".tmp".
_TMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{6,}\.tmp$")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inside(root: Path, relative: str) -> Path:
    """Resolve `relative` under `root`, refusing anything that escapes it (symlinks too)."""
    root = root.resolve()
    target = (root / relative).resolve()
    if target != root and root not in target.parents:
        raise InputError(f"refusing to write outside the output folder: {relative!r}",
                         file=root / relative,
                         hint="document ids and names must not contain '..' or absolute paths, "
                              "and no link in the output folder may point out of it")
    return target


class Confined:
    """`inside` for the many files of one output folder: each folder is resolved once (a pack
    has thousands of files in a handful of folders), and a file itself only where it is a
    link (one lstat), where resolving every path walked all its components."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._folders: dict[str, Path] = {}

    def __call__(self, relative: str) -> Path:
        head, _, name = relative.rpartition("/")
        folder = self._folders.get(head)
        if folder is None:
            folder = self._folders[head] = inside(self.root, head) if head else self.root
        target = folder / name
        if name in ("", ".", "..") or "\\" in name or target.is_symlink():
            return inside(self.root, relative)
        return target


def _umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    return 0o666 & ~_umask()


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, then rename: never a half-written file."""
    commit_staged(stage(path, data), path)


def stage(path: Path, data: bytes, sync: bool = True) -> Path:
    """Write `data` to a temporary file beside `path`, flushed to disk, and return its name;
    `commit_staged` then renames it over `path`. Staging can run in worker processes, so a
    pack's files are written in parallel and committed together afterwards. `sync=False`
    leaves the flush to disk to `sync_all`, once for many files."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise _with_path(exc, path.parent) from exc
    try:
        try:
            mode = os.stat(path).st_mode & 0o7777
        except OSError:
            mode = new_file_mode()
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):  # not on Windows, where the umask does not apply
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _with_path(exc, path) from exc
        raise
    return Path(tmp)


def sync_all(staged: list[tuple[Path, Path]]) -> None:
    """Flush staged files (each with its target) to disk, many at a time: the disk then
    commits them together, where one fsync after another waited for a journal commit each
    (thousands in a large pack)."""
    if not staged:
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(16, len(staged))) as threads:
        for _ in threads.map(_sync, staged):
            pass


def _sync(job: tuple[Path, Path]) -> None:
    """fsync one staged file; an error names the file it is staged for."""
    staged, target = job
    try:
        # writable: Windows flushes only files open for writing
        fd = os.open(staged, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _with_path(exc, target) from exc
    try:
        os.fsync(fd)
    except OSError as exc:
        raise _with_path(exc, target) from exc
    finally:
        os.close(fd)


def commit_staged(staged: Path, path: Path) -> None:
    """Rename a staged file over its target (atomic); the staged file is gone either way."""
    try:
        os.replace(staged, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(staged)
        if isinstance(exc, OSError):
            raise _with_path(exc, Path(path)) from exc
        raise


def discard_staged(staged: list[Path]) -> None:
    for path in staged:
        with contextlib.suppress(OSError):
            os.unlink(path)


def write_new(path: Path, data: bytes) -> None:
    """Create `path`, which must not exist yet (not even as a dangling link): never follows one."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) \
        | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o666)  # the umask applies
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def backup(target: Path) -> Path:
    """Copy `target` to a fresh `NAME.bak` (then .bak2, .bak3...) beside it, and return it.

    The backup is created exclusively, so an existing file or link of that name (a dangling
    `.bak` symlink pointing out of the output folder, say) is never written through.
    """
    data = target.read_bytes()
    counter = 1
    while True:
        candidate = target.with_name(target.name + (".bak" if counter == 1 else f".bak{counter}"))
        try:
            write_new(candidate, data)
        except FileExistsError:
            counter += 1
            continue
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
                counter += 1
                continue
            raise _with_path(exc, candidate) from exc
        with contextlib.suppress(OSError):
            shutil.copystat(target, candidate)
        return candidate


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files a killed run left behind (call while holding the folder's lock)."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.rglob(f".*{TMP_SUFFIX}"):
        if _TMP_NAME.match(path.name) and path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _with_path(exc: OSError, path: Path) -> OSError:
    """The same kind of OSError, now naming the file (a full disk does not say which file)."""
    if exc.filename:
        return exc
    return type(exc)(exc.errno, exc.strerror or str(exc), str(path))


WRITTEN_FILE = ".aimsdocs-written.json"  # beside single files the user asked for (soa, crosswalk)


def write_single_output(path: Path, data: bytes, force: bool = False) -> Path | None:
    """Write a file the user named with --out, never replacing one aimsdocs did not write.

    What aimsdocs wrote is recorded by hash in a small `.aimsdocs-written.json` beside it; a
    file that is not recorded, or was changed since, is the user's: it is replaced only with
    `force`, after a backup. Returns the backup's path, if one was made.
    """
    import json

    path = Path(path)
    if path.is_dir():
        raise InputError("--out is a folder", file=path, hint="give a file name, e.g. soa.xlsx")
    record_file = path.parent / WRITTEN_FILE
    records: dict[str, str] = {}
    if record_file.is_file():
        try:
            loaded = json.loads(record_file.read_text(encoding="utf-8"))
            records = {k: v for k, v in loaded.get("files", {}).items() if isinstance(v, str)}
        except (ValueError, AttributeError, RecursionError, OSError):
            records = {}  # unreadable: treat every file as the user's
    kept = None
    if path.exists() or path.is_symlink():
        ours = path.is_file() and records.get(path.name) == sha256(path.read_bytes())
        if not ours and not force:
            raise InputError("refusing to replace a file aimsdocs did not write (or that was "
                             "changed since)", file=path,
                             hint="choose another --out, or add --force to replace it (a .bak "
                                  "copy is kept)")
        if not ours and path.is_file():
            kept = backup(path)
    write_atomic(path, data)
    records[path.name] = sha256(data)
    text = json.dumps({"files": dict(sorted(records.items()))}, indent=1) + "\n"
    write_atomic(record_file, text.encode())
    return kept
