"""Keep what a build holds out of the cycle collector's full scans.

A build keeps nearly everything it makes until it ends: the plan, every rendered document and
its outputs, the check's reading of them. Each full collection rescans all of it, and the
collector runs one whenever the survivors have grown by a quarter, so at 1,000 AI systems
fifteen full collections took 5.5 s of the main process. Freezing at each stage's end leaves
what is alive then out of later scans (it is not garbage: the build still holds it); the
outermost `frozen` hands it all back to the collector.

Freezing also keeps forked workers from scanning, and so copying, the parent's objects.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_depth = 0


@contextmanager
def frozen() -> Iterator[None]:
    """Freeze what is alive now; thaw everything frozen since at the outermost exit."""
    global _depth
    gc.freeze()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.unfreeze()


def settle() -> None:
    """Inside `frozen`: what is alive now lives to the end, so later scans skip it."""
    if _depth:
        gc.freeze()


@contextmanager
def paused() -> Iterator[None]:
    """No collection while a stage builds a large structure it keeps (each would rescan what
    is built so far); its temporaries are freed as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
