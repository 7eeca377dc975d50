"""Build many organisations: in parallel processes, one failure never stopping the others."""

from __future__ import annotations

import dataclasses
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from aimsdocs.errors import AimsdocsError, InputError, from_os_error
from aimsdocs.pipeline.options import BuildOptions

PROFILE_FILE = "profile.yaml"  # as aimsdocs.profile.load, whose import would load pydantic


@dataclass
class OrgResult:
    org: str
    exit_code: int
    lines: list[str]
    error: str = ""
    seconds: float = 0.0
    written: int = 0


def expand(paths: list[Path]) -> list[Path]:
    """Organisation folders, or folders of organisation folders (one level down)."""
    found: list[Path] = []
    for path in paths:
        if (path / PROFILE_FILE).is_file() or not path.is_dir():
            found.append(path)
            continue
        children = sorted(p for p in path.iterdir() if (p / PROFILE_FILE).is_file())
        if not children:
            raise InputError(f"no {PROFILE_FILE} here or in its sub-folders", file=path,
                             hint="give an organisation folder, or a folder of them")
        found.extend(children)
    return found


def build_one(org_dir: Path, options: BuildOptions, debug: bool = False) -> OrgResult:
    started = time.perf_counter()
    try:
        report = _build_unless_unchanged(org_dir, options)
    except AimsdocsError as exc:
        if debug:
            raise
        return OrgResult(str(org_dir), exc.exit_code, [], str(exc),
                         time.perf_counter() - started)
    except OSError as exc:  # the disk, not the input or the code
        if debug:
            raise
        return OrgResult(str(org_dir), 2, [], str(from_os_error(exc)),
                         time.perf_counter() - started)
    except Exception as exc:  # a bug: keep the batch going, say so
        if debug:
            raise
        return OrgResult(str(org_dir), 70, [], f"internal error: {type(exc).__name__}: {exc}\n"
                         + traceback.format_exc(limit=3), time.perf_counter() - started)
    lines = report.summary(verbose=options.verbosity >= 2)
    if options.check:
        lines = [f"{report.organisation}: all {report.unchanged} outputs are current"]
    if options.verbosity == 0:
        lines = []
    return OrgResult(str(org_dir), 0, lines, "", time.perf_counter() - started,
                     len(report.written))


def _short_name(org_dir: Path) -> str | None:
    """The profile's short name, read without validating the rest (that is the build's job)."""
    from aimsdocs.support.yamlio import load_yaml

    try:
        data = load_yaml(Path(org_dir) / PROFILE_FILE).data
        name = data["organisation"]["short_name"]
    except (AimsdocsError, KeyError, TypeError):
        return None
    return name if isinstance(name, str) else None


def shared_folders(orgs: list[Path]) -> dict[Path, str]:
    """Organisations of one batch whose packs would land in one folder: org -> the error."""
    from aimsdocs.pipeline.outdir import slug_for

    by_slug: dict[str, list[Path]] = {}
    for org in orgs:
        name = _short_name(org)
        if name is not None:
            by_slug.setdefault(slug_for(name), []).append(org)
    clashes: dict[Path, str] = {}
    for slug, group in by_slug.items():
        if len(group) > 1:
            names = ", ".join(str(g) for g in group)
            for org in group:
                clashes[org] = str(InputError(
                    f"{len(group)} organisations in this batch would share the pack folder "
                    f"'{slug}/': {names}", file=Path(org) / PROFILE_FILE,
                    field="organisation.short_name",
                    hint="give each organisation its own short_name (none of them was built)"))
    return clashes


def _build_unless_unchanged(org_dir: Path, options: BuildOptions):
    """A no-op rebuild answers from the stamp, without planning or rendering."""
    from aimsdocs.pipeline.unchanged import Stamp

    stamp = Stamp.of(org_dir, options)
    report = stamp.current()
    if report is not None:
        if not options.check:  # what a killed run left behind goes, even when nothing changed
            from aimsdocs.support.files import remove_stale_temporaries

            remove_stale_temporaries(report.out_dir)
            for stale in Path(org_dir).glob(".aimsdocs-state.yaml.*.tmp"):
                if stale.is_file() and not stale.is_symlink():
                    stale.unlink(missing_ok=True)
        return report
    from aimsdocs.pipeline.run import build

    # No need to remove the stamp first: a build that stops half-way changes the manifest or
    # an output, and the stamp no longer matches them.
    report = build(org_dir, options)
    if not options.check:
        stamp.record(report.out_dir, report)
    return report


def run_batch(paths: list[Path], options: BuildOptions, jobs: int = 1,
              debug: bool = False) -> int:
    orgs = expand(paths)
    if len(set(orgs)) != len(orgs):
        orgs = list(dict.fromkeys(orgs))  # the same folder named twice builds once
    if len(orgs) == 1:
        result = build_one(orgs[0], options, debug)
        if result.exit_code:
            raise _reraise(result)
        if result.lines:
            print("\n".join(result.lines))
        return 0
    options = dataclasses.replace(options, parallel_outputs=False)
    clashes = shared_folders(orgs)
    results = _run_all([o for o in orgs if o not in clashes], options, jobs, debug)
    results += [OrgResult(str(org), 2, [], error) for org, error in clashes.items()]
    order = {str(org): i for i, org in enumerate(orgs)}
    return _report(sorted(results, key=lambda r: order[r.org]), quiet=options.verbosity == 0)


def _reraise(result: OrgResult) -> AimsdocsError:
    error = AimsdocsError(result.error)
    error.exit_code = result.exit_code
    return error


def _run_all(orgs: list[Path], options: BuildOptions, jobs: int, debug: bool) -> list[OrgResult]:
    progress = Progress(len(orgs), quiet=options.verbosity == 0)
    results: list[OrgResult] = []
    if jobs == 1:
        for org in orgs:
            result = build_one(org, options, debug)
            results.append(result)
            progress.step(result)
        return results
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(build_one, org, options, debug): org for org in orgs}
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            progress.step(result)
    order = {str(org): i for i, org in enumerate(orgs)}
    return sorted(results, key=lambda r: order[r.org])


class Progress:
    """A bar on a terminal; one plain line per organisation otherwise (logs, CI)."""

    def __init__(self, total: int, quiet: bool = False):
        self.total = total
        self.done = 0
        self.tty = sys.stderr.isatty()
        self.quiet = quiet

    def step(self, result: OrgResult) -> None:
        self.done += 1
        if self.quiet:
            return
        status = "ok" if result.exit_code == 0 else "FAILED"
        if self.tty:
            width = 30
            filled = width * self.done // self.total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/"
                             f"{self.total} {Path(result.org).name[:30]:<30}")
            if self.done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()
        else:
            print(f"[{self.done}/{self.total}] {result.org}: {status}", file=sys.stderr)


def _report(results: list[OrgResult], quiet: bool = False) -> int:
    failed = [r for r in results if r.exit_code]
    if not quiet:
        width = max(len(r.org) for r in results)
        print(f"{'organisation':<{width}}  {'result':<8}  {'written':>7}  {'seconds':>7}")
        for r in results:
            status = "ok" if r.exit_code == 0 else f"exit {r.exit_code}"
            print(f"{r.org:<{width}}  {status:<8}  {r.written:>7}  {r.seconds:>7.2f}")
    for r in failed:
        print(f"\n{r.org}:\n  " + r.error.replace("\n", "\n  "), file=sys.stderr)
    if not quiet:
        print(f"\n{len(results) - len(failed)} of {len(results)} organisations built"
              + (f", {len(failed)} failed" if failed else ""))
    return max((r.exit_code for r in failed), default=0)
