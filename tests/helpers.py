"""Helpers shared by tests: copies of the sample organisation to build without touching the repo."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE_ORG = REPO / "sample_org"


def copy_org(tmp_path: Path, name: str = "org", with_isms: bool = True,
             with_state: bool = False) -> Path:
    """A private copy of sample_org (profile, ISMS), so builds never write into the repo."""
    target = tmp_path / name
    target.mkdir(parents=True)
    shutil.copy(SAMPLE_ORG / "profile.yaml", target / "profile.yaml")
    if with_isms and (SAMPLE_ORG / "isms").is_dir():
        shutil.copytree(SAMPLE_ORG / "isms", target / "isms")
    if with_isms and (SAMPLE_ORG / "qms").is_dir():  # the management systems it builds on
        shutil.copytree(SAMPLE_ORG / "qms", target / "qms")
    if with_state and (SAMPLE_ORG / "aimsdocs-state.yaml").is_file():
        shutil.copy(SAMPLE_ORG / "aimsdocs-state.yaml", target / "aimsdocs-state.yaml")
    return target


def edit_profile(org: Path, old: str, new: str) -> None:
    path = org / "profile.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def tree_mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if p.is_file()}


EXAMPLES = REPO / "examples"


def copy_example(tmp_path: Path, name: str = "use-only") -> Path:
    """A private copy of an example organisation (examples/NAME), so builds never write into it."""
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target,
                    ignore=shutil.ignore_patterns("aimsdocs-state.yaml"))
    return target


def load_plan(org: Path):
    """The plan of an organisation folder, as a build makes it (no rendering)."""
    from aimsdocs.pipeline.options import BuildOptions
    from aimsdocs.pipeline.prepare import load_inputs
    from aimsdocs.plan import build_plan

    org_folder, standards, isms, _env, specs, _paths = load_inputs(org, BuildOptions())
    return build_plan(org_folder.profile, standards, specs, isms)


def make_customer_only(org: Path) -> None:
    """Edit a copy of sample_org into an organisation that only uses AI: every role customer."""
    edit_profile(org, "ai_roles: [provider, producer, customer]", "ai_roles: [customer]")
    for _ in range(2):
        edit_profile(org, "roles: [producer, provider]", "roles: [customer]")
    edit_profile(org, "roles: [producer, customer]", "roles: [customer]")
