"""Judge one requirements document against every platform, on a given date.

The engine knows no platform and no rule: both come from the Registry. It turns each rule's
judgements into findings, stamping the severity from the requirement's priority.
"""

from __future__ import annotations

import copy
import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from orchlint.model import Finding, Outcome, Platform, PluginError, Severity
from orchlint.policy import Policy
from orchlint.registry import Registry
from orchlint.rulekit import Context, Judgement, Rule
from orchlint.yamlsource import Document, dotted

PRIORITIES = ("must", "should", "could")

# The documented mapping from (priority, outcome) to severity. Unknown capabilities warn
# so that a gap in the knowledge is never a silent pass.
SEVERITY: Mapping[tuple[str, Outcome], Severity] = {
    ("must", Outcome.MET): Severity.PASS,
    ("must", Outcome.DEGRADED): Severity.WARN,
    ("must", Outcome.UNMET): Severity.FAIL,
    ("must", Outcome.UNKNOWN): Severity.WARN,
    ("should", Outcome.MET): Severity.PASS,
    ("should", Outcome.DEGRADED): Severity.PASS,
    ("should", Outcome.UNMET): Severity.WARN,
    ("should", Outcome.UNKNOWN): Severity.WARN,
    ("could", Outcome.MET): Severity.PASS,
    ("could", Outcome.DEGRADED): Severity.PASS,
    ("could", Outcome.UNMET): Severity.PASS,
    ("could", Outcome.UNKNOWN): Severity.PASS,
}


@dataclass(frozen=True)
class PlatformResult:
    platform: Platform
    findings: tuple[Finding, ...]

    @property
    def verdict(self) -> Severity:
        return max((f.counted for f in self.findings), default=Severity.PASS)


@dataclass
class Evaluation:
    as_of: _dt.date
    results: list[PlatformResult] = field(default_factory=list)
    plugin_errors: list[PluginError] = field(default_factory=list)

    def result(self, platform_id: str) -> PlatformResult | None:
        return next((r for r in self.results if r.platform.id == platform_id), None)


class Engine:
    def __init__(self, registry: Registry, *, rules: Iterable[Rule] | None = None, policy: Policy | None = None) -> None:
        self.registry = registry
        self.policy = policy or Policy()
        candidates = rules if rules is not None else registry.rules.values()
        self.rules = sorted((r for r in candidates if self.policy.enabled(r.id)), key=lambda r: r.id)

    def evaluate(self, doc: Document, platforms: Iterable[str], as_of: _dt.date) -> Evaluation:
        data = doc.data
        requirements: dict[str, Any] = data.get("requirements") or {}
        priorities: dict[str, str] = data.get("priorities") or {}
        frozen = _freeze(requirements)
        evaluation = Evaluation(as_of)
        for platform_id in platforms:
            platform = self.registry.platforms[platform_id]
            ctx = Context(platform, as_of, frozen, self._lookup(platform_id, as_of))
            findings: list[Finding] = []
            for rule in self.rules:
                if not rule.applies_to(requirements):
                    continue
                value = frozen.get(rule.requirement) if rule.requirement else None
                judgements = self._run(rule, value, ctx, evaluation.plugin_errors)
                priority = priorities.get(rule.requirement or "", "must")
                findings.extend(self._finding(rule, j, platform_id, priority, doc) for j in judgements)
            evaluation.results.append(PlatformResult(platform, tuple(sorted(findings))))
        return evaluation

    def _lookup(self, platform_id: str, as_of: _dt.date) -> Any:
        knowledge = self.registry.knowledge
        return lambda key: knowledge.at(platform_id, key, as_of)

    def _run(self, rule: Rule, value: Any, ctx: Context, errors: list[PluginError]) -> list[Judgement]:
        try:
            judgements = list(rule.check(value, ctx))
        except Exception as exc:
            errors.append(PluginError(rule.plugin, f"rule {rule.id} raised {exc!r} on platform {ctx.platform.id}"))
            return []
        bad = [j for j in judgements if not isinstance(j, Judgement) or not isinstance(j.outcome, Outcome)]
        if bad:
            errors.append(
                PluginError(rule.plugin, f"rule {rule.id} returned {type(bad[0]).__name__} where a Judgement was expected")
            )
            return []
        return judgements

    def _finding(self, rule: Rule, j: Judgement, platform_id: str, priority: str, doc: Document) -> Finding:
        path: tuple[Any, ...] = ("requirements", rule.requirement, *j.path) if rule.requirement else ()
        line, column = doc.locate(path) if path else (1, 1)
        sources = tuple(dict.fromkeys((j.fact.sources if j.fact else ()) + rule.sources))
        return Finding(
            platform=platform_id,
            line=line,
            column=column,
            rule=rule.id,
            requirement=dotted(path),
            severity=self.severity(rule, priority, j.outcome),
            message=j.message,
            outcome=j.outcome,
            priority=priority,
            sources=sources,
            fact=j.fact,
        )


    def severity(self, rule: Rule, priority: str, outcome: Outcome) -> Severity:
        stamped = SEVERITY[(priority, outcome)]
        if outcome is Outcome.UNMET and priority in rule.severity:
            stamped = rule.severity[priority]
        return self.policy.stamp(rule.id, stamped)


def _freeze(value: Any) -> Any:
    """A read-only deep copy, so no rule can change what the next rule sees."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return copy.copy(value)
