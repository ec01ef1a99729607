"""Run untrusted checks with a time limit per check, in a thread that can be left behind.

A hung pure-Python rule cannot be interrupted from outside on every platform (signals only
reach the main thread, and only on POSIX), so checks run on a worker thread and the caller
stops waiting when a check's deadline passes.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

# How long one plugin rule may take on one platform: the configuration's rule_timeout, which
# ORCHLINT_RULE_TIMEOUT overrides (0: no limit). The built-ins take microseconds.
DEFAULT_RULE_TIMEOUT = 10.0
RULE_TIMEOUT_ENV = "ORCHLINT_RULE_TIMEOUT"


MAX_RULE_TIMEOUT = 86_400


def parse_rule_timeout(text: str, where: str = RULE_TIMEOUT_ENV) -> float:
    """Seconds as written (0: no limit); raises ValueError with a plain message."""
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"{where}: expected a number of seconds, got {text!r}") from None
    if seconds != seconds or seconds < 0 or seconds == float("inf"):  # NaN, negative or endless
        raise ValueError(f"{where}: expected a number of seconds, got {text!r}")
    if seconds > MAX_RULE_TIMEOUT:  # a wait past what the clock can count (1e10 overflowed)
        raise ValueError(f"{where}: at most {MAX_RULE_TIMEOUT:,} seconds (a day), got {text!r}; 0 means no limit")
    return seconds


def attempt(task: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("ok", task())
    except BaseException as exc:  # SystemExit from a rule is a fault, not the end of the run
        return ("error", exc)


class _Abandoned(BaseException):
    """Raised inside an abandoned check, where the interpreter allows it, to stop it."""


class _Batch:
    """One hand-over to the worker. (A plain class, not a dataclass: making one compiles its methods, about a millisecond on every start.)"""

    def __init__(self, progress: tuple[int, float]) -> None:
        self.progress = progress  # the task running and when it started, as one atomic value
        self.results: list[tuple[str, Any]] = []
        self.done = threading.Event()


class Worker:
    """A daemon thread that runs checks in batches, so that one that hangs can be left behind.

    One hand-over per document rather than per check keeps the cost near that of calling inline.
    Python cannot kill a thread: where CPython allows, the hung check gets an exception at its
    next bytecode; one stuck in C code stays, a daemon that ends with the process.
    """

    def __init__(self) -> None:
        import queue  # here: only a plugin's rule (not orchlint's own) runs on a worker

        self.requests: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.abandoned = False
        self.thread = threading.Thread(target=self._loop, name="orchlint-rule", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        try:
            while not self.abandoned:
                request = self.requests.get()
                if request is None:
                    return
                tasks, batch = request
                for index, task in enumerate(tasks):
                    batch.progress = (index, time.monotonic())
                    outcome = attempt(task)
                    if self.abandoned:
                        return
                    batch.results.append(outcome)
                batch.done.set()
        except _Abandoned:  # arrived between two checks
            pass

    def run(self, tasks: list[Callable[[], Any]], timeout: float) -> tuple[list[tuple[str, Any]], bool]:
        """The outcomes of the tasks that finished, and whether the next one hung."""
        batch = _Batch((0, time.monotonic()))
        self.requests.put((tasks, batch))
        while True:
            index, started = batch.progress
            if batch.done.wait(max(started + timeout - time.monotonic(), 0.0)):
                return batch.results, False
            # Still the same task, unfinished, past its deadline: it hung.
            if batch.progress == (index, started) and len(batch.results) <= index:
                return batch.results[:index], True

    def stop(self) -> None:
        """End the thread once it is idle."""
        self.requests.put(None)

    def abandon(self) -> None:
        self.abandoned = True
        import ctypes  # only here: a hung rule is rare, and start-up time counts

        ident = self.thread.ident
        if ident is not None and hasattr(ctypes, "pythonapi"):
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(_Abandoned))


class Calls:
    """Calls rules' checks for the engine: a rule of a plugin that ships with orchlint inline,
    any other under the time limit on a Worker (one batch per document). A rule that hangs is
    added to ``timed_out``, which the engine shares, and the worker is left behind."""

    def __init__(self, timeout: float | None, builtin: frozenset[str], timed_out: set[str]) -> None:
        self.timeout = timeout
        self.builtin = builtin
        self.timed_out = timed_out
        self._worker: Worker | None = None

    def run(self, tasks: list[tuple[Any, Callable[[], Any]]]) -> list[tuple[str, Any]]:
        """Per (rule, call), in order: (``ok``, result), (``error``, exception) or (``timeout``, None)."""
        builtin = self.builtin
        if self.timeout is None:
            return [_inline(call) for _rule, call in tasks]
        outcomes: list[tuple[str, Any] | None] = [None] * len(tasks)
        limited = []
        for index, (rule, call) in enumerate(tasks):
            if rule.plugin in builtin:
                outcomes[index] = _inline(call)
            else:
                limited.append(index)
        for index, outcome in zip(limited, self._limited([tasks[i] for i in limited], self.timeout)):
            outcomes[index] = outcome
        return outcomes  # type: ignore[return-value]  # every slot is filled

    def _limited(self, tasks: list[tuple[Any, Callable[[], Any]]], timeout: float) -> list[tuple[str, Any]]:
        outcomes: list[tuple[str, Any]] = []
        while len(outcomes) < len(tasks):
            if self._worker is None:
                self._worker = Worker()
                weakref.finalize(self, self._worker.stop)  # its thread ends with the engine
            done, hung = self._worker.run([call for _rule, call in tasks[len(outcomes) :]], timeout)
            outcomes += done
            if hung:
                self._worker.abandon()
                self._worker = None
                self.timed_out.add(tasks[len(outcomes)][0].id)
                outcomes.append(("timeout", None))
        return outcomes


def _inline(call: Callable[[], Any]) -> tuple[str, Any]:
    outcome = attempt(call)
    if outcome[0] == "error" and not isinstance(outcome[1], (Exception, SystemExit)):
        raise outcome[1]  # inline, Ctrl-C or SIGTERM (cli.Terminated) is the user's, not the rule's
    return outcome
