"""Helpers for rule authors' tests, in the spirit of yamllint's ``check(src, conf, problem=...)``.

    from orchlint.testing import run_rule
    findings = run_rule(MY_RULE, "orchlint: 1\\nname: x\\nrequirements:\\n  nodes: 9000\\n", {"max_nodes": 5000})
    assert [(f.severity.label, f.line, f.column) for f in findings] == [("fail", 4, 10)]
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

import yaml

from orchlint import yamlsource
from orchlint.engine import Engine
from orchlint.model import Finding, Platform, Severity, Source
from orchlint.registry import Registry
from orchlint.rulekit import Example, Rule

EXAMPLE_PLATFORM = Platform("example", "Example platform", "a platform made up for a test")
EXAMPLE_SOURCE = Source("orchlint.testing example fact")
DEFAULT_AS_OF = _dt.date(2026, 1, 1)


def make_registry(rule: Rule, facts: Mapping[str, Any], platform: Platform = EXAMPLE_PLATFORM) -> Registry:
    """A registry holding only ``rule`` and one platform with ``facts`` (key -> value, always true)."""
    from orchlint.model import Fact

    registry = Registry()
    registry.platforms[platform.id] = platform
    registry.rules[rule.id] = rule
    for key, value in facts.items():
        registry.knowledge.add(Fact(platform.id, key, value, (EXAMPLE_SOURCE,), DEFAULT_AS_OF))
    return registry


def run_rule(
    rule: Rule,
    source: str | Mapping[str, Any],
    facts: Mapping[str, Any],
    *,
    as_of: _dt.date = DEFAULT_AS_OF,
) -> list[Finding]:
    """Run one rule on a requirements file (YAML text, or the mapping under ``requirements:``)."""
    if not isinstance(source, str):
        source = yaml.safe_dump({"orchlint": 1, "name": "example", "requirements": dict(source)}, sort_keys=False)
    doc = yamlsource.load(source, dates_as_strings=True)
    registry = make_registry(rule, facts)
    evaluation = Engine(registry).evaluate(doc, [EXAMPLE_PLATFORM.id], as_of)
    if evaluation.plugin_errors:
        raise AssertionError(f"rule {rule.id} failed: {evaluation.plugin_errors[0].message}")
    return list(evaluation.results[0].findings)


def verdict(findings: list[Finding]) -> str:
    """``pass``, ``warn`` or ``fail``: the worst severity, ``pass`` when there is no finding."""
    return max((f.severity for f in findings), default=Severity.PASS).label


def check_example(rule: Rule, example: Example) -> str | None:
    """None if the example behaves as it says, else a sentence saying how it did not."""
    findings = run_rule(rule, example.requirements, example.facts)
    got = verdict(findings)
    if got != example.expect:
        detail = "; ".join(f.message for f in findings) or "no finding"
        return f"{rule.id}: expected {example.expect} for {dict(example.requirements)} with {dict(example.facts)}, got {got} ({detail})"
    return None
