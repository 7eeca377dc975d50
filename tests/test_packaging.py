"""A real install: the wheel, installed with `pip install --target` into an empty folder,
builds the sample organisation from `/` (templates, mappings and scaffold come from the
package, not from the source tree). Slow (about a minute): marked `packaging`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, copy_org

pytestmark = pytest.mark.packaging


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                            timeout=600, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_wheel_installed_with_target_builds_sample_org(tmp_path):
    source = tmp_path / "source"  # build from a copy: the working tree gets no build/ folder
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "src", source / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    wheels = tmp_path / "wheels"  # pip fetches the build backend (setuptools) as it does for -e
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
          "-w", wheels, source])
    wheel = next(wheels.glob("aimsdocs-*.whl"))
    target = tmp_path / "site"
    target.mkdir()
    _run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "-q",
          "--target", target, wheel])

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)  # the dependencies come from this environment
    where = _run([sys.executable, "-c", "import aimsdocs; print(aimsdocs.__file__)"],
                 cwd="/", env=env).stdout.strip()
    assert Path(where).is_relative_to(target), where

    org = copy_org(tmp_path)
    out = tmp_path / "out"
    _run([sys.executable, "-m", "aimsdocs", "build", org, "--out", out, "--format", "docx,md"],
         cwd="/", env=env)
    pack = out / "meridian"
    assert list((pack / "docx").glob("pol-01-*.docx"))
    assert list((pack / "md").glob("*.md"))
    assert (pack / "statement-of-applicability.xlsx").is_file()

    scaffold = tmp_path / "fresh"
    _run([sys.executable, "-m", "aimsdocs", "init", scaffold], cwd="/", env=env)
    _run([sys.executable, "-m", "aimsdocs", "validate", scaffold], cwd="/", env=env)
