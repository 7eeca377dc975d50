"""Where the packaged mappings and templates live: inside the package, found by importlib.

They ship as package data, so a wheel works however it is installed (`--user`, `--target`,
a system pip, a zipapp extracted to disk). The repository's top-level `templates/` and
`mappings/` are links to these folders.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files
from pathlib import Path


@cache
def _package_dir(name: str) -> Path:
    resource = files("aimsdocs") / name
    if isinstance(resource, Path):
        return resource
    # A zip import: extract once for the life of the process (jinja and yaml read real files).
    context = as_file(resource)
    return Path(context.__enter__())


def mappings_dir() -> Path:
    return _package_dir("mappings")


def templates_dir() -> Path:
    return _package_dir("templates")
