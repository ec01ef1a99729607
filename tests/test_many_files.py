"""Many files: directories and globs, stable order, --jobs, the fleet view and the progress bar."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from orchlint import discover

from .conftest import EXAMPLES, ROOT

SERVICE = "orchlint: 1\nname: {name}\ntarget: {target}\nrequirements:\n  production: true\n  nodes: {nodes}\n"


def monorepo(top: Path, count: int) -> list[Path]:
    """``count`` services, one folder each, plus YAML and hidden files that are not requirements."""
    paths = []
    for i in range(count):
        folder = top / f"team-{i % 3}" / f"svc-{i:03d}"
        folder.mkdir(parents=True)
        name = "orchlint.yaml" if i % 4 else "checkout.orchlint.yml"
        target = ("kubernetes", "nomad", "swarm")[i % 3]
        (folder / name).write_text(SERVICE.format(name=f"svc-{i}", target=target, nodes=(i * 97) % 12000 + 1))
        (folder / "deployment.yaml").write_text("kind: Deployment\n")
        paths.append(folder / name)
    (top / ".git").mkdir()
    (top / ".git" / "orchlint.yaml").write_text("not a requirements file: [\n")
    (top / "team-0" / ".hidden.orchlint.yaml").write_text("not: [read\n")
    return sorted(paths, key=lambda p: p.relative_to(top).parts)


def test_a_directory_yields_its_requirements_files_in_a_stable_order(tmp_path):
    expected = monorepo(tmp_path, 12)
    found = list(discover.expand([str(tmp_path)]))
    assert found == [str(p) for p in expected]
    assert found == list(discover.expand([str(tmp_path)]))  # and again


def test_include_replaces_the_name_patterns(tmp_path):
    monorepo(tmp_path, 3)
    found = list(discover.expand([str(tmp_path)], ["deployment.yaml"]))
    assert [Path(p).name for p in found] == ["deployment.yaml"] * 3


def test_globs_are_expanded_sorted_and_files_are_not_repeated(tmp_path):
    paths = monorepo(tmp_path, 6)
    pattern = str(tmp_path / "team-1" / "*" / "orchlint.yaml")
    found = list(discover.expand([pattern, str(paths[0]), str(tmp_path / "team-1")]))
    by_glob = [str(p) for p in paths if "team-1" in str(p) and p.name == "orchlint.yaml"]
    rest_of_dir = [str(p) for p in paths if "team-1" in str(p) and p.name != "orchlint.yaml"]
    assert by_glob and rest_of_dir
    assert found == [*by_glob, str(paths[0]), *rest_of_dir]  # the directory adds only what is new


def test_an_empty_directory_is_an_input_error(cli, tmp_path):
    (tmp_path / "notes.yaml").write_text("a: 1\n")
    result = cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path}:1:1 error no requirements file found" in result.output


def test_check_dir_prints_the_fleet_view(cli, tmp_path):
    monorepo(tmp_path, 9)
    result = cli("check", str(tmp_path), "--platform", "kubernetes", "--platform", "nomad", "--platform", "swarm")
    assert "fleet: how many of the 9 services evaluated each platform can serve (no fail)" in result.output
    lines = result.output.split("fleet:")[1].splitlines()[1:4]
    assert sorted(line.split()[0] for line in lines) == ["kubernetes", "nomad", "swarm"]
    assert "9 file(s) as of" in result.output


def test_json_summary_has_the_fleet_and_files_their_viable_platforms(cli, tmp_path):
    monorepo(tmp_path, 5)
    result = cli("check", str(tmp_path), "--format", "json")
    doc = json.loads(result.output)
    fleet = doc["summary"]["fleet"]
    assert fleet["services"] == 5 and fleet["evaluated"] == 5
    for platform, row in fleet["platforms"].items():
        assert row["pass"] + row["warn"] + row["fail"] == 5
        served = sum(1 for f in doc["files"] for p in f["platforms"] if p["id"] == platform and p["verdict"] != "fail")
        assert row["can_serve"] == served
    assert all("viable" in f for f in doc["files"])


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown"])
def test_jobs_give_the_same_output_in_the_same_order(tmp_path, fmt):
    # Enough files for the worker pool to start (orchlint.parallel.MIN_FILES), and a subprocess
    # so that the workers fork from a real orchlint process.
    monorepo(tmp_path / "repo", 60)
    outputs = []
    for jobs in ("1", "2"):
        result = _orchlint("check", str(tmp_path / "repo"), "--format", fmt, "-v", "--jobs", jobs)
        assert result.returncode in (0, 1), result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count("svc-0") >= 60 or fmt == "markdown"


def test_standard_input_among_many_files_is_read_once_in_order(tmp_path):
    paths = monorepo(tmp_path / "repo", 60)
    text = (EXAMPLES / "logzio.yaml").read_text()
    result = _orchlint("check", str(tmp_path / "repo"), "-", "--jobs", "2", input=text)
    assert "<stdin>:" in result.stdout
    order = [line.split(":")[0] for line in result.stdout.splitlines() if ":" in line and " error " not in line]
    assert order.index("<stdin>") > order.index(str(paths[-1]))


def test_the_matrix_stays_short_and_says_what_it_hides(cli, tmp_path):
    monorepo(tmp_path, 60)
    result = cli("check", str(tmp_path), "--platform", "kubernetes")
    assert "more files with a viable platform not shown" in result.output
    matrix = result.output.split("viable\n", 1)[1].split("\n\n")[0].splitlines()
    assert len([line for line in matrix if not line.startswith("(")]) <= 50


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    monorepo(tmp_path, 5)
    result = _orchlint("check", str(tmp_path))
    assert result.stderr == ""


def test_a_progress_bar_on_stderr_when_it_is_a_terminal(tmp_path):
    monorepo(tmp_path, 5)
    controller, terminal = pty.openpty()
    env = _env()
    env["TERM"] = "xterm"
    proc = subprocess.Popen(
        [sys.executable, "-m", "orchlint", "check", str(tmp_path)], stdout=subprocess.PIPE, stderr=terminal, env=env, cwd=ROOT
    )
    os.close(terminal)
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    proc.wait(timeout=60)
    seen = b""
    while select.select([controller], [], [], 0.5)[0]:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    assert b"5/5 files" in seen and b"\r" in seen
    assert seen.endswith(b"\r\x1b[K")  # the bar is cleared at the end
    assert "files" not in stdout.split("fleet:")[0].split("\n")[-1] and "[####" not in stdout


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHLINT_")}
    env.update(ORCHLINT_TODAY="2026-11-23", ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1")
    return env


def _orchlint(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchlint", *args], capture_output=True, text=True, env=_env(), cwd=ROOT, input=input, check=False
    )
