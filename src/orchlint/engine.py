"""Judge one requirements document against every platform, on a given date.

The engine knows no platform and no rule: both come from the Registry. It turns each rule's
judgements into findings, stamping the severity from the requirement's priority.
"""

from __future__ import annotations

import copy
import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from types import MappingProxyType
from typing import Any

from orchlint.model import Fact, Finding, Outcome, Platform, PluginError, Severity, Source
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
        return max((f.severity for f in self.findings), default=Severity.PASS)


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
        # Caches that live as long as the engine; each is bounded (see _lookup, _sources).
        self._facts_on: dict[tuple[str, _dt.date], dict[str, Fact | None]] = {}
        self._cited: dict[tuple[int, str], tuple[Fact, tuple[Source, ...]]] = {}
        self._memo: dict[tuple[Any, ...], tuple[list[Judgement], list[PluginError]]] = {}
        self._reads_requirements: set[str] = set()  # rules whose answers are never reused
        self._stamped: dict[tuple[str, str, Outcome], Severity] = {}
        # Judgements are reused only for this day (the run's --as-of), when set: re-reviews use
        # each file's own decided: date, and remembering those would grow with the files.
        self.memo_day: _dt.date | None = None

    def evaluate(self, doc: Document, platforms: Iterable[str], as_of: _dt.date) -> Evaluation:
        data = doc.data
        requirements: dict[str, Any] = data.get("requirements") or {}
        priorities: dict[str, str] = data.get("priorities") or {}
        frozen = _freeze(requirements)
        evaluation = Evaluation(as_of)
        # What depends only on the file, not the platform, is worked out once per file.
        applicable = [
            (rule, frozen.get(rule.requirement) if rule.requirement else None, priorities.get(rule.requirement or "", "must"))
            for rule in self.rules
            if rule.applies_to(requirements)
        ]
        located: dict[tuple[Any, ...], tuple[int, int, str]] = {}
        watched = _Watched(frozen)
        keys = [_memo_key(value) for _rule, value, _priority in applicable]
        for platform_id in platforms:
            platform = self.registry.platforms[platform_id]
            ctx = Context(platform, as_of, watched, self._lookup(platform_id, as_of))
            findings: list[Finding] = []
            for (rule, value, priority), key in zip(applicable, keys):
                judgements = self._judge(rule, value, key, ctx, watched, evaluation.plugin_errors)
                for j in judgements:
                    findings.append(self._finding(rule, j, platform_id, priority, doc, located))
            findings.sort(key=_ORDER)
            evaluation.results.append(PlatformResult(platform, tuple(findings)))
        return evaluation

    def _judge(
        self, rule: Rule, value: Any, key: Any, ctx: Context, watched: _Watched, errors: list[PluginError]
    ) -> list[Judgement]:
        """The rule's judgements, reused when the same rule already judged the same value for the
        same platform on the same day (a monorepo repeats itself). A rule that reads other
        requirements through ``ctx.requirements`` is seen doing so and always runs."""
        if key is _NO_KEY or rule.id in self._reads_requirements or (self.memo_day is not None and ctx.as_of != self.memo_day):
            return self._run(rule, value, ctx, errors)
        memo_key = (rule.id, ctx.platform.id, ctx.as_of, key)
        hit = self._memo.get(memo_key)
        if hit is not None:
            errors.extend(hit[1])
            return hit[0]
        watched.touched = False
        before = len(errors)
        judgements = self._run(rule, value, ctx, errors)
        if watched.touched:
            self._reads_requirements.add(rule.id)
        else:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[memo_key] = (judgements, errors[before:])
        return judgements

    def _lookup(self, platform_id: str, as_of: _dt.date) -> Callable[[str], Fact | None]:
        # Rules ask for the same few facts on every file: remember the answers per
        # (platform, day). A run sees today and each file's decided: date, so bound the days.
        cache = self._facts_on.get((platform_id, as_of))
        if cache is None:
            if len(self._facts_on) > 256:
                self._facts_on.clear()
            cache = self._facts_on[(platform_id, as_of)] = {}
        at = self.registry.knowledge.at

        def lookup(key: str) -> Fact | None:
            try:
                return cache[key]
            except KeyError:
                fact = cache[key] = at(platform_id, key, as_of)
                return fact

        return lookup

    def _run(self, rule: Rule, value: Any, ctx: Context, errors: list[PluginError]) -> list[Judgement]:
        try:
            judgements = list(rule.check(value, ctx))
        except Exception as exc:
            errors.append(PluginError(rule.plugin, f"rule {rule.id} raised {exc!r} on platform {ctx.platform.id}"))
            return []
        for j in judgements:
            if not isinstance(j, Judgement) or not isinstance(j.outcome, Outcome):
                errors.append(
                    PluginError(rule.plugin, f"rule {rule.id} returned {type(j).__name__} where a Judgement was expected")
                )
                return []
        return judgements

    def _finding(
        self,
        rule: Rule,
        j: Judgement,
        platform_id: str,
        priority: str,
        doc: Document,
        located: dict[tuple[Any, ...], tuple[int, int, str]],
    ) -> Finding:
        key = (rule.requirement, j.path)
        try:
            where = located.get(key)
        except TypeError:  # a plugin's judgement path with something unhashable in it
            key, where = None, None
        if where is None:
            path: tuple[Any, ...] = ("requirements", rule.requirement, *j.path) if rule.requirement else ()
            line, column = doc.locate(path) if path else (1, 1)
            where = (line, column, dotted(path))
            if key is not None:
                located[key] = where
        return Finding(
            platform_id,
            where[0],
            where[1],
            rule.id,
            where[2],
            self._stamp(rule, priority, j.outcome),
            j.message,
            j.outcome,
            priority,
            self._sources(rule, j.fact),
            j.fact,
        )

    def severity(self, rule: Rule, priority: str, outcome: Outcome) -> Severity:
        stamped = SEVERITY[(priority, outcome)]
        if outcome is Outcome.UNMET and priority in rule.severity:
            stamped = rule.severity[priority]
        return self.policy.stamp(rule.id, stamped)

    def _stamp(self, rule: Rule, priority: str, outcome: Outcome) -> Severity:
        key = (rule.id, priority, outcome)  # the policy's pattern matching, once per rule
        stamped = self._stamped.get(key)
        if stamped is None:
            stamped = self._stamped[key] = self.severity(rule, priority, outcome)
        return stamped

    def _sources(self, rule: Rule, fact: Fact | None) -> tuple[Source, ...]:
        """The fact's sources, then the rule's, without repeats (hashing Sources is not free)."""
        if fact is None:
            return rule.sources
        key = (id(fact), rule.id)
        hit = self._cited.get(key)
        if hit is not None and hit[0] is fact:
            return hit[1]
        if len(self._cited) > 4096:  # facts a plugin makes on the fly must not pile up
            self._cited.clear()
        sources = tuple(dict.fromkeys(fact.sources + rule.sources))
        self._cited[key] = (fact, sources)  # holding the fact keeps its id from being reused
        return sources


# Finding's field order is its sort order; sorting by a C-built key tuple is much cheaper than
# calling the dataclass's generated __lt__ for every comparison.
_ORDER = attrgetter("platform", "line", "column", "rule", "requirement", "severity", "message")


_MEMO_LIMIT = 8192  # entries; bounds memory however many files a run reads
_NO_KEY = object()


class _Watched(Mapping[str, Any]):
    """The read-only requirements a rule sees, noting whether it looked at them."""

    __slots__ = ("_data", "touched")

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data
        self.touched = False

    def __getitem__(self, key: str) -> Any:
        self.touched = True
        return self._data[key]

    def __iter__(self) -> Any:
        self.touched = True
        return iter(self._data)

    def __len__(self) -> int:
        self.touched = True
        return len(self._data)

    def __repr__(self) -> str:
        return repr(self._data)


def _memo_key(value: Any) -> Any:
    """A hashable key that tells apart values a rule could tell apart (1, 1.0 and True too)."""
    kind = type(value)
    if kind in (str, int, bool, float, type(None)):
        return (kind, value)
    if kind is tuple:
        parts = tuple(_memo_key(v) for v in value)
        return _NO_KEY if _NO_KEY in parts else (tuple, parts)
    if isinstance(value, Mapping):
        parts = tuple((k, _memo_key(v)) for k, v in value.items())
        return _NO_KEY if any(v is _NO_KEY for _k, v in parts) else (dict, parts)
    return _NO_KEY  # anything else: not worth the risk of a wrong reuse



def _freeze(value: Any) -> Any:
    """A read-only deep copy, so no rule can change what the next rule sees."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return copy.copy(value)
