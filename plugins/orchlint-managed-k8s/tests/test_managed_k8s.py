from __future__ import annotations

import json

from click.testing import CliRunner

import orchlint_managed_k8s
from orchlint.cli import main
from orchlint.testing import registry_for

LARGE = "orchlint: 1\nname: svc\nrequirements:\n  nodes: {nodes}\n"


def _aks_findings(tmp_path, nodes, *extra):
    path = tmp_path / "svc.yaml"
    path.write_text(LARGE.format(nodes=nodes))
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json", "--platform", "aks", *extra])
    data = json.loads(result.stdout)
    (platform,) = data["files"][0]["platforms"]
    return result.exit_code, {f["rule"]: f for f in platform["findings"]}


def test_the_plugin_registers_a_platform_with_sourced_dated_facts():
    registry = registry_for(orchlint_managed_k8s, builtins=True)
    assert registry.platforms["aks"].name == "Azure Kubernetes Service (AKS)"
    fact = registry.knowledge.history("aks", "max_nodes")[0]
    assert fact.value == 5000
    assert fact.sources[0].url == "https://learn.microsoft.com/en-us/azure/aks/quotas-skus-regions"
    assert fact.valid_from.isoformat() == "2026-11-23"


def test_built_in_rules_judge_the_new_platform(tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHLINT_TODAY", "2026-11-23")
    code, findings = _aks_findings(tmp_path, 4000)
    assert findings["scale.node-limit"]["severity"] == "pass"
    assert code == 0
    code, findings = _aks_findings(tmp_path, 9000)
    assert findings["scale.node-limit"]["severity"] == "fail"
    assert "limit of 5,000 nodes" in findings["scale.node-limit"]["message"]
    assert code == 1


def test_before_the_facts_were_read_the_platform_is_unverified_not_passed(tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHLINT_TODAY", "2026-11-23")
    _code, findings = _aks_findings(tmp_path, 4000, "--as-of", "2025-01-01")
    assert findings["scale.node-limit"]["severity"] == "unknown"
    assert "unverified" in findings["scale.node-limit"]["message"]


def test_orchlint_plugins_lists_it_with_its_version_and_contributions():
    result = CliRunner().invoke(main, ["plugins", "--json"])
    entry = next(e for e in json.loads(result.stdout) if e["name"] == "managed_k8s")
    assert entry["version"] == "0.1.0"
    assert entry["from"].startswith("entry point orchlint_managed_k8s from orchlint-managed-k8s")
    assert entry["contributed"]["platforms"] == ["aks"]
    assert len(entry["contributed"]["facts"]) == 2

