"""Helpers for rule authors' tests, in the spirit of yamllint's ``check(src, conf, problem=...)``.

    from orchlint.testing import check
    check(MY_RULE, "requirements:\\n  nodes: 9000\\n", {"max_nodes": 5000}, ("fail", 2, 10))

``check`` asserts the non-passing findings exactly, as (severity, line, column). ``run_rule``
returns the findings for your own assertions; ``registry_for`` and ``plugin_manager`` build
orchlint's machinery around your plugin alone, with or without the built-ins.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from orchlint.support import yamlsource
from orchlint.engine.core import Engine
from orchlint.model import Fact, Finding, Platform, Severity, Source
from orchlint.plugins.manager import PluginManager
from orchlint.plugins.registry import Registry, build_registry
from orchlint.rulekit import Example, Rule

EXAMPLE_PLATFORM = Platform("example", "Example platform", "a platform made up for a test")
EXAMPLE_SOURCE = Source("orchlint.testing example fact")
DEFAULT_AS_OF = _dt.date(2026, 1, 1)


def plugin_manager(*plugins: object, builtins: bool = False) -> PluginManager:
    """A manager holding only ``plugins`` (modules or objects with hookimpls); no entry points."""
    from orchlint.plugins.manager import get_plugin_manager

    pm, failures = get_plugin_manager(entry_points=False, builtins=builtins)
    assert not failures, failures
    for index, plugin in enumerate(plugins):
        pm.add(plugin, getattr(plugin, "__name__", f"test-plugin-{index}"), "orchlint.testing")
    return pm


def registry_for(*plugins: object, builtins: bool = False) -> Registry:
    """The registry orchlint would build from ``plugins``; fails the test on any plugin error."""
    registry = build_registry(plugin_manager(*plugins, builtins=builtins))
    assert not registry.errors, [f"{e.plugin}: {e.message}" for e in registry.errors]
    return registry


def load_rule(path: str | Path) -> Rule:
    """A declarative rule file, compiled (raises RuleFileError with positions if it is invalid)."""
    from orchlint.declarative.rulefile import load_rule_file
    from orchlint.knowledge import source_resolver

    return load_rule_file(Path(path), source_resolver())


def researched_unknown(*searched: str) -> Fact:
    """A researched-unknown fact for ``make_registry`` / ``run_rule``: searched, nothing settles it."""
    return Fact(EXAMPLE_PLATFORM.id, "", None, (EXAMPLE_SOURCE,), DEFAULT_AS_OF, note="nothing read settles it", searched=searched)


def make_registry(rule: Rule, facts: Mapping[str, Any], platform: Platform = EXAMPLE_PLATFORM) -> Registry:
    """A registry holding only ``rule`` and one platform with ``facts``: key -> value, always
    true, or key -> a Fact (e.g. ``researched_unknown("searched the docs")``) used as it is."""
    registry = Registry()
    registry.platforms[platform.id] = platform
    registry.rules[rule.id] = rule
    for key, value in facts.items():
        fact = replace(value, platform=platform.id, key=key) if isinstance(value, Fact) else Fact(platform.id, key, value, (EXAMPLE_SOURCE,), DEFAULT_AS_OF)
        registry.knowledge.add(fact)
    return registry


def run_rule(
    rule: Rule,
    source: str | Mapping[str, Any],
    facts: Mapping[str, Any],
    *,
    as_of: _dt.date = DEFAULT_AS_OF,
    priorities: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Run one rule on a requirements file (YAML text, or the mapping under ``requirements:``).

    YAML text may leave out ``orchlint:`` and ``name:``; line numbers are those of the text.
    """
    if not isinstance(source, str):
        document: dict[str, Any] = {"orchlint": 1, "name": "example", "requirements": dict(source)}
        if priorities:
            document["priorities"] = dict(priorities)
        source = yaml.safe_dump(document, sort_keys=False)
    doc = yamlsource.load(source, dates_as_strings=True)
    registry = make_registry(rule, facts)
    evaluation = Engine(registry).evaluate(doc, [EXAMPLE_PLATFORM.id], as_of)
    if evaluation.plugin_errors:
        raise AssertionError(f"rule {rule.id} failed: {evaluation.plugin_errors[0].message}")
    return list(evaluation.results[0].findings)


def check(
    rule: Rule,
    source: str | Mapping[str, Any],
    facts: Mapping[str, Any],
    *expected: tuple[str, int, int],
    as_of: _dt.date = DEFAULT_AS_OF,
    priorities: Mapping[str, str] | None = None,
) -> None:
    """Assert that the rule's non-passing findings are exactly ``expected``: (severity, line, column).

    Give ``source`` as YAML text when positions matter: they are the text's own lines.
    """
    findings = run_rule(rule, source, facts, as_of=as_of, priorities=priorities)
    got = [(f.severity.label, f.line, f.column) for f in findings if f.severity is not Severity.PASS]
    assert got == list(expected), "\n".join(
        [f"{rule.id}: expected {list(expected)}, got {got}"] + [f"  {f.line}:{f.column} {f.severity.label} {f.message}" for f in findings]
    )


def verdict(findings: list[Finding]) -> str:
    """``pass``, ``warn`` or ``fail``: the worst severity judged, ``pass`` when there is no
    finding; ``unknown`` when nothing was judged worse than a pass but something could not be
    judged at all (no fact)."""
    worst = max((f.severity for f in findings), default=Severity.PASS)
    if worst is Severity.UNKNOWN:
        return worst.label  # nothing was judged: every finding lacked its fact
    if worst is Severity.PASS and any(f.severity is Severity.UNKNOWN for f in findings):
        return Severity.UNKNOWN.label
    return worst.label


def check_example(rule: Rule, example: Example) -> str | None:
    """None if the example behaves as it says, else a sentence saying how it did not."""
    try:
        findings = run_rule(rule, example.requirements, example.facts, priorities=example.priorities)
    except AssertionError as exc:
        return str(exc)
    got = verdict(findings)
    if got != example.expect:
        detail = "; ".join(f.message for f in findings) or "no finding"
        return f"{rule.id}: expected {example.expect} for {dict(example.requirements)} with {dict(example.facts)}, got {got} ({detail})"
    return None
