"""Declarative rule files: the condition language, validation with positions, orchlint test."""

from __future__ import annotations

import json
import textwrap

import pytest

from orchlint.declarative.rulefile import RuleFileError
from orchlint.testing import check, load_rule, run_rule

# A requirement compared with a fact: the platform's node limit must be at least the nodes asked.
NODE_LIMIT = """\
id: acme.node-headroom
title: The node limit fits the nodes needed
rationale: ACME sizes clusters for growth.
sources: [https://kubernetes.io/docs/setup/best-practices/cluster-large/]
requirement: nodes
what: "{value:,} nodes"
fact: max_nodes
outcomes:
  - outcome: met
    fact: {minimum: {$requirement: nodes}}
    message: "{value:,} nodes fit {platform}'s limit of {fact:,}"
  - outcome: degraded
    requirements: {properties: {multi_cluster: {const: true}}, required: [multi_cluster]}
    message: "{value:,} nodes exceed {platform}'s limit of {fact:,}, but multi_cluster allows a split"
  - outcome: unmet
    message: "{value:,} nodes exceed {platform}'s limit of {fact:,}"
severity: {should: fail}
examples:
  - {expect: pass, requirements: {nodes: 100}, facts: {max_nodes: 5000}}
  - {expect: warn, requirements: {nodes: 9000, multi_cluster: true}, facts: {max_nodes: 5000}}
  - {expect: fail, requirements: {nodes: 9000}, facts: {max_nodes: 5000}}
  - {expect: fail, requirements: {nodes: 9000}, priorities: {nodes: should}, facts: {max_nodes: 5000}}
"""


def _rule(tmp_path, text, name="rule.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_requirement_is_compared_with_a_fact_through_a_reference(tmp_path):
    rule = load_rule(_rule(tmp_path, NODE_LIMIT))
    src = "requirements:\n  nodes: 9000\n"
    check(rule, src, {"max_nodes": 5000}, ("fail", 2, 10))
    (finding,) = run_rule(rule, {"nodes": 9000, "multi_cluster": True}, {"max_nodes": 5000})
    assert finding.message == "9,000 nodes exceed Example platform's limit of 5,000, but multi_cluster allows a split"
    assert finding.severity.label == "warn"
    (finding,) = run_rule(rule, {"nodes": 100}, {"max_nodes": 5000})
    assert (finding.severity.label, finding.message) == ("pass", "100 nodes fit Example platform's limit of 5,000")


def test_severity_by_priority_comes_from_the_rule_file(tmp_path):
    rule = load_rule(_rule(tmp_path, NODE_LIMIT))
    (finding,) = run_rule(rule, {"nodes": 9000}, {"max_nodes": 5000}, priorities={"nodes": "should"})
    assert finding.severity.label == "fail"  # the default table says warn for should


def test_a_missing_fact_is_unknown(tmp_path):
    rule = load_rule(_rule(tmp_path, NODE_LIMIT))
    (finding,) = run_rule(rule, {"nodes": 10}, {})
    assert (finding.severity.label, finding.outcome.value) == ("unknown", "unknown")
    assert finding.message == "10 nodes: unverified — orchlint has no fact 'max_nodes' for Example platform on 2026-01-01"


def test_each_item_of_a_list_is_judged_and_located(tmp_path):
    rule = load_rule(
        _rule(
            tmp_path,
            """\
            id: acme.volumes
            title: Volume types
            rationale: Each volume type must be supported.
            sources: ["post-2 §Storage"]
            requirement: storage
            value: types
            each: true
            what: "volume '{value}'"
            fact: "storage.{value}"
            examples:
              - {expect: pass, requirements: {storage: {types: [nfs]}}, facts: {storage.nfs: true}}
              - {expect: fail, requirements: {storage: {types: [nfs]}}, facts: {storage.nfs: false}}
            """,
        )
    )
    src = "requirements:\n  storage:\n    types: [nfs, ceph]\n"
    check(rule, src, {"storage.nfs": True, "storage.ceph": "limited"}, ("warn", 3, 18))
    findings = run_rule(rule, src, {"storage.nfs": True, "storage.ceph": "limited"})
    assert [f.requirement for f in findings] == ["requirements.storage.types[0]", "requirements.storage.types[1]"]
    assert findings[1].message == "volume 'ceph': only limited support in Example platform"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: Bad Id\n", "rule.yaml:1:5: id: "),
        (NODE_LIMIT.replace("title: The node", "titel: The node"), "rule.yaml:2:1: titel: unknown key 'titel' (did you mean 'title'?)"),
        (NODE_LIMIT.replace("{platform}'s limit of {fact:,}\"\n  - outcome: degraded", "{platform.__class__}\"\n  - outcome: degraded"), "rule.yaml:11:14: outcomes[0].message: unknown field {platform.__class__}"),
        (NODE_LIMIT.replace('what: "{value:,} nodes"', 'what: "{value!r}"'), "rule.yaml:6:7: what: conversions such as !r are not allowed"),
        (NODE_LIMIT.replace("fact: {minimum: {$requirement: nodes}}", "fact: {minimum: nine}"), "rule.yaml:10:21: outcomes[0].fact.minimum: not a valid JSON Schema condition: 'nine' is not of type 'number'"),
        (NODE_LIMIT.replace("outcome: unmet", "outcome: broken"), "rule.yaml:15:14: outcomes[2].outcome: \"broken\" is not allowed"),
        (NODE_LIMIT.replace("https://kubernetes.io/docs/setup/best-practices/cluster-large/", "post-9 §Nowhere"), "rule.yaml:4:11: sources[0]: unknown source 'post-9 §Nowhere'"),
        (NODE_LIMIT.replace("expect: fail", "expect: warn"), "rule.yaml:19:3: examples: needs at least one 'pass' and one 'fail' example"),
        ("id: [unclosed\n", "rule.yaml:2:1:"),
        ("- a list\n", "rule.yaml:1:1: expected a mapping at the top of the rule file"),
    ],
)
def test_invalid_rule_files_are_reported_with_their_position(tmp_path, text, expected):
    with pytest.raises(RuleFileError) as info:
        load_rule(_rule(tmp_path, text))
    assert expected in str(info.value)


def test_rules_directory_adds_rules_to_a_check_and_broken_files_exit_2(cli, tmp_path):
    rules = tmp_path / "policy"
    rules.mkdir()
    _rule(rules, NODE_LIMIT, "headroom.yaml")
    req = tmp_path / "svc.yaml"
    req.write_text("orchlint: 1\nname: s\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n")
    result = cli("check", str(req), "--rules", str(rules), "--select", "acme", "--format", "json")
    data = json.loads(result.stdout)
    kubernetes = next(p for p in data["files"][0]["platforms"] if p["id"] == "kubernetes")
    assert [(f["rule"], f["severity"], f["line"], f["column"]) for f in kubernetes["findings"]] == [
        ("acme.node-headroom", "fail", 5, 10)
    ]
    assert result.exit_code == 1
    _rule(rules, "id: acme.broken\n", "broken.yaml")
    result = cli("check", str(req), "--rules", str(rules), "--select", "acme", "--format", "json")
    assert result.exit_code == 2
    assert f"{rules / 'broken.yaml'}:1:1: (document root): missing required key 'title'" in result.stderr
    assert json.loads(result.stdout)["files"][0]["platforms"]  # the good rule still ran
    missing = cli("check", str(req), "--rules", str(tmp_path / "nope"))
    assert missing.exit_code == 2
    assert "rules: " in missing.stderr and "no such directory" in missing.stderr


def test_orchlint_test_runs_rule_file_examples_and_reports_failures_with_positions(cli, tmp_path):
    _rule(tmp_path, NODE_LIMIT, "headroom.yaml")
    ok = cli("test", str(tmp_path))
    assert ok.exit_code == 0, ok.output
    assert "1 rules, 4 examples, 0 failed" in ok.output
    _rule(tmp_path, NODE_LIMIT.replace("{expect: pass, requirements: {nodes: 100}", "{expect: pass, requirements: {nodes: 90000}"), "headroom.yaml")
    bad = cli("test", str(tmp_path))
    assert bad.exit_code == 1
    assert f"{tmp_path / 'headroom.yaml'}:19:1: FAIL example 1 (pass): acme.node-headroom: expected pass" in bad.output
    assert "1 rules, 4 examples, 1 failed" in bad.output
    _rule(tmp_path, "id: x.y\n", "broken.yaml")
    broken = cli("test", str(tmp_path))
    assert broken.exit_code == 2
    assert "broken.yaml:1:1:" in broken.output


def test_orchlint_test_without_arguments_tests_every_loaded_rule(cli):
    result = cli("test")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "43 rules, 190 examples, 0 failed"


def test_explain_names_the_rule_file_and_its_own_severity(cli, tmp_path):
    _rule(tmp_path, NODE_LIMIT, "headroom.yaml")
    result = cli("explain", "acme.node-headroom", "--rules", str(tmp_path))
    assert f"plugin: rules:{tmp_path} ({tmp_path / 'headroom.yaml'})" in result.output
    assert "  except, by this rule: should -> unmet fails" in result.output


def _minimal(extra: str, requirement: str = "workloads") -> str:
    return (
        f"id: acme.t\ntitle: t\nrationale: r\nsources: [https://x.example]\nrequirement: {requirement}\n"
        f"fact: f\n{extra}examples:\n  - {{expect: pass, requirements: {{{requirement}: [containers]}}, facts: {{f: [containers]}}}}\n"
        f"  - {{expect: fail, requirements: {{{requirement}: [containers]}}, facts: {{f: [vms]}}}}\n"
    )


def test_a_reference_may_stand_where_a_list_is_needed(tmp_path):
    # "the fact is one of the requested items": the stand-in used at load must not reject it.
    text = _minimal("each: true\noutcomes:\n  - {outcome: met, fact: {contains: {enum: {$requirement: workloads}}}}\n  - {outcome: unmet}\n")
    rule = load_rule(_rule(tmp_path, text))
    assert [f.severity.label for f in run_rule(rule, {"workloads": ["containers"]}, {"f": ["containers", "vms"]})] == ["pass"]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("outcomes:\n  - {outcome: met, fact: {$ref: 'https://example.com/s.json'}}\n", "$ref is not allowed in a condition"),
        ("outcomes:\n  - {outcome: met, fact: {$ref: '#/$defs/nope'}}\n", "$ref is not allowed in a condition"),
        ("what: '{value:>9999}'\n", "format widths and precisions above 200 are not allowed"),
        # Catastrophic backtracking runs in C holding the GIL, where no time limit reaches.
        ("outcomes:\n  - {outcome: met, fact: {items: {pattern: '^(a+)+$'}}}\n", "rule.yaml:8:26: outcomes[0].fact: not a valid JSON Schema condition: pattern '^(a+)+$' nests one repetition inside another"),
        ("outcomes:\n  - {outcome: met, fact: {items: {pattern: '(x)\\1'}}}\n", "uses a back-reference"),
        ("outcomes:\n  - {outcome: met, fact: {patternProperties: {'(\\\\w+\\\\s?)*$': {}}}}\n", "nests one repetition inside another"),
        ("outcomes:\n  - {outcome: met, fact: {items: {pattern: '(unclosed'}}}\n", "is not a valid regular expression"),
    ],
)
def test_conditions_and_templates_that_could_not_work_are_refused_at_load(tmp_path, extra, expected):
    with pytest.raises(RuleFileError) as info:
        load_rule(_rule(tmp_path, _minimal(extra)))
    assert expected in str(info.value)


def test_unknown_requirement_and_invalid_example_requirements_are_refused_at_load(tmp_path):
    text = _minimal("", requirement="workloadz").replace("requirement: workloadz", "requirement: workloadz")
    with pytest.raises(RuleFileError) as info:
        load_rule(_rule(tmp_path, text))
    assert "rule.yaml:5:14: requirement: unknown requirement 'workloadz' (did you mean 'workloads'?)" in str(info.value)
    bad_example = _minimal("").replace("{expect: pass, requirements: {workloads: [containers]}", "{expect: pass, requirements: {workloads: lots}")
    with pytest.raises(RuleFileError) as info:
        load_rule(_rule(tmp_path, bad_example))
    assert "examples[0].requirements: not valid requirements: requirements.workloads: expected a list" in str(info.value)


def test_a_condition_that_cannot_be_applied_is_a_named_error_not_a_verdict(cli, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    text = _minimal("outcomes:\n  - {outcome: met, fact: {minimum: {$value: null}}}\n  - {outcome: unmet}\n")
    _rule(rules, text.replace("fact: f\n", "fact: max_nodes\n"), "t.yaml")  # a number compared with a list
    req = tmp_path / "svc.yaml"
    req.write_text("orchlint: 1\nname: s\nrequirements:\n  workloads: [containers]\n")
    result = cli("check", str(req), "--rules", str(rules), "--select", "acme", "--platform", "kubernetes", "--format", "json")
    assert result.exit_code == 3
    (error,) = {e["message"] for e in json.loads(result.stdout)["plugin_errors"]}
    assert f"{rules / 't.yaml'} outcomes[0].fact: condition cannot be applied to" in error


def test_a_when_reference_to_an_unstated_requirement_means_no_finding(tmp_path):
    rule = load_rule(_rule(tmp_path, _minimal("when: {const: {$requirement: nodes}}\n")))
    assert run_rule(rule, {"workloads": ["containers"]}, {"f": True}) == []


def test_templates_render_what_the_user_wrote_not_python_reprs(tmp_path):
    text = _minimal("what: 'asked {value} with production={requirement.production}'\nunknown: '{what}'\n")
    rule = load_rule(_rule(tmp_path, text))
    (finding,) = run_rule(rule, {"workloads": ["containers", "vms"], "production": True}, {})
    assert finding.message == "asked containers, vms with production=true"
