"""--jobs: worker processes give the same output, in the same order, as one process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchlint.lint import parallel

from ..conftest import EXAMPLES, ROOT

SERVICE = "orchlint: 1\nname: {name}\ntarget: {target}\nrequirements:\n  production: true\n  nodes: {nodes}\n"


def monorepo(top: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        folder = top / f"team-{i % 3}" / f"svc-{i:03d}"
        folder.mkdir(parents=True)
        path = folder / "orchlint.yaml"
        target = ("kubernetes", "nomad", "swarm")[i % 3]
        text = SERVICE.format(name=f"svc-{i}", target=target, nodes=(i * 97) % 12000 + 1)
        if i == 7:
            text += "  nodez: 3\n"  # an input error in the middle of the run
        path.write_text(text)
        paths.append(path)
    return paths


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif"])
def test_jobs_give_the_same_output_in_the_same_order(tmp_path, fmt):
    count = parallel.MIN_FILES + 12  # enough for the workers to start
    monorepo(tmp_path / "repo", count)
    outputs = []
    for jobs in ("1", "2"):
        # GitHub shows 10 annotations of each kind: the rest of the picture is in the job summary.
        summary = tmp_path / f"summary-{jobs}.md"
        result = _orchlint("check", str(tmp_path / "repo"), "--format", fmt, "-v", "--jobs", jobs, GITHUB_STEP_SUMMARY=str(summary))
        assert result.returncode == 2, result.stderr  # the file with nodez
        outputs.append(result.stdout + (summary.read_text() if fmt == "github" else ""))
    assert outputs[0] == outputs[1]
    assert outputs[0].count("svc-0") >= count


def test_standard_input_among_many_files_is_read_once_by_the_main_process(tmp_path):
    paths = monorepo(tmp_path / "repo", parallel.MIN_FILES + 4)
    text = (EXAMPLES / "logzio.yaml").read_text()
    result = _orchlint("check", str(tmp_path / "repo"), "-", "--jobs", "2", input=text)
    order = [line.split(":")[0] for line in result.stdout.splitlines() if line.startswith(("/", "<stdin>"))]
    assert "<stdin>" in order
    assert order.index("<stdin>") > max(i for i, p in enumerate(order) if p == str(paths[-1]))


def test_few_files_or_one_job_lint_in_process():
    linted = []

    class Linter:
        def lint_path(self, path):
            linted.append(path)
            return path

    assert list(parallel.lint_all(Linter(), ["a", "b"], 4)) == ["a", "b"]
    assert list(parallel.lint_all(Linter(), [str(i) for i in range(100)], 1)) == [str(i) for i in range(100)]


def _orchlint(*args: str, input: str | None = None, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHLINT_", "GITHUB_"))}
    env.update(ORCHLINT_TODAY="2026-11-23", ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1", **extra_env)
    return subprocess.run(
        [sys.executable, "-m", "orchlint", *args], capture_output=True, text=True, env=env, cwd=ROOT, input=input, check=False
    )


def test_a_merged_summary_equals_one_built_file_by_file(tmp_path):
    import datetime as _dt

    from orchlint.lint.linter import Linter, RunOptions

    from orchlint.lint.report import RunSummary
    from orchlint.plugins.manager import get_plugin_manager
    from orchlint.plugins.registry import build_registry

    registry = build_registry(get_plugin_manager(entry_points=False)[0])
    linter = Linter(registry, RunOptions(as_of=_dt.date(2026, 11, 23)))
    paths = [str(p) for p in monorepo(tmp_path / "repo", 9)] + [str(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    reports = [linter.lint_path(p) for p in paths]
    whole, merged = RunSummary(), RunSummary()
    for report in reports:
        whole.add(report, linter.options.threshold)
    for start in range(0, len(reports), 4):
        part = RunSummary()
        for report in reports[start : start + 4]:
            part.add(report, linter.options.threshold)
        merged.merge(part)
    assert merged == whole
    assert whole.files_with_errors == 1 and whole.counts["fail"] > 0


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_format_that_renders_apart_writes_what_it_renders(fmt):
    import datetime as _dt
    import io

    from orchlint.formatters.base import RunInfo
    from orchlint.lint.linter import Linter, RunOptions
    from orchlint.plugins.manager import get_plugin_manager
    from orchlint.plugins.registry import build_registry

    registry = build_registry(get_plugin_manager(entry_points=False)[0])
    linter = Linter(registry, RunOptions(as_of=_dt.date(2026, 11, 23)))
    cls = registry.formatters[fmt]
    info = RunInfo(_dt.date(2026, 11, 23), "fail", "0", tuple(registry.platforms[p] for p in linter.platforms))
    direct, apart = io.StringIO(), io.StringIO()
    one, two = cls(direct, verbose=True), cls(apart, verbose=True)
    assert type(one).renders_apart() and not type(registry.formatters["json"](direct)).renders_apart()
    one.start(info)
    two.start(info)
    for path in sorted(EXAMPLES.glob("*.yaml")):
        report = linter.lint_path(str(path))
        one.write(report)
        before = apart.getvalue()
        text, kept = two.render(report)
        assert apart.getvalue() == before  # rendering writes nothing: a worker's stream is not ours
        two.take(text, kept)
    from orchlint.lint.report import RunSummary

    one.finish(RunSummary())
    two.finish(RunSummary())
    assert direct.getvalue() == apart.getvalue() != ""


DYING_PLUGIN = '''
import ctypes, os, signal
from orchlint.hookspecs import hookimpl
from orchlint.rulekit import Rule

def check(value, ctx):
    if os.getpid() != {parent}:  # only in a worker: the main process must survive to report
        {death}
    return []

@hookimpl
def orchlint_register_rules(register):
    register(Rule("zz.dies", "dies in a worker", "for a test", check=check, requirement=None))
'''

DEATHS = {
    "os-exit": "os._exit(0)",
    "killed": "os.kill(os.getpid(), signal.SIGKILL)",  # what the OOM killer does
    "segfault": "ctypes.string_at(0)",
    "abort": "os.abort()",
}


@pytest.mark.parametrize("death", sorted(DEATHS))
def test_a_dead_worker_ends_the_run_naming_the_lost_files_and_leaves_no_temp_file(tmp_path, death):
    repo = tmp_path / "repo"
    monorepo(repo, parallel.MIN_FILES + 8)
    plugin = tmp_path / "dies.py"
    out = tmp_path / "out"
    out.mkdir()
    # The plugin dies only in a forked worker: it compares against the pid of the run.
    script = f"import os, runpy, sys; open({str(plugin)!r}, 'w').write({DYING_PLUGIN!r}.format(parent=os.getpid(), death={DEATHS[death]!r})); sys.argv[0] = 'orchlint'; runpy.run_module('orchlint', run_name='__main__')"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHLINT_", "GITHUB_"))}
    env.update(ORCHLINT_TODAY="2026-11-23", ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1")
    result = subprocess.run(
        [sys.executable, "-c", script, "check", str(repo), "--jobs", "2", "--plugin", str(plugin), "--format", f"json:{out / 'report.json'}"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,  # timeout: a safety net, not a speed claim
    )
    assert result.returncode == 3, result.stderr  # a plugin not shipped with orchlint was loaded
    assert "a worker process died while linting" in result.stderr and "svc-" in result.stderr
    assert str(plugin) in result.stderr
    assert "Traceback" not in result.stderr
    assert list(out.iterdir()) == []  # neither a half-written report nor a temp file

