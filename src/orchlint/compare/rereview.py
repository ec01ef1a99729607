"""Re-review a decision: the verdicts on the day it was taken beside today's, and why they moved.

Findings are matched by (rule, requirement path, judgement path), never by message or by their
order, so a reworded message is not a change, and a rule that judges several things (each
``Judgement`` with its own ``path``) is compared thing by thing, whatever order it returns them
in. Each change names the fact that moved, with its sources and dates.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from orchlint.engine.results import Evaluation
from orchlint.model import Fact, Finding, Frozen, Severity, record


@record  # a dataclass with shared methods: see orchlint.model
class Change(Frozen):
    """How one rule's finding on one requirement differs between the two days."""

    platform: str
    rule: str
    requirement: str
    then: Severity | None  # None: the rule had no finding then
    now: Severity | None
    message: str  # today's message, or the old one if the finding is gone
    fact_then: Fact | None
    fact_now: Fact | None
    path: tuple[str | int, ...] = ()  # the judgement's path (Judgement.path)

    def __init__(
        self,
        platform: str,
        rule: str,
        requirement: str,
        then: Severity | None,
        now: Severity | None,
        message: str,
        fact_then: Fact | None,
        fact_now: Fact | None,
        path: tuple[str | int, ...] = (),
    ) -> None:
        self.__dict__.update(
            platform=platform, rule=rule, requirement=requirement, then=then, now=now, message=message, fact_then=fact_then, fact_now=fact_now, path=path
        )

    def explain(self) -> str:
        """``warn → fail: <message> (lifecycle: {...} → {...}, since 2021-10-31; source ...)``."""
        then = self.then.label if self.then is not None else "none"
        now = self.now.label if self.now is not None else "none"
        return f"{self.rule} {then} → {now}: {self.message}{fact_change(self.fact_then, self.fact_now)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "requirement": self.requirement or None,
            "then": self.then.label if self.then is not None else None,
            "now": self.now.label if self.now is not None else None,
            "message": self.message,
            "fact_then": self.fact_then.to_json() if self.fact_then else None,
            "fact_now": self.fact_now.to_json() if self.fact_now else None,
        }


@record
class PlatformReview(Frozen):
    """One platform's verdict on the day of the decision and today, with the changes behind it."""

    platform: str
    then: Severity
    now: Severity
    changes: tuple[Change, ...]

    def __init__(self, platform: str, then: Severity, now: Severity, changes: tuple[Change, ...]) -> None:
        self.__dict__.update(platform=platform, then=then, now=now, changes=changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.platform,
            "then": self.then.label,
            "now": self.now.label,
            "changes": [c.to_json() for c in self.changes],
        }


@record
class Rereview(Frozen):
    """A past decision reviewed again: each platform's verdict then and now."""

    since: _dt.date
    as_of: _dt.date
    basis: str  # "decided" (from the file) or "--since"
    platforms: tuple[PlatformReview, ...]

    def __init__(self, since: _dt.date, as_of: _dt.date, basis: str, platforms: tuple[PlatformReview, ...]) -> None:
        self.__dict__.update(since=since, as_of=as_of, basis=basis, platforms=platforms)

    @property
    def changed(self) -> tuple[PlatformReview, ...]:
        return tuple(p for p in self.platforms if p.changes or p.then != p.now)

    def moved(self) -> bool:
        """Did any platform's verdict change? (A file's decided: date re-reviews on every run,
        but is worth a block of output only then.)"""
        return any(p.then != p.now for p in self.platforms)

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "as_of": self.as_of.isoformat(),
            "basis": self.basis,
            "platforms": [p.to_json() for p in self.platforms],
        }


def compare(then: Evaluation, now: Evaluation, basis: str) -> Rereview:
    reviews = []
    results_then = {result.platform.id: result for result in then.results}
    for result_now in now.results:
        result_then = results_then.get(result_now.platform.id)
        old = _by_key(result_then.findings if result_then else ())
        new = _by_key(result_now.findings)
        # Most findings keep their severity: only the ones that moved are sorted and explained.
        moved = [key for key in old.keys() | new.keys() if _counted(old.get(key)) != _counted(new.get(key))]
        changes = []
        for key in sorted(moved, key=_sortable):
            before, after = old.get(key), new.get(key)
            severity_then, severity_now = _counted(before), _counted(after)
            shown = after or before
            assert shown is not None
            changes.append(
                Change(
                    result_now.platform.id,
                    key[0],
                    key[1],
                    severity_then,
                    severity_now,
                    shown.message,
                    before.fact if before else None,
                    after.fact if after else None,
                    key[2],
                )
            )
        verdict_then = result_then.verdict if result_then else Severity.PASS
        reviews.append(PlatformReview(result_now.platform.id, verdict_then, result_now.verdict, tuple(changes)))
    return Rereview(then.as_of, now.as_of, basis, tuple(reviews))


Key = tuple[str, str, tuple[str | int, ...]]


def _by_key(findings: tuple[Finding, ...] | list[Finding]) -> dict[Key, Finding]:
    # One finding per (rule, requirement, judgement path): a rule that judges several things
    # tells them apart by path, and is matched by it, not by the order it returned them in.
    # Should a rule return several judgements with one path, the worst stands for them.
    out: dict[Key, Finding] = {}
    for finding in findings:
        key = (finding.rule, finding.requirement, finding.path)
        if key not in out or finding.counted > out[key].counted:
            out[key] = finding
    return out


def _counted(finding: Finding | None) -> Severity | None:
    return finding.counted if finding is not None else None


def _sortable(key: Key) -> tuple[str, str, tuple[tuple[int, int, str], ...]]:
    # A path may mix keys and list indexes: order them without comparing a str with an int.
    return key[0], key[1], tuple((1, 0, p) if isinstance(p, str) else (0, p, "") for p in key[2])


def fact_change(before: Fact | None, after: Fact | None) -> str:
    if before is None and after is None:
        return ""
    fact = after or before
    assert fact is not None
    value_then = _show(before.value) if before else "unknown"
    value_now = _show(after.value) if after else "unknown"
    moved = f"{value_then} → {value_now}" if before is not after else value_now
    source = fact.sources[0].cite() if fact.sources else "no source"
    return f" ({fact.key}: {moved}, {fact.window()}, verified {fact.verified.isoformat()}; source: {source})"


def _show(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True)
