from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchlint.cli import main
from orchlint.testing import check_example, run_rule
from orchlint_acme_policy import RULE


@pytest.mark.parametrize("example", RULE.examples, ids=lambda e: e.expect)
def test_examples(example):
    assert check_example(RULE, example) is None


def test_applies_to_a_file_without_any_requirement():
    findings = run_rule(RULE, "orchlint: 1\nname: svc\n", {"on_premises": False})
    assert [(f.rule, f.severity.label, f.line) for f in findings] == [("acme.on-premises-only", "fail", 1)]


def test_installed_plugin_changes_verdicts_without_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHLINT_TODAY", "2020-06-01")
    path = tmp_path / "svc.yaml"
    path.write_text("orchlint: 1\nname: svc\ntarget: ecs\n")
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    data = json.loads(result.output)
    ecs = next(p for p in data["files"][0]["platforms"] if p["id"] == "ecs")
    assert any(f["rule"] == "acme.on-premises-only" and f["severity"] == "fail" for f in ecs["findings"])
    assert result.exit_code == 1
    blocked = CliRunner().invoke(main, ["check", str(path), "--block", "acme_policy"])
    assert blocked.exit_code == 0


RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
REPO_EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.parametrize("as_of", ["2020-06-01", "2026-11-23"])
def test_the_declarative_twin_gives_identical_findings(tmp_path, as_of):
    files = sorted(str(p) for p in REPO_EXAMPLES.glob("*.yaml")) if REPO_EXAMPLES.is_dir() else []
    svc = tmp_path / "svc.yaml"
    svc.write_text("orchlint: 1\nname: svc\nrequirements:\n  nodes: 100\n")
    files.append(str(svc))
    runner = CliRunner()
    common = ["check", *files, "--format", "json", "-v", "--as-of", as_of]
    python = runner.invoke(main, common)
    declarative = runner.invoke(main, [*common, "--block", "acme_policy", "--rules", str(RULES_DIR)])
    assert python.exit_code == declarative.exit_code
    assert json.loads(python.stdout) == json.loads(declarative.stdout)
    rules = {f["rule"] for file in json.loads(python.stdout)["files"] for p in file["platforms"] for f in p["findings"]}
    assert "acme.on-premises-only" in rules


def test_the_declarative_twin_passes_orchlint_test():
    result = CliRunner().invoke(main, ["test", str(RULES_DIR)])
    assert result.exit_code == 0, result.output
    assert "1 rules, 3 examples, 0 failed" in result.output
