"""Write a prepared pack incrementally: only what changed, never over a hand edit."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

from aimsdocs.errors import HandEditedError, InputError, StaleOutputError
from aimsdocs.pipeline.amendments import AMENDMENT_HINT, WITHDRAWN_FOLDERS, withdraw
from aimsdocs.pipeline.manifest import Manifest, OutputRecord, load_manifest
from aimsdocs.pipeline.options import BuildOptions, Output
from aimsdocs.pipeline.outdir import check_pack_dir, pack_dir
from aimsdocs.pipeline.prepare import Pack, prepare
from aimsdocs.pipeline.report import BuildReport
from aimsdocs.pipeline.state import STATE_FILE
from aimsdocs.pipeline.tracking import changed_fields
from aimsdocs.profile import OrgFolder
from aimsdocs.profile.load import org_root
from aimsdocs.support.files import (
    Confined,
    backup,
    commit_staged,
    discard_staged,
    remove_stale_temporaries,
    sha256,
    stage,
    sync_all,
    write_atomic,
)
from aimsdocs.support.heap import frozen
from aimsdocs.support.locks import locked

R = TypeVar("R")


def build(org_dir: Path, options: BuildOptions) -> BuildReport:
    """Prepare and write one pack. The organisation folder stays locked from reading the
    state file to writing it back, so a concurrent `approve` or build waits its turn."""
    with frozen():  # see support.heap; the pack is dropped before the heap thaws
        return _build(org_dir, options)


def _build(org_dir: Path, options: BuildOptions) -> BuildReport:
    root = org_root(org_dir)
    with locked(root, root / STATE_FILE), EarlyOutputs(options) as early:
        pack = prepare(org_dir, options, early=early)
        out_dir = pack_dir(options.out, pack.org)
        check_pack_dir(out_dir, pack.org, (options.isms, options.templates))
        if options.check:
            return write_pack(pack, out_dir, options)
        with ExitStack() as held:
            if early.out_dir != out_dir:  # not locked yet: nothing was produced early
                _hold_pack_dir(out_dir, held)
            remove_stale_temporaries_beside(pack.state.path)
            # the consistency check runs here while worker processes write the files
            checked: list[str] = []
            report = write_pack(pack, out_dir, options, early=early,
                                meanwhile=lambda: checked.append(_check_summary(pack)))
    report.check = checked[0] if checked else _check_summary(pack)
    report.overdue = [d.doc_id for d in pack.plan.overdue]
    return report


def _hold_pack_dir(out_dir: Path, held: ExitStack) -> None:
    """Create the pack folder, lock it until `held` closes, and clear what a killed run left."""
    _make_dir(out_dir)
    held.enter_context(locked(out_dir, out_dir))
    remove_stale_temporaries(out_dir)


def _make_dir(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise InputError("the output folder is a file", file=folder,
                         hint="give --out a folder (it is created if needed)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError("part of the output path is a file, not a folder", file=folder,
                         hint="give --out a folder (it is created if needed)") from None


def remove_stale_temporaries_beside(path: Path) -> None:
    """Temporary copies of the state file a killed run left in the organisation folder."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        if stale.is_file() and not stale.is_symlink():
            stale.unlink(missing_ok=True)


def _check_summary(pack: Pack) -> str:
    """The consistency check of the rendered pack; cached, since a no-op rebuild renders the
    same text and must stay cheap."""
    from aimsdocs.check import check_pack
    from aimsdocs.pipeline.outputs import fingerprint
    from aimsdocs.support import cache

    key = fingerprint("check", [(d.markdown, repr(d.control)) for d in pack.rendered],
                      repr(sorted(pack.plan.facts.facts.items())))
    return cache.cached("check", key, lambda: check_pack(pack.plan, pack.rendered).summary())


def write_pack(pack: Pack, out_dir: Path, options: BuildOptions,
               meanwhile: Callable[[], None] | None = None,
               early: EarlyOutputs | None = None) -> BuildReport:
    """Write what is stale. `meanwhile` runs in this process while the files are produced
    (in workers where there are several cores), or before, when they are not. Outputs
    `early` already staged from the same inputs are taken from there."""
    report = BuildReport(pack.org.profile.organisation.legal_name, out_dir,
                         documents=len(pack.rendered), todo_count=pack.todo_count,
                         isms_lines=_isms_lines(pack))
    manifest = load_manifest(out_dir)
    manifest.claim(pack.org.profile.organisation.legal_name, out_dir)
    todo: list[tuple[Output, Path, str]] = []
    confined = Confined(out_dir)
    for output in pack.outputs:
        target = confined(output.relpath)
        why = _staleness(output, target, manifest, pack)
        if why is None:
            report.unchanged += 1
            continue
        todo.append((output, target, why))
    if options.check:
        report.stale = [(o.relpath, why) for o, _, why in todo]
        if report.stale or pack.state_changed:
            lines = [f"{relpath}: {why}" for relpath, why in report.stale]
            if pack.state_changed and not lines:
                lines.append(f"{pack.state.path.name}: document versions are out of date")
            raise StaleOutputError("outputs are out of date:\n  " + "\n  ".join(lines),
                                   hint="run `aimsdocs build` to regenerate them")
        return report
    conflicts = [(o, t) for o, t, _ in todo if _hand_edited(o, t, manifest)]
    if conflicts and not options.force:
        report.conflicts = [o.relpath for o, _ in conflicts]
        raise HandEditedError(
            "these generated files were changed by hand since aimsdocs wrote them, so they were "
            "left alone (nothing was written):\n  " + "\n  ".join(report.conflicts),
            hint="move your edits into the profile or a template override, or rerun with "
                 "--force to overwrite them (a .bak copy of each is kept)"
                 + AMENDMENT_HINT * any(c.startswith(WITHDRAWN_FOLDERS[0])
                                        for c in report.conflicts))
    # Every new file is written and synced beside its target first (in worker processes
    # where there are several cores); the journal then records the new hashes, and only then
    # are the files renamed into place, each rename atomic.
    conflicted = {o.relpath for o, _ in conflicts}
    staged = stage_all([(o, t) for o, t, _ in todo], options.parallel_outputs, meanwhile, early)
    try:
        for (output, _, _), (digest, _) in zip(todo, staged, strict=True):
            manifest.pending[output.relpath] = _record(output, digest)
        if staged:
            manifest.save()
        for index, ((output, target, why), (_, temporary)) in enumerate(
                zip(todo, staged, strict=True)):
            if output.relpath in conflicted:
                report.backups.append(str(backup(target)))
            assert temporary is not None  # each is committed once
            commit_staged(temporary, target)
            staged[index] = (staged[index][0], None)
            manifest.outputs[output.relpath] = manifest.pending.pop(output.relpath)
            report.written.append((output.relpath, why))
    finally:
        discard_staged([temporary for _, temporary in staged if temporary is not None])
    report.withdrawn = withdraw(manifest, {o.relpath for o in pack.outputs}, out_dir)
    forgotten = _forget_removed(manifest, pack, out_dir) or bool(report.withdrawn)
    if staged or manifest.pending or forgotten or manifest.owner_changed:
        manifest.pending.clear()
        manifest.save()
    if pack.state_changed:
        write_atomic(pack.state.path, pack.state.to_yaml().encode())
    return report


def _isms_lines(pack: Pack) -> list[str]:
    isms: Any = pack.plan.isms
    return isms.import_lines() if isms is not None else []


PARALLEL_MIN_OUTPUTS = 12
SPAWN_MIN_OUTPUTS = 60  # where workers must be spawned, small packs are faster in one process
MAX_WORKERS = 4

Staged = tuple[str, Path | None]  # (sha256 of the bytes, the staged file; None once committed)


def _parallel(parallel: bool, shareable: int) -> bool:
    """Whether outputs are produced in worker processes (see `_map`)."""
    forking = "fork" in multiprocessing.get_all_start_methods()
    return not (not parallel or shareable < PARALLEL_MIN_OUTPUTS or (os.cpu_count() or 1) < 2
                or multiprocessing.current_process().daemon
                or (not forking and shareable < SPAWN_MIN_OUTPUTS))


class EarlyOutputs:
    """Outputs produced and staged in worker processes while this process still renders.

    The workbooks start as soon as the plan is made, then each document's files as soon as
    it is rendered: before, the other core idled while this one rendered. Only outputs that
    are likely stale (the manifest holds no record of their inputs) start early, so a no-op
    rebuild starts no worker; `write_pack` still decides what is stale and takes an early
    file only where it was made from the same inputs. Starting locks the output folder, and
    whatever was staged but not taken (the file was current after all, or the build failed)
    is removed before the lock is released. Only where workers fork (a spawned one would
    re-import everything first), and not for --check.
    """

    def __init__(self, options: BuildOptions):
        self._options = options
        self._wanted = options.parallel_outputs and not options.check
        self._held = ExitStack()
        self.out_dir: Path | None = None  # locked, once started
        self._confined: Confined | None = None
        self._known: dict[str, set[str]] = {}  # relpath -> input hashes the manifest records
        self._pool: ProcessPoolExecutor | None = None
        self._jobs: dict[str, tuple[str, Future, int]] = {}  # relpath -> (input hash, task, at)

    def start(self, org: OrgFolder, workbooks: list[Output], documents: int) -> None:
        if (not self._wanted or not _parallel(True, documents)
                or "fork" not in multiprocessing.get_all_start_methods()):
            return
        out_dir = pack_dir(self._options.out, org)
        check_pack_dir(out_dir, org, (self._options.isms, self._options.templates))
        _hold_pack_dir(out_dir, self._held)
        self.out_dir = out_dir
        self._confined = Confined(out_dir)
        manifest = load_manifest(out_dir)
        for records in (manifest.outputs, manifest.pending):
            for relpath, record in records.items():
                self._known.setdefault(relpath, set()).add(record.input_hash)
        self.add(workbooks)

    def add(self, outputs: list[Output]) -> None:
        """Start producing `outputs` (one document's, or the workbooks) in one worker task,
        so a document's formats share its Markdown parse."""
        if self.out_dir is None:
            return
        assert self._confined is not None
        jobs = [(o, self._confined(o.relpath)) for o in outputs
                if o.parallel and o.input_hash not in self._known.get(o.relpath, ())]
        if not jobs:
            return
        if self._pool is None:
            self._pool = _workers(multiprocessing.get_context("fork"))
            with frozen():  # the workers, forked at the first task, neither scan nor copy it
                task = self._pool.submit(_each, _stage, jobs)
        else:
            task = self._pool.submit(_each, _stage, jobs)
        for position, (output, _) in enumerate(jobs):
            self._jobs[output.relpath] = (output.input_hash, task, position)

    @property
    def pool(self) -> ProcessPoolExecutor | None:
        """The running workers, for the outputs that did not start early."""
        return self._pool

    def has(self, output: Output) -> bool:
        job = self._jobs.get(output.relpath)
        return job is not None and job[0] == output.input_hash

    def take(self, output: Output) -> Staged:
        """The staged file of `output` (see `has`), once its worker is done."""
        _, task, position = self._jobs.pop(output.relpath)
        return task.result()[position]

    def __enter__(self) -> EarlyOutputs:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._pool is not None:
                # tasks not started are dropped and running ones finish: a worker killed
                # while it sends a result would leave the queue's lock held, and the
                # shutdown waiting on it for ever (what Pool.terminate risks)
                self._pool.shutdown(wait=True, cancel_futures=True)
            if self._jobs and self.out_dir is not None:
                self._discard()
        finally:
            self._held.close()

    def _discard(self) -> None:
        tasks = [t for t in {id(t): t for _, t, _ in self._jobs.values()}.values()
                 if not t.cancelled()]
        if all(t.exception() is None for t in tasks):
            discard_staged([path for t in tasks for _, path in t.result() if path is not None])
        else:  # a task failed part way: its files are unknown, but every temporary is ours
            assert self.out_dir is not None
            remove_stale_temporaries(self.out_dir)


def _produce(output: Output) -> bytes:
    return output.produce()


def _stage(job: tuple[Output, Path]) -> Staged:
    output, target = job
    data = output.produce()
    return sha256(data), stage(target, data, sync=False)  # synced together in stage_all


def produce_all(outputs: list[Output], parallel: bool = True) -> list[bytes]:
    """Every output's bytes, in order (see `stage_all`)."""
    return _map(_produce, outputs, outputs, parallel)


def stage_all(jobs: list[tuple[Output, Path]], parallel: bool = True,
              meanwhile: Callable[[], None] | None = None,
              early: EarlyOutputs | None = None) -> list[Staged]:
    """Produce every output and stage its file beside the target: (hash, staged file) each.
    The bytes stay in the process that made them, so a large pack never sits in memory.
    Outputs `early` is producing are taken from there, after the rest and `meanwhile`."""
    try:
        rest = [i for i, (output, _) in enumerate(jobs) if early is None or not early.has(output)]
        made = _map(_stage, [jobs[i] for i in rest], [jobs[i][0] for i in rest], parallel,
                    meanwhile, early.pool if early is not None else None)
        found = dict(zip(rest, made, strict=True))
        staged = [found[i] if i in found else early.take(output)  # type: ignore[union-attr]
                  for i, (output, _) in enumerate(jobs)]
        pairs = zip(jobs, staged, strict=True)
        sync_all([(temporary, target) for (_, target), (_, temporary) in pairs
                  if temporary is not None])
        return staged
    except BaseException:
        # what was staged before the failure (in this process or a worker) goes; the
        # folders are locked, so every temporary file in them is this build's
        for folder in sorted({target.parent for _, target in jobs}):
            remove_stale_temporaries(folder)
        raise


def _map(function: Callable[[Any], R], items: list, outputs: list[Output],
         parallel: bool, meanwhile: Callable[[], None] | None = None,
         pool: ProcessPoolExecutor | None = None) -> list[R]:
    """`function` over `items` (one per output), on a multi-core machine in worker processes.

    Workers are forked where the platform allows it: a forked worker starts in milliseconds
    with everything already imported, where a spawned one re-imports aimsdocs (about half a
    second). Workbooks, the slowest single outputs, go first, together; a document's formats
    stay in one chunk so they share its Markdown parse. Not in a batch (there --jobs decides
    how many organisations run side by side), and not for outputs that share state in this
    process (a PDF batch converts once for all). `pool`, if given, is workers already
    running (forking beside a running pool's threads could copy a lock one of them holds).
    """
    shareable = [i for i, o in enumerate(outputs) if o.parallel]
    forking = "fork" in multiprocessing.get_all_start_methods()
    if not _parallel(parallel, len(shareable)):
        if meanwhile is not None:
            meanwhile()
        return [function(item) for item in items]
    heavy = [i for i in shareable if outputs[i].relpath.endswith(".xlsx")]
    light = [i for i in shareable if not outputs[i].relpath.endswith(".xlsx")]
    results: dict[int, R] = {}
    if pool is not None:
        _run_pool(pool, function, items, heavy, light, results, meanwhile)
    else:
        own = _workers(multiprocessing.get_context("fork" if forking else "spawn"))
        try:
            with frozen():  # forked workers then neither scan nor copy the pack's objects
                _run_pool(own, function, items, heavy, light, results, meanwhile)
        finally:
            own.shutdown(wait=True, cancel_futures=True)  # never kill a busy worker
    for index, item in enumerate(items):
        if index not in results:
            results[index] = function(item)
    return [results[index] for index in range(len(items))]


def _workers(context: Any) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(min(os.cpu_count() or 1, MAX_WORKERS), mp_context=context)


def _run_pool(pool: ProcessPoolExecutor, function: Callable[[Any], R], items: list,
              heavy: list[int], light: list[int], results: dict[int, R],
              meanwhile: Callable[[], None] | None) -> None:
    # the workbooks go to one worker, so only one imports openpyxl
    workbooks = pool.submit(_each, function, [items[i] for i in heavy]) if heavy else None
    done = pool.map(function, [items[i] for i in light], chunksize=3)
    if meanwhile is not None:
        meanwhile()
    for index, result in zip(light, done, strict=True):
        results[index] = result
    if workbooks is not None:
        for index, result in zip(heavy, workbooks.result(), strict=True):
            results[index] = result


def _each(function: Callable[[Any], R], items: list) -> list[R]:
    return [function(item) for item in items]


def _record(output: Output, digest: str) -> OutputRecord:
    # The reads dict is shared, not copied: a document's formats read the same fields, and
    # the manifest stores each set once (nothing changes it after rendering).
    return OutputRecord(output.input_hash, digest, output.document, output.reads,
                        output.template_hash)


def _staleness(output: Output, target: Path, manifest: Manifest, pack: Pack) -> str | None:
    """None when the file on disk is current; otherwise a short reason to rebuild it."""
    record = manifest.outputs.get(output.relpath)
    pending = manifest.pending.get(output.relpath)
    if not target.exists():
        return "new" if record is None else "file was missing"
    actual = sha256(target.read_bytes())
    if pending is not None and pending.output_hash == actual:
        manifest.settle(output.relpath, actual)  # an interrupted build got this far
        record = pending
    if record is None:
        return "not written by aimsdocs before"
    if record.output_hash != actual:
        return "changed by hand"
    if record.input_hash == output.input_hash:
        return None
    return _why(output, record, pack)


def _why(output: Output, record: OutputRecord, pack: Pack) -> str:
    if output.document:
        changed = changed_fields(record.reads, pack.org.profile)
        if changed:
            shown = ", ".join(f"profile.{p}" for p in changed[:3])
            more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
            return f"{output.title}: {shown}{more} changed"
        if record.template_hash != output.template_hash:
            return f"{output.title}: templates changed"
        return f"{output.title}: content or document control changed"
    return f"{output.title or output.relpath}: inputs changed"


def _hand_edited(output: Output, target: Path, manifest: Manifest) -> bool:
    if not target.exists():
        return False
    return not manifest.is_ours(output.relpath, sha256(target.read_bytes()))


def _forget_removed(manifest: Manifest, pack: Pack, out_dir: Path) -> bool:
    """Drop records of outputs no longer produced whose file is gone too.

    An output that is not produced this time (a format left out of --format, an AI system
    removed from the profile) keeps its record while its file is still there, so when it comes
    back the file is recognised as ours rather than reported as edited by hand.
    """
    current = {o.relpath for o in pack.outputs}
    forgotten = False
    for relpath in list(manifest.outputs):
        if relpath not in current and not (out_dir / relpath).exists():
            del manifest.outputs[relpath]
            forgotten = True
    return forgotten
