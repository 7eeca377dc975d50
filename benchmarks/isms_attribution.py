"""How well the ISMS importer attributes ISO/IEC 27001 coverage to the right documents.

    python benchmarks/isms_attribution.py [--fixtures DIR] [--details] [--json]

For every folder under ../shared/fixtures/isms (or DIR) with a ground truth, import the ISMS as
`aimsdocs` does and compare the (ISO/IEC 27001:2022 item, document) pairs it claims with the
pairs the organisation itself states:

- `ground-truth.tsv` (columns item, document_relpath_without_extension) when the set has one;
- otherwise, for a set with a Statement of Applicability, the SoA's Reference column, DERIVED
  HERE independently of the importer: each reference of an applicable row is resolved to a
  document of the set by its document id (a `Document ID: X` line) or its exact title (first
  level-1 heading); references that name no document of the set are left out of the ground
  truth and listed (they are "named but not supplied").

Counting (issue 12): a document is its path under the ISMS folder without extension; a claim
on a clause counts for a ground-truth sub-clause (9.2 -> 9.2.1); Annex A must match exactly;
when the ground truth has no clause at all (Annex A only), clause claims are out of scope: they
are neither right nor wrong. Every claim counts, whatever its tier ("all"); the "governing"
column counts only declared, mapped and referenced claims (the tiers that may carry reuse).

Targets: recall >= 0.85 and precision >= 0.90 on every set (column "all").
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# ../shared next to the checkout, or next to the folder of worktrees (wt/<name>).
DEFAULT_FIXTURES = next((base / "shared" / "fixtures" / "isms" for base in REPO.parents[:2]
                         if (base / "shared" / "fixtures" / "isms").is_dir()),
                        REPO.parent / "shared" / "fixtures" / "isms")
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from aimsdocs.isms import load_isms  # noqa: E402
from aimsdocs.standards import load_standards  # noqa: E402

RECALL_TARGET, PRECISION_TARGET = 0.85, 0.90
CANDIDATE_TIERS = {"inferred"}
SOA_NAME = re.compile(r"applicability|(^|[^a-z])soa([^a-z]|$)", re.IGNORECASE)

Pair = tuple[str, str]  # (item id, document path without extension)


def ground_truth(folder: Path, root: Path) -> tuple[set[Pair], str, list[str]] | None:
    tsv = folder / "ground-truth.tsv"
    if tsv.is_file():
        lines = [line for line in tsv.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
        rows = list(csv.DictReader(lines, delimiter="\t"))
        pairs = {(r["item"].strip(), r["document_relpath_without_extension"].strip())
                 for r in rows}
        return pairs, "ground-truth.tsv", []
    soa = sorted((p for p in root.rglob("*.xlsx") if SOA_NAME.search(p.stem)),
                 key=lambda p: len(p.parts))
    if soa:
        pairs, unresolved = _derive_from_soa(soa[0], root)
        return pairs, f"derived from {soa[0].relative_to(root)} (Reference column)", unresolved
    return None


def _derive_from_soa(path: Path, root: Path) -> tuple[set[Pair], list[str]]:
    import openpyxl

    by_id, by_title = _documents_of(root)
    sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = [["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if any(c.lower() == "reference" for c in r))
    names = [c.lower() for c in rows[header]]
    while names and not names[-1]:
        names.pop()
    col_id, col_app = names.index("control id"), names.index("applicable")
    col_ref = names.index("reference")
    pairs: set[Pair] = set()
    unresolved: list[str] = []
    for row in rows[header + 1:]:
        if not row[col_id] or row[col_app].lower() not in ("yes", "y", "true", "x"):
            continue
        # An unquoted comma in the description pushes the reference one cell to the right.
        reference = row[col_ref] if len(row) <= len(names) or not any(row[len(names):]) \
            else [c for c in row if c][-1]
        for part in re.split(r"[;,/\n]", reference):
            part = part.strip()
            if not part:
                continue
            doc = by_id.get(part.upper()) or by_title.get(_key(part))
            if doc:
                pairs.add((row[col_id], doc))
            else:
                unresolved.append(f"{row[col_id]}: {part}")
    return pairs, unresolved


def _documents_of(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Documents by id (`Document ID:` line) and by title (first H1, or the title a document
    register gives its id)."""
    by_id: dict[str, str] = {}
    by_title: dict[str, str] = {}
    for file in sorted(root.rglob("*.md")):
        text = file.read_text(encoding="utf-8")
        name = file.relative_to(root).with_suffix("").as_posix()
        if (found := re.search(r"Document ID:\s*([A-Za-z0-9-]+)", text)) is not None:
            by_id.setdefault(found.group(1).upper(), name)
        if (title := re.search(r"^#\s+(.+?)\s*$", text, re.MULTILINE)) is not None:
            by_title.setdefault(_key(title.group(1)), name)
    for register in sorted(root.rglob("*register*.csv")):
        with register.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                doc_id, title = row.get("Doc ID", ""), row.get("Title", "")
                if doc_id and title and doc_id.upper() in by_id:
                    by_title.setdefault(_key(title), by_id[doc_id.upper()])
    return by_id, by_title


def _key(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", title.lower().replace("&", "and"))


def claimed(inventory) -> dict[str, set[Pair]]:
    """Claimed pairs by tier name ('declared', 'mapped', ...)."""
    by_tier: dict[str, set[Pair]] = {}
    for claim in inventory.claims:
        if claim.standard != "iso27001":
            continue
        document = inventory.documents[claim.doc_id]
        name = document.relpath.rsplit(".", 1)[0] if "." in document.relpath.rsplit("/", 1)[-1] \
            else document.relpath
        tier = getattr(claim.provenance, "value", str(claim.provenance))
        by_tier.setdefault(tier, set()).add((claim.item_id, name))
    return by_tier


def _matches(claim: Pair, truth: Pair) -> bool:
    if claim[1] != truth[1]:
        return False
    item, expected = claim[0], truth[0]
    return item == expected or (not item.startswith("A.") and expected.startswith(item + "."))


def score(claims: set[Pair], truth: set[Pair]) -> dict:
    if not any(not item.startswith("A.") for item, _ in truth):
        claims = {c for c in claims if c[0].startswith("A.")}  # clauses out of scope
    correct = {c for c in claims if any(_matches(c, t) for t in truth)}
    found = {t for t in truth if any(_matches(c, t) for c in claims)}
    return {
        "claims": len(claims),
        "recall": len(found) / len(truth) if truth else 0.0,
        "precision": len(correct) / len(claims) if claims else 0.0,
        "missed": sorted(truth - found),
        "wrong": sorted(claims - correct),
    }


def run(fixtures: Path) -> list[dict]:
    standards = load_standards()
    results = []
    for folder in sorted(p for p in fixtures.iterdir() if p.is_dir()):
        root = folder / "isms" if (folder / "isms").is_dir() else folder
        truth = ground_truth(folder, root)
        if truth is None:
            continue
        pairs, source, unresolved = truth
        started = time.perf_counter()
        inventory = load_isms(root, standards)
        seconds = time.perf_counter() - started
        by_tier = claimed(inventory)
        everything = set().union(*by_tier.values()) if by_tier else set()
        governing = set().union(*(v for k, v in by_tier.items() if k not in CANDIDATE_TIERS),
                                set())
        results.append({
            "set": folder.name, "truth_source": source, "truth_pairs": len(pairs),
            "unresolved_references": unresolved, "seconds": round(seconds, 2),
            "all": score(everything, pairs), "governing": score(governing, pairs),
            "warnings": len(inventory.warnings),
        })
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    parser.add_argument("--details", action="store_true", help="list missed and wrong pairs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.fixtures.is_dir():
        print(f"{args.fixtures} is absent: nothing to measure", file=sys.stderr)
        return 0
    results = run(args.fixtures)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'set':<12} {'truth':>5} {'claims':>6} {'recall':>7} {'precis.':>7}   "
          f"{'gov. claims':>11} {'recall':>7} {'precis.':>7}  {'time':>6}  target")
    for r in results:
        a, g = r["all"], r["governing"]
        met = a["recall"] >= RECALL_TARGET and a["precision"] >= PRECISION_TARGET
        print(f"{r['set']:<12} {r['truth_pairs']:>5} {a['claims']:>6} {a['recall']:>7.2f} "
              f"{a['precision']:>7.2f}   {g['claims']:>11} {g['recall']:>7.2f} "
              f"{g['precision']:>7.2f}  {r['seconds']:>5.1f}s  {'met' if met else 'NOT met'}")
    for r in results:
        print(f"\n{r['set']}: ground truth {r['truth_source']}")
        if r["unresolved_references"]:
            print(f"  references naming no document of the set (not in the ground truth): "
                  f"{', '.join(r['unresolved_references'])}")
        if args.details:
            print("  missed: " + ", ".join(f"{i} {d}" for i, d in r["all"]["missed"]))
            print("  wrong:  " + ", ".join(f"{i} {d}" for i, d in r["all"]["wrong"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
