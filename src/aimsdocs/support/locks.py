"""An advisory lock on a folder, so two aimsdocs runs never interleave their writes.

`build` holds the organisation folder's lock from reading `aimsdocs-state.yaml` until it has
written it back, and `approve` takes the same lock; so an approval given during a build waits
for the build and is never lost, and two builds sharing a state file run one after the other.
The pack folder is locked the same way while it is written. The lock is taken on the folder
itself (no lock file is left in the user's folder), and the operating system drops it when a
process dies, so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from aimsdocs.errors import InputError

WAIT_SECONDS = 600.0  # a large pack builds in well under a minute
_POLL = 0.1
_BUSY = (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES)

try:
    import fcntl
except ImportError:  # Windows: no folder locks; builds there are not serialised
    fcntl = None  # type: ignore[assignment]


class _Unsupported(Exception):
    pass


def _try_lock(fd: int) -> bool:
    assert fcntl is not None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in _BUSY:
            return False
        raise _Unsupported from exc  # e.g. a network file system without flock


@contextlib.contextmanager
def locked(folder: Path, what: str | Path, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `folder`, waiting up to `wait` seconds for another run.

    Where folders cannot be locked (Windows, some network file systems) the run goes on
    unlocked rather than failing.
    """
    wait = WAIT_SECONDS if wait is None else wait
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + wait
        told = False
        try:
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise InputError(f"another aimsdocs run is still using {what}",
                                     file=folder, hint="wait for it to finish, then run again")
                if not told:
                    print(f"aimsdocs: waiting for another run to finish with {what}",
                          file=sys.stderr)
                    told = True
                time.sleep(_POLL)
        except _Unsupported:
            pass
        yield
    finally:
        os.close(fd)  # closing releases the lock
