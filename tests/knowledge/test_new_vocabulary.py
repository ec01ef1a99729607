"""The review questions beyond the posts (issue 19): every new requirement key is asked by a
rule that reads its fact, and every built-in platform answers it."""

from __future__ import annotations

import json

from orchlint.knowledge import coverage
from orchlint.schemas import validation

NEW_KEYS = {
    # requirement key: (rule, fact key or pattern)
    "secrets": ("security.secrets", "secrets"),
    "config_injection": ("configuration.injection", "config_injection"),
    "multi_tenancy": ("tenancy.multi-tenancy", "tenancy.{value}"),
    "placement": ("scheduling.placement", "placement.{value}"),
    "global_services": ("scheduling.global-services", "global_services"),
    "scheduled_jobs": ("workload.scheduled-jobs", "scheduled_jobs"),
    "multi_zone": ("availability.multi-zone", "multi_zone"),
    "multi_region": ("availability.multi-region", "multi_region"),
    "gpu": ("scheduling.gpu", "gpu_scheduling"),
    "network_policy": ("networking.network-policy", "network_policy"),
    "ingress": ("networking.ingress", "ingress_l7"),
    "windows_nodes": ("workload.windows-nodes", "windows_nodes"),
    "service_mesh": ("networking.service-mesh", "service_mesh"),
    "self_healing": ("availability.self-healing", "self_healing"),
    "runtime_choice": ("operations.runtime-choice", "runtime_choice"),
    "monitoring": ("operations.monitoring", "monitoring"),
}

EVERYTHING = """\
orchlint: 1
name: platform-team
requirements:
  secrets: true
  config_injection: true
  multi_tenancy: [namespaces, rbac, quotas]
  placement: [constraints, affinity]
  global_services: true
  scheduled_jobs: true
  multi_zone: true
  multi_region: true
  gpu: true
  network_policy: true
  ingress: true
  windows_nodes: true
  service_mesh: true
  self_healing: true
  runtime_choice: true
  monitoring: true
  upgrades: [canary, blue-green]
"""


def test_every_new_requirement_key_has_a_rule_reading_a_vocabulary_fact(registry):
    requirements = validation.load_schema("requirements")["properties"]["requirements"]["properties"]
    vocabulary = set(coverage.vocabulary())
    for key, (rule_id, fact) in NEW_KEYS.items():
        assert key in requirements, key
        rule = registry.rules[rule_id]
        assert rule.requirement == key
        items = requirements[key].get("items", {}).get("enum", [None])
        assert {fact.format(value=item) for item in items} <= vocabulary, key
    assert {"canary", "blue-green"} <= set(requirements["upgrades"]["items"]["enum"])


def test_every_platform_answers_every_new_question_today(cli, tmp_path):
    path = tmp_path / "orchlint.yaml"
    path.write_text(EVERYTHING, encoding="utf-8")
    doc = json.loads(cli("check", str(path), "--format", "json", "-v").output)
    platforms = doc["files"][0]["platforms"]
    assert len(platforms) == 10
    for platform in platforms:
        rules = {f["rule"] for f in platform["findings"]}
        assert {rule for rule, _fact in NEW_KEYS.values()} <= rules, platform["id"]
        unknown = [f for f in platform["findings"] if f["severity"] == "unknown"]
        assert unknown == [], (platform["id"], [f["message"] for f in unknown])


def test_a_typo_in_a_new_key_gets_a_suggestion(cli, tmp_path):
    path = tmp_path / "orchlint.yaml"
    path.write_text("orchlint: 1\nname: x\nrequirements:\n  multi_tenancy: [namespace]\n  servce_mesh: true\n", encoding="utf-8")
    result = cli("check", str(path))
    assert result.exit_code == 2
    assert "did you mean 'namespaces'?" in result.output
    assert "did you mean 'service_mesh'?" in result.output


def test_the_starter_asks_the_new_questions(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("init").exit_code == 0
    text = (tmp_path / "orchlint.yaml").read_text(encoding="utf-8")
    for key in NEW_KEYS:
        assert f"# {key}: " in text, key
