"""Lint many files with a pool of worker processes: results in file order, memory bounded.

The workers are forked from the main process once the registry, the engine and the output
formats are ready, so they start at once with everything loaded. Each task is a chunk of paths;
at most a few chunks per worker are in flight, so neither the paths nor the results of a
10,000-file run pile up in memory. For each file a worker sends back what the output needs:
the text of every format that can render a file on its own (text, JSON), and the file's line in
the summary; a format that cannot gets the whole report instead. The main process only writes.

Where ``fork`` is not available (Windows, macOS by default) files are linted one by one.
"""

from __future__ import annotations

import os
import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from orchlint.lint import FileReport, FileVerdicts, Linter

CHUNK = 16  # files per task: large enough to amortise the hand-over, small enough to stay in order
IN_FLIGHT = 4  # chunks per worker submitted ahead of the one being written
MIN_FILES = 48  # below this, starting workers costs more than it saves


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Done:
    """One file, linted: what each output format needs, and its line in the summary."""

    verdicts: FileVerdicts
    rendered: tuple[str | None, ...]  # per format; None: that format needs ``report``
    report: FileReport | None  # only when some format needs the whole report


class Job:
    """How to turn a path into a Done, the same in the main process and in a worker."""

    def __init__(self, linter: Linter, formatters: list[Any], threshold: Any) -> None:
        self.linter = linter
        self.formatters = formatters
        self.threshold = threshold

    def run(self, item: Any) -> Done:
        report = self.linter.lint_item(item)
        rendered = tuple(f.render(report) for f in self.formatters)
        needs_report = any(text is None for text in rendered)
        return Done(report.verdicts(self.threshold), rendered, report if needs_report else None)


_JOB: Job | None = None  # the job a forked worker runs (set in the main process before forking)


def _work(chunk: list[Any]) -> bytes:
    assert _JOB is not None
    return pickle.dumps([_JOB.run(item) for item in chunk], protocol=pickle.HIGHEST_PROTOCOL)


def lint_all(job: Job, items: Iterable[Any], jobs: int) -> Iterator[Done]:
    """Every item linted, in order; with ``jobs`` > 1 and enough files, in worker processes."""
    items = iter(items)
    head = list(islice(items, MIN_FILES))
    if jobs <= 1 or len(head) < MIN_FILES or not _can_fork():
        for item in head:
            yield job.run(item)
        for item in items:
            yield job.run(item)
        return
    yield from _pooled(job, _chunks(head, items), jobs)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _chunks(head: list[Any], rest: Iterator[Any]) -> Iterator[tuple[bool, list[Any]]]:
    """(local, items): standard input is read here, in the main process, never by a worker."""
    chunk: list[Any] = []
    for item in _chain(head, rest):
        if item == "-":
            if chunk:
                yield False, chunk
                chunk = []
            yield True, [item]
            continue
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield False, chunk
            chunk = []
    if chunk:
        yield False, chunk


def _chain(head: list[Any], rest: Iterator[Any]) -> Iterator[Any]:
    yield from head
    yield from rest


def _pooled(job: Job, chunks: Iterator[tuple[bool, list[Any]]], jobs: int) -> Iterator[Done]:
    import multiprocessing

    global _JOB
    _JOB = job
    context = multiprocessing.get_context("fork")
    pending: deque[tuple[bool, Any]] = deque()
    with context.Pool(jobs) as pool:
        for local, chunk in chunks:
            pending.append((True, chunk) if local else (False, pool.apply_async(_work, (chunk,))))
            while len(pending) > jobs * IN_FLIGHT:
                yield from _collect(job, pending.popleft())
        while pending:
            yield from _collect(job, pending.popleft())
    _JOB = None


def _collect(job: Job, entry: tuple[bool, Any]) -> Iterator[Done]:
    local, value = entry
    if local:
        for item in value:
            yield job.run(item)
    else:
        yield from pickle.loads(value.get())
