"""--jobs: worker processes give the same output, in the same order, as one process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchlint import parallel

from .conftest import EXAMPLES, ROOT

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


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_jobs_give_the_same_output_in_the_same_order(tmp_path, fmt):
    count = parallel.MIN_FILES + 12  # enough for the workers to start
    monorepo(tmp_path / "repo", count)
    outputs = []
    for jobs in ("1", "2"):
        result = _orchlint("check", str(tmp_path / "repo"), "--format", fmt, "-v", "--jobs", jobs)
        assert result.returncode == 2, result.stderr  # the file with nodez
        outputs.append(result.stdout)
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


def _orchlint(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHLINT_")}
    env.update(ORCHLINT_TODAY="2026-11-23", ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1")
    return subprocess.run(
        [sys.executable, "-m", "orchlint", *args], capture_output=True, text=True, env=env, cwd=ROOT, input=input, check=False
    )
