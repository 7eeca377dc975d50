"""Limits for rendering templates a client supplied: time, output and the sizes of values.

The sandbox stops templates from reaching Python internals, not from working forever:
`{% for i in range(100000) %}{% for j in range(100000) %}` or `{{ "x" * 10**10 }}` would hang
a batch or fill memory. So each document renders under a budget: a wall-clock limit (a timer
signal, where the platform has one and we run in the main thread), a cap on the Markdown it
may produce, on loop iterations from `range`, and on the size of values made with `*`/`**`.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
from collections.abc import Iterator

MAX_SECONDS = 60.0  # one document; the whole sample pack renders in about a second
MAX_OUTPUT_CHARS = 20_000_000  # one document's Markdown (a register of a thousand systems is ~2 MB)
MAX_RANGE_ITEMS = 1_000_000  # items all `range()` calls of one document may yield together
MAX_VALUE_ITEMS = 1_000_000  # length of a string or list made with `*`
MAX_POWER_BITS = 4096


class BudgetExceeded(Exception):
    """A template needed more time, output or memory than a document may take."""


class RenderBudget:
    """The counters of one document's render."""

    def __init__(self) -> None:
        self.range_items = 0

    def range(self, *args: int) -> Iterator[int]:
        items = range(*args)
        if self.range_items + len(items) > MAX_RANGE_ITEMS:
            raise BudgetExceeded(f"loops over more than {MAX_RANGE_ITEMS:,} numbers")
        self.range_items += len(items)
        return iter(items)


def checked_binop(operator: str, left, right):
    """`*` and `**` with the size of the result checked before it is computed."""
    if operator == "*":
        for sequence, times in ((left, right), (right, left)):
            if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) \
                    and len(sequence) * max(times, 0) > MAX_VALUE_ITEMS:
                raise BudgetExceeded(f"builds a value longer than {MAX_VALUE_ITEMS:,}")
        return left * right
    if operator == "**":
        if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0 \
                and right * math.log2(abs(left)) > MAX_POWER_BITS:
            raise BudgetExceeded("computes a number too large to print")
        return left ** right
    raise NotImplementedError(operator)


def collect(chunks: Iterator[str]) -> str:
    """Join a template's output stream, refusing more than MAX_OUTPUT_CHARS."""
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise BudgetExceeded(f"writes more than {MAX_OUTPUT_CHARS:,} characters")
        parts.append(chunk)
    return "".join(parts)


@contextlib.contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Interrupt the block after `seconds` (main thread on Unix; elsewhere no timer)."""
    limit = MAX_SECONDS if seconds is None else seconds
    if not hasattr(signal, "setitimer") or threading.current_thread() is not \
            threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise BudgetExceeded(f"took longer than {limit:g} seconds")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
