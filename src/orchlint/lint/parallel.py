"""Lint many files with a pool of worker processes: reports in file order, memory bounded.

The workers are forked from the main process once the registry, the engine and the outputs
are ready, so they start at once with everything loaded. Each task is a chunk of paths; at
most a few chunks per worker are in flight, so neither the reports nor their text pile up in
memory however many files a run reads.

When every output format can render one report apart (``Formatter.render``) and nobody else
needs the reports, a worker renders where it lints and sends back only text and a summary of
its chunk: sending whole reports between processes costs more than linting them. Otherwise
the reports come back and the main process writes them, as it does without workers.

Where ``fork`` is not available (Windows, macOS by default) files are linted one by one.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import Any

from orchlint.lint.linter import Linter

from orchlint.lint.report import FileReport, RunSummary
from orchlint.engine.results import Gate

CHUNK = 16  # files per task: large enough to amortise the hand-over, small enough to stay in order
IN_FLIGHT = 4  # chunks per worker submitted ahead of the one being written
MIN_FILES = 48  # below this, starting workers costs more than it saves


class Rendered:
    """One file as a worker rendered it: its path, each output's (text, kept) from
    ``Formatter.render``, and, on the last file of a chunk, the chunk's summary."""

    __slots__ = ("path", "parts", "summary")

    def __init__(self, path: str, parts: list[tuple[str, Any]], summary: RunSummary | None = None) -> None:
        self.path = path
        self.parts = parts
        self.summary = summary


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# What a forked worker works with (set before forking).
_LINTER: Linter | None = None
_RENDER: tuple[Any, Gate | None] | None = None  # (outputs, threshold) when workers render


def _work(chunk: list[str]) -> bytes:
    import pickle

    assert _LINTER is not None
    reports = [_LINTER.lint_path(path) for path in chunk]
    if _RENDER is None:
        return pickle.dumps(reports, protocol=pickle.HIGHEST_PROTOCOL)
    from orchlint.lint.output import guarded

    outputs, threshold = _RENDER
    summary = RunSummary()
    rendered = []
    for report in reports:
        summary.add(report, threshold)
        rendered.append((report.path, [guarded(owner, name, f.render, report) for f, (owner, name) in zip(outputs.formatters, outputs.owners)]))
    return pickle.dumps((rendered, summary), protocol=pickle.HIGHEST_PROTOCOL)


def lint_all(
    linter: Linter, paths: Iterable[str], jobs: int, *, outputs: Any = None, threshold: Gate | None = None
) -> Iterator[FileReport | Rendered]:
    """Every path linted, in order; with ``jobs`` > 1 and enough files, in worker processes.

    Given ``outputs`` whose formats all render apart, files linted by workers come back as
    ``Rendered``, to be passed to ``outputs.take`` and their summaries merged; any other file
    comes back as a FileReport.
    """
    paths = iter(paths)
    head = list(islice(paths, MIN_FILES))
    if jobs <= 1 or len(head) < MIN_FILES or not _can_fork():
        for path in chain(head, paths):
            yield linter.lint_path(path)
        return
    render = outputs is not None and all(type(f).renders_apart() for f in outputs.formatters)
    yield from _pooled(linter, _chunks(chain(head, paths)), jobs, (outputs, threshold) if render else None)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _chunks(paths: Iterator[str]) -> Iterator[tuple[bool, list[str]]]:
    """(local, paths): standard input is read here, in the main process, never by a worker."""
    chunk: list[str] = []
    for path in paths:
        if path == "-":
            if chunk:
                yield False, chunk
                chunk = []
            yield True, [path]
            continue
        chunk.append(path)
        if len(chunk) == CHUNK:
            yield False, chunk
            chunk = []
    if chunk:
        yield False, chunk


class WorkerDied(Exception):
    """A worker process ended without finishing its files: killed (the OOM killer, ``kill``),
    crashed in C code, or ended by a rule calling ``os._exit``. The run cannot be complete."""

    def __init__(self, lost: list[str], suspects: list[str]) -> None:
        self.lost = lost
        self.suspects = suspects  # plugins not shipped with orchlint: the likely cause
        shown = ", ".join(lost[:5]) + (f" and {len(lost) - 5} more" if len(lost) > 5 else "")
        blame = f"; plugins loaded that may have ended it: {', '.join(suspects)}" if suspects else ""
        super().__init__(f"a worker process died while linting {shown}; those files were not linted{blame}")


def _pooled(
    linter: Linter, chunks: Iterator[tuple[bool, list[str]]], jobs: int, render: tuple[Any, Gate | None] | None
) -> Iterator[FileReport | Rendered]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _LINTER, _RENDER
    _LINTER, _RENDER = linter, render
    pending: deque[tuple[bool, Any, list[str]]] = deque()
    # concurrent.futures, not multiprocessing.Pool: when a worker dies, Pool replaces it and
    # waits for its task for ever, while the executor fails every pending task at once.
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    finished = False
    try:
        # Forked before the main process lints anything, so no rule thread is running yet.
        for local, chunk in chunks:
            pending.append((True, None, chunk) if local else (False, pool.submit(_work, chunk), chunk))
            while len(pending) > jobs * IN_FLIGHT:
                yield from _collect(linter, pending, render is not None)
        while pending:
            yield from _collect(linter, pending, render is not None)
        finished = True
    finally:
        _LINTER = _RENDER = None
        if not finished:
            # On an error or an interrupt the chunks still queued are dropped and the workers
            # stopped, and the pool's own thread is waited for, so that it does not report
            # the pipes closing under it as a traceback while the process ends.
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=not finished)


def _collect(linter: Linter, pending: deque[tuple[bool, Any, list[str]]], rendered: bool) -> Iterator[FileReport | Rendered]:
    import pickle
    from concurrent.futures.process import BrokenProcessPool

    local, future, chunk = pending.popleft()
    if local:
        for path in chunk:
            yield linter.lint_path(path)
        return
    try:
        value = future.result()
    except BrokenProcessPool:
        lost = chunk + [path for _local, _future, rest in pending for path in rest]
        registry = linter.registry
        suspects = sorted(p for p in registry.contributions if p not in registry.builtin)
        raise WorkerDied(lost, suspects) from None
    if not rendered:
        yield from pickle.loads(value)
    else:
        files, summary = pickle.loads(value)
        for index, (path, parts) in enumerate(files):
            yield Rendered(path, parts, summary if index == len(files) - 1 else None)
