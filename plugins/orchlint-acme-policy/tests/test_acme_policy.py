from __future__ import annotations

import json
from pathlib import Path

import orchlint_acme_policy
import pytest
from click.testing import CliRunner
from orchlint_acme_policy import DATA_RESIDENCY, RULE, TIER_ONE_VENDOR

from orchlint.cli import main
from orchlint.testing import check, check_example, registry_for, run_rule


@pytest.mark.parametrize("example", RULE.examples, ids=lambda e: e.expect)
def test_examples(example):
    assert check_example(RULE, example) is None


@pytest.mark.parametrize(
    "rule, example",
    [(rule, example) for rule in (TIER_ONE_VENDOR, DATA_RESIDENCY) for example in rule.examples],
    ids=lambda x: getattr(x, "id", None) or getattr(x, "expect", ""),
)
def test_the_namespace_rules_examples(rule, example):
    assert check_example(rule, example) is None


def test_the_plugin_registers_its_namespace_and_rules_cleanly():
    registry = registry_for(orchlint_acme_policy, builtins=True)
    assert set(registry.requirements["acme"].schema["properties"]) == {"tier", "data_residency"}
    assert {"acme.on-premises-only", "acme.tier-one-vendor", "acme.data-residency"} <= set(registry.rules)


TIER_ONE = "orchlint: 1\nname: svc\nrequirements:\n  acme:\n    data_residency: eu\n    tier: 1\n"


def test_a_tier_one_service_without_single_vendor_support_fails_at_its_tier():
    check(TIER_ONE_VENDOR, TIER_ONE, {"vendor_support": "third-party"}, ("fail", 6, 11))
    check(TIER_ONE_VENDOR, TIER_ONE, {"vendor_support": "single-vendor"})
    check(TIER_ONE_VENDOR, TIER_ONE.replace("tier: 1", "tier: 3"), {"vendor_support": "none"})
    [finding] = run_rule(TIER_ONE_VENDOR, TIER_ONE, {})
    assert finding.severity.label == "unknown"


def test_data_residency_is_judged_at_its_line_and_any_puts_no_constraint():
    check(DATA_RESIDENCY, TIER_ONE, {"on_premises": False}, ("fail", 5, 21))
    check(DATA_RESIDENCY, TIER_ONE, {"on_premises": "limited"}, ("warn", 5, 21))
    assert run_rule(DATA_RESIDENCY, TIER_ONE.replace("eu", "any"), {"on_premises": False}) == []
    assert run_rule(DATA_RESIDENCY, "orchlint: 1\nname: svc\nrequirements:\n  acme: {tier: 2}\n", {}) == []


def test_the_installed_plugin_validates_its_keys_with_line_and_column(tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHLINT_TODAY", "2026-06-01")
    path = tmp_path / "svc.yaml"
    path.write_text("orchlint: 1\nname: svc\nrequirements:\n  acme:\n    tier: 4\n    data_residence: eu\n  acmee: {}\n")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert f"{path}:5:11 error requirements.acme.tier: 4 is greater than the maximum of 3" in result.output
    assert f"{path}:6:5 error requirements.acme.data_residence: unknown key 'data_residence' (did you mean 'data_residency'?)" in result.output
    assert f"{path}:7:3 error requirements.acmee: unknown key 'acmee' (did you mean 'acme'?)" in result.output
    blocked = CliRunner().invoke(main, ["check", str(path), "--block", "acme_policy"])
    assert "requirements.acme: unknown key 'acme'" in blocked.output


def test_a_tier_one_eu_service_is_judged_on_every_platform(tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHLINT_TODAY", "2026-06-01")
    path = tmp_path / "svc.yaml"
    path.write_text(TIER_ONE + "priorities:\n  acme: should\n")
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json", "--platform", "kubernetes", "--platform", "nomad"])
    platforms = {p["id"]: p for p in json.loads(result.output)["files"][0]["platforms"]}
    tier = {pid: next(f for f in p["findings"] if f["rule"] == "acme.tier-one-vendor") for pid, p in platforms.items()}
    # Upstream Kubernetes has only third-party support; Nomad Enterprise comes from HashiCorp.
    assert (tier["kubernetes"]["severity"], tier["kubernetes"]["line"], tier["kubernetes"]["priority"]) == ("warn", 6, "should")
    assert tier["nomad"]["severity"] == "pass"
    residency = next(f for f in platforms["kubernetes"]["findings"] if f["rule"] == "acme.data-residency")
    assert (residency["severity"], residency["requirement"]) == ("pass", "requirements.acme.data_residency")


def test_orchlint_schema_shows_the_acme_keys():
    result = CliRunner().invoke(main, ["schema"])
    acme = json.loads(result.output)["properties"]["requirements"]["properties"]["acme"]
    assert acme["properties"]["data_residency"]["enum"] == ["eu", "us", "any"]
    assert acme["additionalProperties"] is False


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
