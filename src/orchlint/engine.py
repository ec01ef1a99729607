"""Judge one requirements document against every platform, on a given date.

The engine knows no platform and no rule: both come from the Registry. It turns each rule's
judgements into findings, stamping the severity from the requirement's priority.

A rule is third-party code, so the engine distrusts it: each check runs on a worker thread
with a time limit, sees frozen requirements and facts, and what it returns is checked. A
faulty rule becomes a PluginError naming it and yields no finding; other rules are unaffected.
"""

from __future__ import annotations

import copy
import datetime as _dt
import itertools
import os
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from orchlint.model import Fact, Finding, Outcome, Platform, PluginError, Severity
from orchlint.policy import Policy
from orchlint.registry import Registry
from orchlint.rulekit import Context, Judgement, Rule
from orchlint.timelimit import Worker, attempt
from orchlint.yamlsource import Document, dotted

PRIORITIES = ("must", "should", "could")
RULE_TIMEOUT_ENV = "ORCHLINT_RULE_TIMEOUT"
DEFAULT_RULE_TIMEOUT = 10.0  # seconds for one rule on one platform; the built-ins take microseconds
MAX_JUDGEMENTS = 1_000  # per rule and platform: bounds a rule that yields without end
_FROM_ENV: Any = object()

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


def rule_timeout_from_env() -> float | None:
    """ORCHLINT_RULE_TIMEOUT in seconds (0: no limit), else the default. Raises ValueError."""
    text = os.environ.get(RULE_TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_RULE_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"{RULE_TIMEOUT_ENV}: expected a number of seconds, got {text!r}") from None
    if seconds != seconds or seconds < 0:  # NaN or negative
        raise ValueError(f"{RULE_TIMEOUT_ENV}: expected a number of seconds, got {text!r}")
    return seconds or None


class Engine:
    def __init__(
        self,
        registry: Registry,
        *,
        rules: Iterable[Rule] | None = None,
        policy: Policy | None = None,
        rule_timeout: float | None = _FROM_ENV,
    ) -> None:
        """``rule_timeout``: seconds one rule may take on one platform; None or 0: no limit.
        By default ORCHLINT_RULE_TIMEOUT, else DEFAULT_RULE_TIMEOUT."""
        self.registry = registry
        self.policy = policy or Policy()
        candidates = rules if rules is not None else registry.rules.values()
        self.rules = sorted((r for r in candidates if self.policy.enabled(r.id)), key=lambda r: r.id)
        if rule_timeout is _FROM_ENV:
            try:
                rule_timeout = rule_timeout_from_env()
            except ValueError:
                rule_timeout = DEFAULT_RULE_TIMEOUT
        self.rule_timeout = rule_timeout or None
        self.timed_out: set[str] = set()  # a rule that hung once is not given the chance again
        self._worker: Worker | None = None

    def evaluate(self, doc: Document, platforms: Iterable[str], as_of: _dt.date) -> Evaluation:
        data = doc.data
        requirements: dict[str, Any] = data.get("requirements") or {}
        priorities: dict[str, str] = data.get("priorities") or {}
        frozen = _freeze(requirements)
        evaluation = Evaluation(as_of)
        errors = evaluation.plugin_errors
        # Every (platform, rule) check of the document goes to the worker in one batch.
        calls: list[tuple[Context, Rule, dict[int, tuple[Fact, Fact]]]] = []
        for platform_id in platforms:
            originals: dict[int, tuple[Fact, Fact]] = {}
            ctx = Context(self.registry.platforms[platform_id], as_of, frozen, self._lookup(platform_id, as_of, originals))
            calls += [(ctx, r, originals) for r in self.rules if self._applies(r, requirements, ctx, errors)]
        outcomes = self._call_all([(rule, _task(rule, frozen, ctx, self.timed_out)) for ctx, rule, _ in calls])
        findings: dict[str, list[Finding]] = {p: [] for p in platforms}
        for (ctx, rule, originals), outcome in zip(calls, outcomes):
            platform_id = ctx.platform.id
            try:
                judgements = self._judge(rule, outcome, ctx, errors)
                priority = priorities.get(rule.requirement or "", "must")
                findings[platform_id] += [self._finding(rule, j, platform_id, priority, doc, originals) for j in judgements]
            except Exception as exc:  # an odd Rule field that breaks the engine's own steps
                errors.append(PluginError(rule.plugin, f"rule {rule.id} failed: {exc!r} on platform {platform_id}"))
        for platform_id, found in findings.items():
            evaluation.results.append(PlatformResult(self.registry.platforms[platform_id], tuple(sorted(found))))
        return evaluation

    def _applies(self, rule: Rule, requirements: Mapping[str, Any], ctx: Context, errors: list[PluginError]) -> bool:
        if rule.id in self.timed_out:
            return False
        try:
            return bool(rule.applies_to(requirements))
        except Exception as exc:
            errors.append(PluginError(rule.plugin, f"rule {rule.id} failed: {exc!r} on platform {ctx.platform.id}"))
            return False

    def _lookup(self, platform_id: str, as_of: _dt.date, originals: dict[int, tuple[Fact, Fact]]) -> Callable[[str], Fact | None]:
        knowledge = self.registry.knowledge

        def lookup(key: str) -> Fact | None:
            fact = knowledge.at(platform_id, key, as_of)
            if fact is None or not isinstance(fact.value, (dict, list)):
                return fact
            # Facts are shared by every rule and every file: a rule gets a read-only copy,
            # and the finding goes back to citing the real one.
            view = replace(fact, value=_freeze(fact.value))
            originals[id(view)] = (view, fact)  # the view is kept alive, so its id stays unique
            return view

        return lookup

    def _call_all(self, tasks: list[tuple[Rule, Callable[[], Any]]]) -> list[tuple[str, Any]]:
        """(``ok``, judgements or None if skipped), (``error``, exception) or (``timeout``, None)."""
        if self.rule_timeout is None:
            outcomes = []
            for _rule, task in tasks:
                outcomes.append(attempt(task))
                if isinstance(outcomes[-1][1], KeyboardInterrupt):
                    raise outcomes[-1][1]  # inline, it is the user's own Ctrl-C
            return outcomes
        outcomes = []
        while len(outcomes) < len(tasks):
            if self._worker is None:
                self._worker = Worker()
                weakref.finalize(self, self._worker.stop)  # its thread ends with the engine
            pending = [task for _rule, task in tasks[len(outcomes) :]]
            done, hung = self._worker.run(pending, self.rule_timeout)
            outcomes += done
            if hung:
                self._worker.abandon()
                self._worker = None
                self.timed_out.add(tasks[len(outcomes)][0].id)
                outcomes.append(("timeout", None))
        return outcomes

    def _judge(self, rule: Rule, outcome: tuple[str, Any], ctx: Context, errors: list[PluginError]) -> list[Judgement]:
        def fault(text: str) -> list[Judgement]:
            errors.append(PluginError(rule.plugin, f"rule {rule.id} {text} on platform {ctx.platform.id}"))
            return []

        status, payload = outcome
        if status == "ok" and payload is None:
            return []
        if status == "timeout":
            return fault(f"exceeded the {self.rule_timeout:g} s time limit and was stopped (skipped for the rest of the run)")
        if status == "error":
            text = str(payload)
            if isinstance(payload, TypeError) and "not iterable" in text:
                return fault("returned a value that is not a list of Judgements")
            if _is_mutation(payload):
                return fault(f"tried to change the requirements or facts it was given ({text})")
            return fault(f"raised {payload!r}")
        if len(payload) > MAX_JUDGEMENTS:
            return fault(f"returned more than {MAX_JUDGEMENTS:,} judgements")
        for j in payload:
            problem = _malformed(j, ctx.platform.id)
            if problem:
                return fault(problem)
        return payload

    def _finding(
        self, rule: Rule, j: Judgement, platform_id: str, priority: str, doc: Document, originals: dict[int, tuple[Fact, Fact]]
    ) -> Finding:
        path: tuple[Any, ...] = ("requirements", rule.requirement, *j.path) if rule.requirement else ()
        line, column = doc.locate(path) if path else (1, 1)
        view, fact = originals.get(id(j.fact), (j.fact, j.fact))
        fact = fact if view is j.fact else j.fact
        sources = tuple(dict.fromkeys((fact.sources if fact else ()) + rule.sources))
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
            fact=fact,
        )

    def severity(self, rule: Rule, priority: str, outcome: Outcome) -> Severity:
        stamped = SEVERITY[(priority, outcome)]
        if outcome is Outcome.UNMET and priority in rule.severity:
            stamped = rule.severity[priority]
        return self.policy.stamp(rule.id, stamped)


def _is_mutation(exc: BaseException) -> bool:
    # What Python raises on writing to the read-only views (mappingproxy, tuple) a rule is given.
    text = str(exc)
    if isinstance(exc, TypeError):
        return "item assignment" in text or "item deletion" in text
    return isinstance(exc, AttributeError) and text.startswith(("'mappingproxy' object", "'tuple' object"))


def _malformed(j: Any, platform_id: str) -> str | None:
    """What is wrong with one returned judgement, in words; None when it is well-formed."""
    if not isinstance(j, Judgement):
        return f"returned {type(j).__name__} where a Judgement was expected"
    if not isinstance(j.outcome, Outcome):
        return f"returned a Judgement whose outcome is {type(j.outcome).__name__}, not an Outcome"
    if not isinstance(j.message, str):
        return f"returned a Judgement whose message is {type(j.message).__name__}, not str"
    if not isinstance(j.path, tuple) or not all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in j.path):
        return "returned a Judgement whose path is not a tuple of keys and indexes"
    if j.fact is not None and not isinstance(j.fact, Fact):
        return f"returned a Judgement citing {type(j.fact).__name__} where a Fact was expected"
    if j.fact is not None and j.fact.platform != platform_id:
        return f"cited a fact about platform {j.fact.platform!r}"
    return None


def _task(rule: Rule, requirements: Mapping[str, Any], ctx: Context, timed_out: set[str]) -> Callable[[], list[Any] | None]:
    def run() -> list[Any] | None:
        if rule.id in timed_out:  # it hung on an earlier platform
            return None
        value = requirements.get(rule.requirement) if rule.requirement else None
        return list(itertools.islice(rule.check(value, ctx), MAX_JUDGEMENTS + 1))

    return run


def _freeze(value: Any) -> Any:
    """A read-only deep copy, so no rule can change what the next rule sees."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return copy.copy(value)
