"""Every rule's own PASS/FAIL examples behave as they say, through orchlint.testing."""

from __future__ import annotations

import pytest

from orchlint.rulekit import RULE_ID_PATTERN
from orchlint.rules import builtin_rule
from orchlint.testing import check_example, run_rule


def _rules():
    from orchlint.rules import builtin_rules

    return builtin_rules()


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r.id)
def test_examples_behave_as_documented(rule):
    problems = [p for p in (check_example(rule, ex) for ex in rule.examples) if p]
    assert problems == []


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r.id)
def test_every_rule_has_pass_and_fail_examples_and_metadata(rule):
    import re

    expects = {ex.expect for ex in rule.examples}
    assert {"pass", "fail"} <= expects
    assert re.match(RULE_ID_PATTERN, rule.id)
    assert rule.title and rule.rationale.strip()
    assert rule.sources, f"{rule.id} cites no source"


def test_finding_points_at_the_requirement_line_and_column():

    src = "orchlint: 1\nname: x\nrequirements:\n  production: true\n  nodes: 9000\n"
    findings = run_rule(builtin_rule("scale.node-limit"), src, {"max_nodes": 5000})
    assert [(f.severity.label, f.line, f.column, f.requirement) for f in findings] == [
        ("fail", 5, 10, "requirements.nodes")
    ]
    assert "9,000 nodes exceed" in findings[0].message


def test_list_item_findings_point_at_the_item():

    src = "orchlint: 1\nname: x\nrequirements:\n  storage:\n    types: [nfs, aws-ebs]\n"
    findings = run_rule(builtin_rule("storage.types"), src, {"storage.nfs": True, "storage.aws-ebs": False})
    failing = [f for f in findings if f.severity.label == "fail"]
    assert [(f.line, f.column, f.requirement) for f in failing] == [(5, 18, "requirements.storage.types[1]")]


def test_unknown_fact_is_unknown_never_a_silent_pass():

    findings = run_rule(builtin_rule("health.checks"), {"health_checks": ["grpc"]}, {})
    assert [f.severity.label for f in findings] == ["unknown"]
    assert "unverified" in findings[0].message
