"""Lint many files with a pool of worker processes: reports in file order, memory bounded.

The workers are forked from the main process once the registry and the engine are ready, so
they start at once with everything loaded. Each task is a chunk of paths; at most a few chunks
per worker are in flight, so neither the paths' reports nor their text pile up in memory
however many files a run reads. The main process writes the outputs and the summary, as it
does without workers, so every output format and every summary field works unchanged.

Where ``fork`` is not available (Windows, macOS by default) files are linted one by one.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import Any

from orchlint.lint import FileReport, Linter

CHUNK = 16  # files per task: large enough to amortise the hand-over, small enough to stay in order
IN_FLIGHT = 4  # chunks per worker submitted ahead of the one being written
MIN_FILES = 48  # below this, starting workers costs more than it saves


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_LINTER: Linter | None = None  # what a forked worker lints with (set before forking)


def _work(chunk: list[str]) -> bytes:
    import pickle

    assert _LINTER is not None
    return pickle.dumps([_LINTER.lint_path(path) for path in chunk], protocol=pickle.HIGHEST_PROTOCOL)


def lint_all(linter: Linter, paths: Iterable[str], jobs: int) -> Iterator[FileReport]:
    """Every path linted, in order; with ``jobs`` > 1 and enough files, in worker processes."""
    paths = iter(paths)
    head = list(islice(paths, MIN_FILES))
    if jobs <= 1 or len(head) < MIN_FILES or not _can_fork():
        for path in chain(head, paths):
            yield linter.lint_path(path)
        return
    yield from _pooled(linter, _chunks(chain(head, paths)), jobs)


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


def _pooled(linter: Linter, chunks: Iterator[tuple[bool, list[str]]], jobs: int) -> Iterator[FileReport]:
    import multiprocessing

    global _LINTER
    _LINTER = linter
    pending: deque[tuple[bool, Any]] = deque()
    # Forked before the main process lints anything, so no rule thread is running yet.
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for local, chunk in chunks:
            pending.append((True, chunk) if local else (False, pool.apply_async(_work, (chunk,))))
            while len(pending) > jobs * IN_FLIGHT:
                yield from _collect(linter, pending.popleft())
        while pending:
            yield from _collect(linter, pending.popleft())
    _LINTER = None


def _collect(linter: Linter, entry: tuple[bool, Any]) -> Iterator[FileReport]:
    import pickle

    local, value = entry
    if local:
        for path in value:
            yield linter.lint_path(path)
    else:
        yield from pickle.loads(value.get())
