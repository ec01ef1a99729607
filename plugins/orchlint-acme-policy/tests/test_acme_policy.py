from __future__ import annotations

import json

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
