"""Judge one requirements document against every platform, on a given date.

The engine knows no platform and no rule: both come from the Registry. It turns each rule's
judgements into findings, stamping the severity from the requirement's priority.

A rule may be third-party code, so the engine distrusts it: each check sees frozen
requirements and facts, what it returns is checked, and a rule from a plugin that does not
ship with orchlint runs on a worker thread with a time limit (timelimit.Calls). A faulty rule
becomes a PluginError naming it and yields no finding; other rules are unaffected.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from orchlint.engine.policy import Policy
from orchlint.engine.results import Evaluation, PlatformResult
from orchlint.engine.reuse import Judged, Reuse
from orchlint.engine.rulecall import MAX_JUDGEMENTS, NO_KEY, FactReads, Watched, WatchedContext, freeze, is_mutation, malformed, memo_key, task
from orchlint.engine.timelimit import DEFAULT_RULE_TIMEOUT, RULE_TIMEOUT_ENV, Calls, parse_rule_timeout
from orchlint.model import Fact, Finding, Outcome, PluginError, Severity
from orchlint.support.shapes import fact_problem
from orchlint.rulekit import Context, Judgement, Rule
from orchlint.support.yamlsource import Document, dotted

if TYPE_CHECKING:
    from orchlint.plugins.registry import Registry

__all__ = ["SEVERITY", "Engine", "Evaluation", "PlatformResult", "rule_timeout_from_env"]

# Finding's compared fields, in order, are its sort order; a key of C-built tuples is much
# cheaper than a Python __lt__ per comparison.
_ORDER = Finding.sort_key()
_FROM_ENV: Any = object()

# The documented mapping from (priority, outcome) to severity. An unknown is its own severity
# whatever the priority: a gap in the knowledge is never a silent pass, nor a warning.
SEVERITY: Mapping[tuple[str, Outcome], Severity] = {
    ("must", Outcome.MET): Severity.PASS,
    ("must", Outcome.DEGRADED): Severity.WARN,
    ("must", Outcome.UNMET): Severity.FAIL,
    ("must", Outcome.UNKNOWN): Severity.UNKNOWN,
    ("should", Outcome.MET): Severity.PASS,
    ("should", Outcome.DEGRADED): Severity.PASS,
    ("should", Outcome.UNMET): Severity.WARN,
    ("should", Outcome.UNKNOWN): Severity.UNKNOWN,
    ("could", Outcome.MET): Severity.PASS,
    ("could", Outcome.DEGRADED): Severity.PASS,
    ("could", Outcome.UNMET): Severity.PASS,
    ("could", Outcome.UNKNOWN): Severity.UNKNOWN,
}


def _real(j: Judgement, originals: Mapping[int, tuple[Fact, Fact]]) -> Judgement:
    # A judgement may cite the read-only view of a fact a rule was given: cite the real one.
    view, fact = originals.get(id(j.fact), (None, None))
    return replace(j, fact=fact) if view is not None and view is j.fact else j


def _locate(doc: Document, requirement: str | None, path: tuple[Any, ...]) -> tuple[int, int, str]:
    full: tuple[Any, ...] = ("requirements", requirement, *path) if requirement else ()
    line, column = doc.locate(full) if full else (1, 1)
    return line, column, dotted(full)


def rule_timeout_from_env() -> float | None:
    """ORCHLINT_RULE_TIMEOUT in seconds (0: no limit), else the default. Raises ValueError."""
    text = os.environ.get(RULE_TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_RULE_TIMEOUT
    return parse_rule_timeout(text) or None


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
        By default ORCHLINT_RULE_TIMEOUT, else DEFAULT_RULE_TIMEOUT (a command passes the
        configuration's rule_timeout, which the variable overrides: see cli.configfile)."""
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
        self._calls = Calls(self.rule_timeout, registry.builtin, self.timed_out)
        # Reuse, bounded: what a rule judged per distinct input (see reuse.py), so a monorepo
        # that repeats itself from file to file is judged once per input; severities per
        # (rule, priority, outcome); sources per (fact, rule).
        self._reuse = Reuse(registry, len(self.rules))
        self._stamped: dict[tuple[str, str, Outcome], Severity] = {}
        self._cited: dict[tuple[int, str], tuple[Fact, tuple[Any, ...]]] = {}
        # A structured fact's read-only copy, by the fact's id, and the fact by its copy's id
        # (a few hundred facts have a list or mapping value: both stay small).
        self._views: dict[int, tuple[Fact, Fact]] = {}
        self._originals: dict[int, tuple[Fact, Fact]] = {}

    def evaluate(self, doc: Document, platforms: Iterable[str], as_of: _dt.date) -> Evaluation:
        data = doc.data
        requirements: dict[str, Any] = data.get("requirements") or {}
        priorities: dict[str, str] = data.get("priorities") or {}
        platforms = tuple(platforms)
        evaluation = Evaluation(as_of)
        findings: dict[str, list[Finding]] = {p: [] for p in platforms}
        located: dict[tuple[Any, ...], tuple[int, int, str]] = {}
        pending: list[tuple[int, Rule, str, Any, Any]] = []  # (platform index, rule, priority, own value's key, memo key): to judge now
        broken: list[tuple[Rule, Exception]] = []
        reuse, errors = self._reuse, evaluation.plugin_errors
        for rule in self.rules:
            if rule.id in self.timed_out:
                continue
            try:
                if not rule.applies_to(requirements):
                    continue
            except Exception as exc:
                broken.append((rule, exc))
                continue
            priority = priorities.get(rule.requirement or "", "must")
            own = memo_key(requirements.get(rule.requirement)) if rule.requirement else None
            row_key = None if own is NO_KEY else reuse.row_key(rule, platforms, own, requirements, as_of)
            row = reuse.recall_row(row_key) if row_key is not None else None
            if row is not None:
                self._place_row(findings, platforms, rule, row, priority, doc, located, errors)
                continue
            parts: list[Judged] = []
            for index, platform_id in enumerate(platforms):
                key = None if own is NO_KEY else reuse.key(rule, platform_id, own, requirements, as_of)
                judged = reuse.recall(key, as_of) if key is not None else None
                if judged is None:
                    pending.append((index, rule, priority, own, key))
                else:
                    if judged.judgements:  # most rules of a policy pass silently on most files
                        self._place(findings[platform_id], rule, judged, priority, platform_id, doc, located, errors)
                    parts.append(judged)
            if row_key is not None and len(parts) == len(platforms):
                # Seen before on every platform: such an input comes back, so the row is kept.
                # A first sighting is not: most of those never come back, and a row holds the
                # judgements alive on all platforms.
                reuse.keep_row(row_key, parts)
        errors.extend(PluginError(rule.plugin, f"rule {rule.id} failed: {exc!r} on platform {platform_id}") for platform_id in platforms for rule, exc in broken)
        if pending:
            pending.sort(key=lambda item: item[0])  # stable: platform by platform, rules in order
            self._judge_now(pending, platforms, requirements, as_of, doc, findings, located, errors)
        for platform_id, found in findings.items():
            found.sort(key=_ORDER)
            evaluation.results.append(PlatformResult(self.registry.platforms[platform_id], tuple(found)))
        return evaluation

    def _judge_now(
        self,
        pending: list[tuple[int, Rule, str, Any, Any]],
        platforms: tuple[str, ...],
        requirements: Mapping[str, Any],
        as_of: _dt.date,
        doc: Document,
        findings: dict[str, list[Finding]],
        located: dict[tuple[Any, ...], tuple[int, int, str]],
        errors: list[PluginError],
    ) -> None:
        """Run the checks no earlier file answered, on the worker, in one batch. Each check
        gets its own watched view of the requirements, so the engine learns what it read."""
        frozen = freeze(requirements)
        per_platform: dict[int, Callable[[str], Fact | None]] = {}
        calls = []
        for index, rule, priority, own, key in pending:
            lookup = per_platform.get(index)
            if lookup is None:
                lookup = per_platform[index] = self._lookup(platforms[index], as_of)
            watched, facts = Watched(frozen), FactReads(lookup)
            ctx = WatchedContext(self.registry.platforms[platforms[index]], as_of, watched, facts)
            calls.append((ctx, rule, priority, own, key, watched, facts))
        outcomes = self._calls.run([(rule, task(rule, frozen, ctx, self.timed_out)) for ctx, rule, *_rest in calls])
        originals = self._originals
        for (ctx, rule, priority, own, key, watched, facts), outcome in zip(calls, outcomes):
            platform_id = ctx.platform.id
            try:
                before = len(errors)
                judgements = self._judge(rule, outcome, ctx, errors)
                judged = Judged(tuple(_real(j, originals) for j in judgements) if originals else tuple(judgements))
                if self._reuse.note_reads(rule, platform_id, watched, facts.read) and own is not NO_KEY:
                    # Keyed again: what the rule just read widened what its inputs are.
                    key = self._reuse.key(rule, platform_id, own, requirements, as_of)
                if outcome[0] == "ok" and len(errors) == before and rule.id not in self.timed_out:  # only clean answers are reused
                    if key is not None:
                        self._reuse.keep(key, as_of, judged, ctx.day_read)
                if judged.judgements:
                    self._place(findings[platform_id], rule, judged, priority, platform_id, doc, located, errors)
            except Exception as exc:  # an odd Rule field that breaks the engine's own steps
                errors.append(PluginError(rule.plugin, f"rule {rule.id} failed: {exc!r} on platform {platform_id}"))

    def _place(
        self,
        out: list[Finding],
        rule: Rule,
        judged: Judged,
        priority: str,
        platform_id: str,
        doc: Document,
        located: dict[tuple[Any, ...], tuple[int, int, str]],
        errors: list[PluginError],
    ) -> None:
        """The judgements as this file's findings, stamped once per priority. Findings are made
        anew for each file: keeping them for the next file with the same layout saved about
        0.5 µs per finding and cost most of the memo's memory."""
        self._place_row({platform_id: out}, (platform_id,), rule, ((0, judged),), priority, doc, located, errors)

    def _place_row(
        self,
        findings: dict[str, list[Finding]],
        platforms: tuple[str, ...],
        rule: Rule,
        row: tuple[tuple[int, Judged], ...],
        priority: str,
        doc: Document,
        located: dict[tuple[Any, ...], tuple[int, int, str]],
        errors: list[PluginError],
    ) -> None:
        """``_place`` for each (platform index, judged) of a row: one call per rule, not per
        platform, on the path every file like an earlier one takes."""
        requirement, rule_id = rule.requirement, rule.id
        for index, judged in row:
            platform_id = platforms[index]
            try:
                stamped = judged.stamped.get(priority)
                if stamped is None:
                    stamped = judged.stamped[priority] = tuple(
                        (j.path, self._stamp(rule, priority, j.outcome), j.message, j.outcome, self._sources(rule, j.fact), j.fact)
                        for j in judged.judgements
                    )
                made = []  # all of a rule's findings on the platform or, if one cannot be placed, none
                for path, severity, message, outcome, sources, fact in stamped:
                    where = located.get((requirement, path))
                    if where is None:
                        where = located[requirement, path] = _locate(doc, requirement, path)
                    made.append(Finding(platform_id, where[0], where[1], rule_id, where[2], severity, message, outcome, priority, sources, fact, None, path))
                findings[platform_id].extend(made)
            except Exception as exc:  # an odd Rule field that breaks the engine's own steps
                errors.append(PluginError(rule.plugin, f"rule {rule.id} failed: {exc!r} on platform {platform_id}"))

    def _lookup(self, platform_id: str, as_of: _dt.date) -> Callable[[str], Fact | None]:
        knowledge, views, originals = self.registry.knowledge, self._views, self._originals

        def lookup(key: str) -> Fact | None:
            fact = knowledge.at(platform_id, key, as_of)
            if fact is None or not isinstance(fact.value, (dict, list)):
                return fact
            # Facts are shared by every rule and every file: a rule gets a read-only copy (made
            # once per fact: nothing can change it), and the finding goes back to citing the
            # real one.
            made = views.get(id(fact))
            if made is None or made[0] is not fact:
                made = views[id(fact)] = (fact, replace(fact, value=freeze(fact.value)))
                originals[id(made[1])] = (made[1], fact)  # both kept alive, so their ids stay unique
            return made[1]

        return lookup

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
        if rule.plugin in self.registry.builtin:
            return payload  # orchlint's own rules: their tests check what they return
        for j in payload:
            problem = malformed(j, ctx.platform.id)
            if problem is None and j.fact is not None:  # a plugin's rule may cite a Fact it made itself
                shape = fact_problem(j.fact)
                problem = f"cited a malformed fact: {shape}" if shape else None
            if problem:
                return fault(problem)
        return payload

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
