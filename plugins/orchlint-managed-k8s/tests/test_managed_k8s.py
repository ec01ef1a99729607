from __future__ import annotations

import datetime as _dt
import json

from click.testing import CliRunner

import orchlint_managed_k8s
from orchlint.cli import main
from orchlint.testing import registry_for

SVC = "orchlint: 1\nname: svc\nrequirements:\n  nodes: {nodes}\n"
GA = _dt.date(2019, 5, 21)


def _doks_findings(tmp_path, nodes, *extra):
    path = tmp_path / "svc.yaml"
    path.write_text(SVC.format(nodes=nodes))
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json", "--platform", "doks", *extra])
    data = json.loads(result.stdout)
    (platform,) = data["files"][0]["platforms"]
    return {f["rule"]: f for f in platform["findings"]}


def test_the_plugin_registers_a_distribution_of_kubernetes_with_sourced_dated_facts():
    registry = registry_for(orchlint_managed_k8s, builtins=True)
    assert registry.errors == []
    doks = registry.platforms["doks"]
    assert (doks.name, doks.based_on) == ("DigitalOcean Kubernetes (DOKS)", "kubernetes")
    (lifecycle,) = registry.knowledge.history("doks", "lifecycle")
    assert lifecycle.valid_from == GA
    unknown, thousand = registry.knowledge.history("doks", "max_nodes")
    assert unknown.value is None and unknown.searched  # a researched unknown, with where was searched
    assert (unknown.valid_from, unknown.valid_until) == (GA, _dt.date(2025, 3, 31))
    assert (thousand.value, thousand.valid_from) == (1000, _dt.date(2025, 3, 31))
    assert thousand.sources[0].url == "https://docs.digitalocean.com/release-notes/"


def test_own_keys_replace_kubernetes_and_the_rest_is_inherited_from_ga_on():
    registry = registry_for(orchlint_managed_k8s, builtins=True)
    support = registry.knowledge.history("doks", "vendor_support")
    assert [(f.value, f.inherited_from) for f in support] == [("single-vendor", "")]
    assert registry.knowledge.at("kubernetes", "vendor_support", _dt.date(2026, 1, 1)).value == "third-party"
    rollback = registry.knowledge.at("doks", "rollback", _dt.date(2026, 1, 1))
    assert (rollback.value, rollback.inherited_from, rollback.valid_from) == (True, "kubernetes", GA)
    assert registry.knowledge.at("doks", "rollback", _dt.date(2019, 1, 1)) is None  # before DOKS existed
    assert [f.value for f in registry.knowledge.history("doks", "high_availability")] == ["limited", True]


def test_built_in_rules_judge_the_distribution(tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHLINT_TODAY", "2026-11-23")
    findings = _doks_findings(tmp_path, 800)
    assert findings["scale.node-limit"]["severity"] == "pass"
    findings = _doks_findings(tmp_path, 1500)
    assert findings["scale.node-limit"]["severity"] == "fail"
    assert "limit of 1,000 nodes" in findings["scale.node-limit"]["message"]


def test_a_researched_unknown_and_the_time_before_ga_are_unknown_not_passed(tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHLINT_TODAY", "2026-11-23")
    findings = _doks_findings(tmp_path, 400, "--as-of", "2024-01-01")
    assert findings["scale.node-limit"]["severity"] == "unknown"
    assert "researched" in findings["scale.node-limit"]["message"]
    findings = _doks_findings(tmp_path, 400, "--as-of", "2019-01-01")
    assert findings["scale.node-limit"]["severity"] == "unknown"
    assert "unverified" in findings["scale.node-limit"]["message"]


def test_explain_says_which_facts_are_inherited(monkeypatch):
    monkeypatch.setenv("ORCHLINT_TODAY", "2026-11-23")
    result = CliRunner().invoke(main, ["explain", "deploy.rollback", "--platform", "doks"])
    assert result.exit_code == 0
    assert "inherited from kubernetes" in result.stdout


def test_orchlint_plugins_lists_it_with_its_version_and_contributions():
    result = CliRunner().invoke(main, ["plugins", "--json"])
    entry = next(e for e in json.loads(result.stdout) if e["name"] == "managed_k8s")
    assert entry["version"] == "0.1.0"
    assert entry["from"].startswith("entry point orchlint_managed_k8s from orchlint-managed-k8s")
    assert entry["contributed"]["platforms"] == ["doks"]
    assert "doks/max_nodes" in entry["contributed"]["facts"]
    assert not any(f.startswith("aks/") for f in entry["contributed"]["facts"])  # AKS is built in now
