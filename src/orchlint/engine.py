"""Judge one requirements document against every platform, on a given date.

The engine knows no platform and no rule: both come from the Registry. It turns each rule's
judgements into findings, stamping the severity from the requirement's priority.

A rule is third-party code, so the engine distrusts it: each check runs on a worker thread
with a time limit, sees frozen requirements and facts, and what it returns is checked. A
faulty rule becomes a PluginError naming it and yields no finding; other rules are unaffected.
"""

from __future__ import annotations

import datetime as _dt
import os
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any

from orchlint.model import Fact, Finding, Outcome, Platform, PluginError, Severity
from orchlint.policy import Policy
from orchlint.registry import Registry
from orchlint.rulecall import MAX_JUDGEMENTS, NO_KEY, Watched, freeze, is_mutation, malformed, memo_key, task
from orchlint.rulekit import Context, Judgement, Rule
from orchlint.timelimit import Worker, attempt
from orchlint.yamlsource import Document, dotted

PRIORITIES = ("must", "should", "could")
RULE_TIMEOUT_ENV = "ORCHLINT_RULE_TIMEOUT"
# Finding's compared fields, in order, are its sort order; a key of C-built tuples is much
# cheaper than the dataclass's generated __lt__.
_ORDER = attrgetter("platform", "line", "column", "rule", "requirement", "severity", "message")
_MEMO_LIMIT = 8192  # entries; bounds memory however many files a run reads
DEFAULT_RULE_TIMEOUT = 10.0  # seconds for one rule on one platform; the built-ins take microseconds
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
        # Reuse, bounded: judgements per (rule, platform, day, value) for rules never seen
        # reading other requirements; severities per (rule, priority, outcome); sources per
        # (fact, rule). A monorepo repeats itself from file to file.
        self._memo: dict[tuple[Any, ...], list[Judgement]] = {}
        self._reads_requirements: set[str] = set()
        self._stamped: dict[tuple[str, str, Outcome], Severity] = {}
        self._cited: dict[tuple[int, str], tuple[Fact, tuple[Any, ...]]] = {}
        self.memo_day: _dt.date | None = None  # judgements are reused only for this day, if set

    def evaluate(self, doc: Document, platforms: Iterable[str], as_of: _dt.date) -> Evaluation:
        data = doc.data
        requirements: dict[str, Any] = data.get("requirements") or {}
        priorities: dict[str, str] = data.get("priorities") or {}
        frozen = freeze(requirements)
        evaluation = Evaluation(as_of)
        errors = evaluation.plugin_errors
        reuse = self.memo_day is None or as_of == self.memo_day
        # Every (platform, rule) check of the document not already judged goes to the worker in
        # one batch. Each check gets its own view of the requirements, which notes whether the
        # rule looked at them: such a rule is never given a reused judgement.
        calls: list[tuple[Context, Rule, dict[int, tuple[Fact, Fact]], Any, Watched]] = []
        value_keys: dict[str | None, Any] = {}  # per requirement: the same for every platform
        for platform_id in platforms:
            originals: dict[int, tuple[Fact, Fact]] = {}
            platform = self.registry.platforms[platform_id]
            lookup = self._lookup(platform_id, as_of, originals)
            for rule in self.rules:
                watched = Watched(frozen)
                ctx = Context(platform, as_of, watched, lookup)
                if not self._applies(rule, requirements, ctx, errors):
                    continue
                key = None
                if reuse and rule.id not in self._reads_requirements:
                    value = value_keys.get(rule.requirement, value_keys)
                    if value is value_keys:
                        value = value_keys[rule.requirement] = memo_key(frozen.get(rule.requirement) if rule.requirement else None)
                    key = None if value is NO_KEY else (rule.id, platform_id, as_of, value)
                calls.append((ctx, rule, originals, key, watched))
        reused = {id(ctx): self._memo[key] for ctx, _r, _o, key, _w in calls if key is not None and key in self._memo}
        pending = [(ctx, rule, key) for ctx, rule, _o, key, _w in calls if id(ctx) not in reused]
        outcomes = iter(self._call_all([(rule, task(rule, frozen, ctx, self.timed_out)) for ctx, rule, _k in pending]))
        fresh = {id(ctx): next(outcomes) for ctx, _rule, _key in pending}
        findings: dict[str, list[Finding]] = {p: [] for p in platforms}
        located: dict[tuple[Any, ...], tuple[int, int, str]] = {}
        for ctx, rule, originals, key, watched in calls:
            platform_id = ctx.platform.id
            try:
                if id(ctx) in fresh:
                    before = len(errors)
                    judgements = self._judge(rule, fresh[id(ctx)], ctx, errors)
                    if watched.touched:
                        self._reads_requirements.add(rule.id)
                    elif key is not None and fresh[id(ctx)][0] == "ok" and len(errors) == before:
                        self._remember(key, judgements, originals)  # only clean answers are reused
                else:
                    judgements = reused[id(ctx)]
                priority = priorities.get(rule.requirement or "", "must")
                findings[platform_id] += [self._finding(rule, j, platform_id, priority, doc, originals, located) for j in judgements]
            except Exception as exc:  # an odd Rule field that breaks the engine's own steps
                errors.append(PluginError(rule.plugin, f"rule {rule.id} failed: {exc!r} on platform {platform_id}"))
        for platform_id, found in findings.items():
            found.sort(key=_ORDER)
            evaluation.results.append(PlatformResult(self.registry.platforms[platform_id], tuple(found)))
        return evaluation

    def _remember(self, key: tuple[Any, ...], judgements: list[Judgement], originals: dict[int, tuple[Fact, Fact]]) -> None:
        # A judgement may cite this evaluation's read-only view of a fact: keep the real fact.
        real = []
        for j in judgements:
            view, fact = originals.get(id(j.fact), (None, None))
            real.append(replace(j, fact=fact) if view is not None and view is j.fact else j)
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = real

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
            view = replace(fact, value=freeze(fact.value))
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
            if is_mutation(payload):
                return fault(f"tried to change the requirements or facts it was given ({text})")
            return fault(f"raised {payload!r}")
        if len(payload) > MAX_JUDGEMENTS:
            return fault(f"returned more than {MAX_JUDGEMENTS:,} judgements")
        for j in payload:
            problem = malformed(j, ctx.platform.id)
            if problem:
                return fault(problem)
        return payload

    def _finding(
        self,
        rule: Rule,
        j: Judgement,
        platform_id: str,
        priority: str,
        doc: Document,
        originals: dict[int, tuple[Fact, Fact]],
        located: dict[tuple[Any, ...], tuple[int, int, str]] | None = None,
    ) -> Finding:
        where_key = (rule.requirement, j.path)
        where = located.get(where_key) if located is not None else None
        if where is None:
            path: tuple[Any, ...] = ("requirements", rule.requirement, *j.path) if rule.requirement else ()
            line, column = doc.locate(path) if path else (1, 1)
            where = (line, column, dotted(path))
            if located is not None:
                located[where_key] = where
        view, fact = originals.get(id(j.fact), (j.fact, j.fact))
        fact = fact if view is j.fact else j.fact
        return Finding(
            platform=platform_id,
            line=where[0],
            column=where[1],
            rule=rule.id,
            requirement=where[2],
            severity=self._stamp(rule, priority, j.outcome),
            message=j.message,
            outcome=j.outcome,
            priority=priority,
            sources=self._sources(rule, fact),
            fact=fact,
        )

    def _stamp(self, rule: Rule, priority: str, outcome: Outcome) -> Severity:
        key = (rule.id, priority, outcome)  # the policy's pattern matching, once per rule
        stamped = self._stamped.get(key)
        if stamped is None:
            stamped = self._stamped[key] = self.severity(rule, priority, outcome)
        return stamped

    def _sources(self, rule: Rule, fact: Fact | None) -> tuple[Any, ...]:
        """The fact's sources, then the rule's, without repeats (hashing Sources is not free)."""
        if fact is None:
            return tuple(dict.fromkeys(rule.sources))
        key = (id(fact), rule.id)
        hit = self._cited.get(key)
        if hit is not None and hit[0] is fact:
            return hit[1]
        if len(self._cited) > 4096:
            self._cited.clear()
        sources = tuple(dict.fromkeys(fact.sources + rule.sources))
        self._cited[key] = (fact, sources)  # holding the fact keeps its id from being reused
        return sources

    def severity(self, rule: Rule, priority: str, outcome: Outcome) -> Severity:
        stamped = SEVERITY[(priority, outcome)]
        if outcome is Outcome.UNMET and priority in rule.severity:
            stamped = rule.severity[priority]
        return self.policy.stamp(rule.id, stamped)
