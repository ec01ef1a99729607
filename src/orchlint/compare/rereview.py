"""Re-review a decision: the verdicts on the day it was taken beside today's, and why they moved.

Findings are matched by (rule, requirement path), never by message, so a reworded message is not
a change. Each change names the fact that moved, with its sources and dates.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from typing import Any

from orchlint.engine.results import Evaluation
from orchlint.model import Fact, Finding, Severity


@dataclass(frozen=True)
class Change:
    """How one rule's finding on one requirement differs between the two days."""

    platform: str
    rule: str
    requirement: str
    then: Severity | None  # None: the rule had no finding then
    now: Severity | None
    message: str  # today's message, or the old one if the finding is gone
    fact_then: Fact | None
    fact_now: Fact | None

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


@dataclass(frozen=True)
class PlatformReview:
    """One platform's verdict on the day of the decision and today, with the changes behind it."""

    platform: str
    then: Severity
    now: Severity
    changes: tuple[Change, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.platform,
            "then": self.then.label,
            "now": self.now.label,
            "changes": [c.to_json() for c in self.changes],
        }


@dataclass(frozen=True)
class Rereview:
    """A past decision reviewed again: each platform's verdict then and now."""

    since: _dt.date
    as_of: _dt.date
    basis: str  # "decided" (from the file) or "--since"
    platforms: tuple[PlatformReview, ...]

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
    for result_now in now.results:
        result_then = then.result(result_now.platform.id)
        old = _by_key(result_then.findings if result_then else ())
        new = _by_key(result_now.findings)
        changes = []
        for key in sorted(set(old) | set(new)):
            before, after = old.get(key), new.get(key)
            severity_then = before.counted if before is not None else None
            severity_now = after.counted if after is not None else None
            if severity_then == severity_now:
                continue
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
                )
            )
        verdict_then = result_then.verdict if result_then else Severity.PASS
        reviews.append(PlatformReview(result_now.platform.id, verdict_then, result_now.verdict, tuple(changes)))
    return Rereview(then.as_of, now.as_of, basis, tuple(reviews))


def _by_key(findings: tuple[Finding, ...] | list[Finding]) -> dict[tuple[str, str], Finding]:
    # Built-in rules yield one finding per requirement path; should a plugin rule yield
    # several, the worst stands for them.
    out: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        key = (finding.rule, finding.requirement)
        if key not in out or finding.counted > out[key].counted:
            out[key] = finding
    return out


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
