"""The live risk register in a real spreadsheet: LibreOffice recalculates the workbook after a
risk is re-rated, and the row's score and decision and the heat map follow."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest
from helpers import SAMPLE_ORG

from aimsdocs.pipeline.options import BuildOptions
from aimsdocs.pipeline.prepare import load_inputs
from aimsdocs.plan import build_plan
from aimsdocs.writers.pdf import libreoffice
from aimsdocs.writers.registers import write_registers

pytestmark = pytest.mark.skipif(libreoffice() is None,
                                reason="LibreOffice is installed by .ci/run")


def recalculated(source: Path, out_dir: Path) -> openpyxl.Workbook:
    """Open `source` in LibreOffice, let it recalculate, save as xlsx and read the results."""
    with tempfile.TemporaryDirectory(prefix="aimsdocs-lo-") as profile:
        subprocess.run([libreoffice(), f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "xlsx", "--outdir", str(out_dir), str(source)],
                       check=True, capture_output=True, timeout=180,
                       env={"HOME": profile, "PATH": "/usr/bin:/bin"})
    return openpyxl.load_workbook(out_dir / source.name, data_only=True)


def heat_count(ws, likelihood: int, impact: int, levels: int = 5) -> int:
    """The inherent grid: likelihood rows from the top (most likely first), impact columns."""
    return ws.cell(5 + levels - likelihood, 1 + impact).value or 0


def test_re_rating_a_risk_updates_its_row_and_the_heat_map(tmp_path):
    org, standards, isms, _env, specs, _ = load_inputs(SAMPLE_ORG, BuildOptions())
    plan = build_plan(org.profile, standards, specs, isms)
    workbook = openpyxl.load_workbook(io.BytesIO(write_registers(plan)))
    risk = next(r for r in plan.risks if r.score <= 4 and not r.is_opportunity)
    row = 2 + plan.risks.index(risk)
    ws = workbook["AI risks"]
    assert ws[f"A{row}"].value == risk.risk_id
    ws[f"J{row}"] = 5  # re-rated: likelihood 5 (almost certain), impact unchanged
    source = tmp_path / "in" / "registers.xlsx"
    source.parent.mkdir()
    workbook.save(source)

    before = Path(tmp_path / "before")
    before.mkdir()
    original = tmp_path / "orig" / "registers.xlsx"
    original.parent.mkdir()
    original.write_bytes(write_registers(plan))
    baseline = recalculated(original, before)
    after = recalculated(source, tmp_path)

    rows = after["AI risks"]
    threshold = plan.profile.risk_method.acceptance_threshold
    assert rows[f"L{row}"].value == 5 * risk.impact
    expected = "Treat" if 5 * risk.impact > threshold else "Accept"
    assert str(rows[f"R{row}"].value).startswith(expected)
    assert baseline["AI risks"][f"L{row}"].value == risk.score  # the seeded score, computed
    assert baseline["AI risks"][f"R{row}"].value == risk.decision(threshold)
    map_before, map_after = baseline["Risk heat map"], after["Risk heat map"]
    assert heat_count(map_after, 5, risk.impact) == heat_count(map_before, 5, risk.impact) + 1
    assert heat_count(map_after, risk.likelihood, risk.impact) == \
        heat_count(map_before, risk.likelihood, risk.impact) - 1
    total = sum(heat_count(map_after, lk, im) for lk in range(1, 6) for im in range(1, 6))
    assert total == len([r for r in plan.risks if not r.is_opportunity])


def test_changing_the_threshold_changes_the_decisions(tmp_path):
    org, standards, isms, _env, specs, _ = load_inputs(SAMPLE_ORG, BuildOptions())
    plan = build_plan(org.profile, standards, specs, isms)
    workbook = openpyxl.load_workbook(io.BytesIO(write_registers(plan)))
    workbook["Risk method"]["B3"] = 25  # accept everything
    source = tmp_path / "in" / "registers.xlsx"
    source.parent.mkdir()
    workbook.save(source)
    decisions = {row[17] for row in recalculated(source, tmp_path)["AI risks"].iter_rows(
        min_row=2, max_row=1 + len(plan.risks), values_only=True)}
    assert decisions == {"Accept", "Pursue"}
