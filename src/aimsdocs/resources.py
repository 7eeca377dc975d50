"""Where the packaged mappings and templates live.

In a source checkout (`pip install -e .`) they sit at the repository's top level; an installed
wheel carries them under `<prefix>/share/aimsdocs/`.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def _root() -> Path:
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "mappings").is_dir() and (checkout / "templates").is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "aimsdocs"


def mappings_dir() -> Path:
    return _root() / "mappings"


def templates_dir() -> Path:
    return _root() / "templates"
