"""Interrupts: Ctrl-C exits 130 and SIGTERM 143 (never 1, a verdict), and neither leaves a
report half-written or a hidden temp file behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from ..conftest import EXAMPLES, ROOT

SLOW_PLUGIN = """
import time
from orchlint.hookspecs import hookimpl
from orchlint.rulekit import Rule

def check(value, ctx):
    time.sleep(0.3)
    return []

@hookimpl
def orchlint_register_rules(register):
    register(Rule("zz.slow", "a slow rule", "for a test", check=check, requirement=None))
"""


@pytest.mark.parametrize(("signum", "code", "said"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_interrupt_exits_with_its_own_code_and_leaves_no_file(tmp_path, signum, code, said, jobs):
    plugin = tmp_path / "slow.py"
    plugin.write_text(SLOW_PLUGIN, "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    files = [str(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHLINT_")}
    env.update(ORCHLINT_TODAY="2026-11-23", ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1")
    with subprocess.Popen(
        [sys.executable, "-m", "orchlint", "check", *files, "--plugin", str(plugin), "--jobs", jobs, "--format", f"json:{out / 'report.json'}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    ) as process:
        deadline = time.monotonic() + 60
        while not any(out.iterdir()) and time.monotonic() < deadline:  # the report's temp file exists
            time.sleep(0.05)
        time.sleep(0.5)
        process.send_signal(signum)
        _, err = process.communicate(timeout=120)  # a safety net, not a speed claim
    assert process.returncode == code, err
    assert f"orchlint: {said}" in err
    assert "Traceback" not in err
    assert list(out.iterdir()) == []
