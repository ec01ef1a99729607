"""The pre-commit hook and the GitHub Action parse and point at things that exist; the Action's
orchlint step really runs."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import click
import yaml
from pre_commit.clientlib import load_manifest

from orchlint.cli import main

from .ci_helpers import valid_sarif
from .conftest import ROOT, TODAY

ACTION = ROOT / "action.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def console_scripts() -> dict[str, str]:
    """The console scripts the installed orchlint really provides."""
    return {ep.name: ep.value for ep in distribution("orchlint").entry_points if ep.group == "console_scripts"}


def test_pre_commit_manifest_is_valid_and_runs_a_real_command():
    (hook,) = load_manifest(str(HOOKS))  # pre-commit's own schema check
    assert hook["id"] == "orchlint" and hook["language"] == "python"
    script, command, *rest = shlex.split(hook["entry"])
    assert script in console_scripts() and console_scripts()[script] == "orchlint.cli:entry"
    assert command in main.list_commands(click.Context(main)) and rest == []  # commands load lazily
    files = re.compile(hook["files"])
    for name in ["orchlint.yaml", "orchlint.yml", "svc/orchlint.yaml", "deploy/checkout.orchlint.yaml"]:
        assert files.search(name), name
    for name in ["examples/logzio.yaml", "orchlint.yaml.bak", "notorchlint.yaml", "k8s/deployment.yaml"]:
        assert not files.search(name), name


def _action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_action_is_composite_and_references_only_what_exists(registry):
    action = _action()
    text = ACTION.read_text(encoding="utf-8")
    assert action["runs"]["using"] == "composite"
    inputs = set(action["inputs"])
    assert {"files", "fail-on", "args", "sarif-file"} <= inputs
    assert set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", text)) <= inputs
    steps = action["runs"]["steps"]
    ids = {s["id"] for s in steps if "id" in s}
    assert set(re.findall(r"steps\.([A-Za-z0-9_-]+)\.", text)) <= ids
    assert all("shell" in s for s in steps if "run" in s)
    uses = [s["uses"] for s in steps if "uses" in s]
    assert uses == ["actions/setup-python@v6", "github/codeql-action/upload-sarif@v4"]
    # Empty: no --fail-on, so the project's fail_on decides, as it does for orchlint check locally.
    assert action["inputs"]["fail-on"]["default"] == ""
    # No expression is pasted into a script: inputs reach the shell as environment variables.
    assert not any("${{" in s["run"] for s in steps if "run" in s)
    check = next(s for s in steps if s.get("id") == "check")
    formats = re.findall(r'--format "?([a-z]+)', check["run"])
    assert formats and set(formats) <= set(registry.formatters)
    assert "sarif" in formats


def _run_check_step(tmp_path: Path, cwd: Path = ROOT, **inputs: str) -> tuple[subprocess.CompletedProcess, dict[str, str]]:
    """Run the Action's orchlint step the way the runner would, with this test's orchlint, in
    ``cwd`` (the workflow's checkout)."""
    step = next(s for s in _action()["runs"]["steps"] if s.get("id") == "check")
    defaults = {name: spec.get("default", "") for name, spec in _action()["inputs"].items()}
    values = {**defaults, **inputs}
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update({"ORCHLINT_TODAY": TODAY.isoformat(), "ORCHLINT_DISABLE_PLUGIN_AUTOLOAD": "1"})
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.update({"RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(tmp_path / "output")})
    for name, expression in step["env"].items():
        env[name] = values[re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", expression).group(1)]
    script = tmp_path / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    run = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
    outputs = dict(line.split("=", 1) for line in (tmp_path / "output").read_text().splitlines())
    return run, outputs


def test_action_check_step_writes_sarif_annotations_and_the_exit_code(tmp_path):
    sarif = tmp_path / "out.sarif"
    run, outputs = _run_check_step(tmp_path, files="examples/logzio.yaml examples/vendor-*.yaml", **{"sarif-file": str(sarif)})
    assert run.returncode == 0, run.stderr
    assert outputs == {"exit-code": "0", "sarif-written": "true"}
    results = valid_sarif(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {"examples/logzio.yaml", "examples/vendor-backed.yaml"}
    assert "  viable" in run.stdout  # the text output for the log
    assert "::error file=examples/" in run.stdout and ",line=" in run.stdout  # the annotations


def test_action_check_step_passes_fail_on_and_args_and_reports_failure(tmp_path):
    run, outputs = _run_check_step(
        tmp_path, files="examples/logzio.yaml", args="--platform nomad", annotations="false", **{"fail-on": "warn", "sarif-file": str(tmp_path / "x.sarif")}
    )
    assert run.returncode == 0  # the step records the code; a later step fails the job
    assert outputs["exit-code"] == "1"
    assert "::" not in run.stdout
    assert " nomad warn " in run.stdout and " dcos " not in run.stdout
    run, outputs = _run_check_step(tmp_path, files="missing.yaml", **{"sarif-file": str(tmp_path / "y.sarif")})
    assert outputs == {"exit-code": "2", "sarif-written": "true"}


WARNS_ON_NOMAD = "orchlint: 1\nname: {name}\ntarget: nomad\nrequirements:\n  open_source_only: true\n"


def _repository(tmp_path: Path) -> Path:
    """A repository whose requirements files sit at several depths (each warns on its target,
    Nomad, and fails nowhere it decides) and whose configuration says ``fail_on: warn``."""
    repo = tmp_path / "repo"
    for name in ("orchlint.yaml", "svc/orchlint.yaml", "services/payments/orchlint.yaml", "services/a/b/c/orchlint.yaml"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(WARNS_ON_NOMAD.format(name=name.replace("/", "-")), encoding="utf-8")
    (repo / ".hidden").mkdir()
    (repo / ".hidden" / "orchlint.yaml").write_text("not: [linted\n", encoding="utf-8")
    (repo / ".orchlint.yaml").write_text("fail_on: warn\n", encoding="utf-8")
    return repo


def test_action_honours_the_projects_fail_on_unless_the_input_is_set(tmp_path):
    repo = _repository(tmp_path)
    local = subprocess.run(
        [sys.executable, "-m", "orchlint", "check", "orchlint.yaml"], cwd=repo, capture_output=True, text=True, check=False,
        env={**os.environ, "ORCHLINT_TODAY": TODAY.isoformat(), "ORCHLINT_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert local.returncode == 1  # fail_on: warn, and Nomad warns
    run, outputs = _run_check_step(tmp_path, cwd=repo, files="orchlint.yaml", **{"sarif-file": str(tmp_path / "a.sarif")})
    assert outputs["exit-code"] == "1", run.stdout + run.stderr  # as locally: the input is empty by default
    run, outputs = _run_check_step(tmp_path, cwd=repo, files="orchlint.yaml", **{"fail-on": "fail", "sarif-file": str(tmp_path / "b.sarif")})
    assert outputs["exit-code"] == "0", run.stdout + run.stderr  # the input, when set, wins


def test_action_finds_nested_files_with_a_double_star_glob(tmp_path):
    repo = _repository(tmp_path)
    run, outputs = _run_check_step(tmp_path, cwd=repo, files="**/orchlint.yaml", annotations="false", **{"sarif-file": str(tmp_path / "c.sarif")})
    linted = {line.split()[0] for line in run.stdout.splitlines() if line.endswith(" none") or line.endswith(" nomad")}
    assert linted == {"orchlint.yaml", "svc/orchlint.yaml", "services/payments/orchlint.yaml", "services/a/b/c/orchlint.yaml"}, run.stdout
    assert "4 file(s) as of" in run.stdout
    assert outputs["exit-code"] == "1"  # the project's fail_on: warn
    # A pattern that matches nothing is said, not passed over.
    run, outputs = _run_check_step(tmp_path, cwd=repo, files="deploy/**/orchlint.yaml", **{"sarif-file": str(tmp_path / "d.sarif")})
    assert outputs["exit-code"] == "2"
    assert "deploy/**/orchlint.yaml: no requirements files found in this pattern" in run.stderr


def _readme_yaml_blocks(heading: str) -> list:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", section, re.S)]


def test_readme_snippets_are_valid_and_match_the_hook_and_the_action():
    gitlab, = _readme_yaml_blocks("## CI formats: SARIF, JUnit, GitHub annotations")
    assert gitlab["orchlint"]["artifacts"]["reports"]["junit"] in " ".join(gitlab["orchlint"]["script"])
    pre_commit, workflow = _readme_yaml_blocks("## Use it from pre-commit and GitHub Actions")
    (hook_manifest,) = load_manifest(str(HOOKS))
    (hook,) = pre_commit["repos"][0]["hooks"]
    assert hook["id"] == hook_manifest["id"]
    assert re.compile(hook["files"]).search("architecture/payments.yaml")
    step = workflow["jobs"]["orchlint"]["steps"][1]
    assert set(step["with"]) <= set(_action()["inputs"])
    assert workflow["permissions"]["security-events"] == "write"
