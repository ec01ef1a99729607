"""Run orchlint in a child process under resource limits and measure its peak memory.

Used by tests/lint/test_hostile.py (which asserts exit codes and messages, never times) and by
bench/hostile_memory.py (which prints the peak memory of each worst case).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass

MEMORY_LIMIT = 1 << 30  # bytes of address space: Python and its threads reserve more than they touch
CPU_LIMIT = 300  # seconds of CPU: only a safety net against a runaway child, never an assertion


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_kib: int  # ru_maxrss of this child alone (os.wait4)


def _limit() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))


def run_limited(args: list[str]) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHLINT_")}
    env.update(ORCHLINT_TODAY="2026-11-23", ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONIOENCODING="utf-8")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "orchlint", *args], stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, preexec_fn=_limit
        )
        # Reaped here rather than by Popen, to get this child's own resource usage.
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(child.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), usage.ru_maxrss)
