"""Shared test fixtures. Third-party fixtures live in ../shared and may be absent: skip then."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Tests never read or fill the user's real cache: one private folder per test session,
# inherited by the CLI processes tests start.
os.environ["AIMSDOCS_CACHE_DIR"] = tempfile.mkdtemp(prefix="aimsdocs-test-cache-")

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (or beside the folder of worktrees, wt/<name>).
SHARED = next((base / "shared" for base in REPO.parents[:2] if (base / "shared").is_dir()),
              REPO.parent / "shared")
SAMPLE_ORG = REPO / "sample_org"


def _shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture
def reference_dir() -> Path:
    """../shared/reference: verified ids and titles (skip when absent)."""
    return _shared("reference")


@pytest.fixture
def northwind() -> Path:
    """A real third-party ISO 27001 ISMS in Markdown, with an Excel SoA (skip when absent)."""
    return _shared("fixtures", "isms", "northwind")


@pytest.fixture
def northwind_docx() -> Path:
    """The same ISMS's policies as Word documents (skip when absent)."""
    return _shared("fixtures", "isms", "northwind-docx")


@pytest.fixture
def lullabot() -> Path:
    """A real company handbook (Markdown) with an ISO 27001:2013 cross-reference appendix."""
    return _shared("fixtures", "isms", "lullabot")


@pytest.fixture
def jupiterone() -> Path:
    """Twenty-five rendered policy documents with their procedures (Markdown)."""
    return _shared("fixtures", "isms", "jupiterone")


@pytest.fixture
def sample_org() -> Path:
    return SAMPLE_ORG
