"""Waivers: accepted risks, each with a reason, an owner and an expiry date.

A waived finding stays in the report with its own severity, marked with the waiver, and counts
as a pass toward verdicts and the exit code. A waiver past its ``expires`` day stops applying and
leaves a warn finding at its own line, so an accepted risk cannot quietly outlive its deadline.
A waiver that covers no warn or fail finding is reported as an unused notice: the risk it
accepted is gone (or the waiver is misspelt), and the file should say so.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Collection, Iterable
from dataclasses import replace

from typing import TYPE_CHECKING, Any

from orchlint.engine.results import Evaluation, PlatformResult
from orchlint.hookspecs import hookimpl
from orchlint.model import Finding, InputError, Notice, Outcome, Severity, Waiver
from orchlint.rulekit import Context, Example, Judgement, Rule
from orchlint.support.yamlsource import Document

if TYPE_CHECKING:
    from orchlint.engine.policy import Policy

EXPIRED_RULE = "waiver.expired"
UNUSED_NOTICE = "waiver.unused"


class WaiverRule(Rule):
    """A rule whose findings come from the file's ``waivers:``, not from the engine: it is
    registered (this module is a built-in plugin) so that ``orchlint explain``, ``rules``,
    ``--select``, ``--ignore`` and ``--severity`` know it, and the engine never runs its check."""

    def applies_to(self, requirements: Any) -> bool:
        return False


def _judged_by_waivers(_value: Any, _ctx: Context) -> list[Judgement]:
    return []  # never called: apply() makes this rule's findings


EXPIRED = WaiverRule(
    id=EXPIRED_RULE,
    title="A waiver has expired while its risk remains",
    rationale=(
        "A waiver (an entry of the requirements file's waivers:) accepts a risk until its expires "
        "day. Past that day it stops applying: the findings it covered count again, and this rule "
        "adds a warn finding at the waiver's own line, naming its owner and reason, so that an "
        "accepted risk cannot quietly outlive its deadline. Renew the waiver (a later expires) or "
        "fix what it covered. An expired waiver that covers nothing is an unused-waiver notice "
        "instead. See docs/waivers.md."
    ),
    check=_judged_by_waivers,
    requirement=None,
    # What an example can show: the engine alone, with no waivers: file, finds nothing.
    examples=(Example("pass", {}, {}),),
)


@hookimpl
def orchlint_register_rules(register: Any) -> None:
    register(EXPIRED)


def parse(doc: Document, platforms: Collection[str], requirement_keys: Collection[str]) -> tuple[list[Waiver], list[InputError]]:
    """The file's waivers, once the schema has accepted their shape; unknown names are input errors."""
    from orchlint.support.suggest import did_you_mean

    waivers: list[Waiver] = []
    errors: list[InputError] = []
    for index, entry in enumerate(doc.data.get("waivers") or ()):
        where = ("waivers", index)
        line, column = doc.locate(where)
        platform = entry.get("platform")
        if platform is not None and platform not in platforms:
            pline, pcol = doc.locate(where + ("platform",))
            errors.append(
                InputError(
                    f"waivers[{index}].platform: unknown platform {platform!r}{did_you_mean(platform, platforms)}",
                    pline,
                    pcol,
                    f"waivers[{index}].platform",
                )
            )
        requirement = entry.get("requirement")
        if requirement is not None:
            requirement = requirement if requirement.startswith("requirements.") else f"requirements.{requirement}"
            key = requirement.split(".")[1].split("[")[0]
            if key not in requirement_keys:
                rline, rcol = doc.locate(where + ("requirement",))
                errors.append(
                    InputError(
                        f"waivers[{index}].requirement: unknown requirement {key!r}{did_you_mean(key, requirement_keys)}",
                        rline,
                        rcol,
                        f"waivers[{index}].requirement",
                    )
                )
        waivers.append(
            Waiver(
                rule=entry["rule"],
                reason=entry["reason"],
                owner=entry["owner"],
                expires=_dt.date.fromisoformat(entry["expires"]),
                platform=platform,
                requirement=requirement,
                line=line,
                column=column,
            )
        )
    return waivers, errors


class _Use:
    """How one waiver was used. (A plain class, not a dataclass: making one compiles its methods, about a millisecond on every start.)"""

    def __init__(self) -> None:
        self.waived = 0
        self.expired_on: dict[str, int] = {}  # platform -> findings no longer waived


def apply(
    evaluation: Evaluation, waivers: list[Waiver], as_of: _dt.date, rule_ids: Iterable[str] = (), policy: Policy | None = None
) -> tuple[Evaluation, list[Notice]]:
    """A copy of ``evaluation`` with waived findings marked and expired waivers warned about
    (findings of the rule waiver.expired, which ``policy`` may leave out or set the severity of)."""
    if not waivers:
        return evaluation, []
    expired_severity: Severity | None = Severity.WARN
    if policy is not None:
        expired_severity = policy.stamp(EXPIRED_RULE, Severity.WARN) if policy.enabled(EXPIRED_RULE) else None
    uses = [_Use() for _ in waivers]
    results = []
    for result in evaluation.results:
        findings: list[Finding] = []
        for finding in result.findings:
            findings.append(_waive(finding, waivers, uses, as_of))
        for waiver, use in zip(waivers, uses):
            missed = use.expired_on.get(result.platform.id)
            if missed and expired_severity is not None:
                findings.append(_expired_finding(waiver, result.platform.id, missed, expired_severity))
        if len(findings) == len(result.findings) and all(new is old for new, old in zip(findings, result.findings)):
            results.append(result)  # no waiver touched this platform: its result (and its counts) stand
            continue
        results.append(PlatformResult(result.platform, tuple(sorted(findings, key=Finding.sort_key()))))
    evaluated = {r.platform.id for r in evaluation.results}
    notices = [
        _unused_notice(waiver, as_of, rule_ids)
        for waiver, use in zip(waivers, uses)
        if not use.waived and not use.expired_on and (waiver.platform is None or waiver.platform in evaluated)
    ]
    return Evaluation(evaluation.as_of, results, list(evaluation.plugin_errors)), notices


def _waive(finding: Finding, waivers: list[Waiver], uses: list[_Use], as_of: _dt.date) -> Finding:
    if finding.severity is Severity.PASS:
        return finding
    expired = []
    for index, waiver in enumerate(waivers):
        if not waiver.covers(finding):
            continue
        if waiver.expires >= as_of:
            uses[index].waived += 1  # the first live waiver in file order is the one cited
            return replace(finding, waiver=waiver)
        expired.append(index)
    for index in expired:
        counts = uses[index].expired_on
        counts[finding.platform] = counts.get(finding.platform, 0) + 1
    return finding


def _expired_finding(waiver: Waiver, platform: str, missed: int, severity: Severity = Severity.WARN) -> Finding:
    return Finding(
        platform=platform,
        line=waiver.line,
        column=waiver.column,
        rule=EXPIRED_RULE,
        requirement=waiver.requirement or "",
        severity=severity,
        message=(
            f"waiver of {waiver.describe()} expired after {waiver.expires.isoformat()} (owner {waiver.owner}: "
            f"{waiver.reason}); {missed} finding(s) it covered count again: renew it or fix them"
        ),
        outcome=Outcome.DEGRADED,
    )


def _unused_notice(waiver: Waiver, as_of: _dt.date, rule_ids: Iterable[str]) -> Notice:
    from orchlint.support.suggest import did_you_mean

    known = list(rule_ids)
    prefix = waiver.rule.rstrip(".")
    unknown = ""
    if known and not any(r == prefix or r.startswith(prefix + ".") for r in known):
        unknown = f"; no rule {prefix!r} is loaded{did_you_mean(prefix, known)}"
    state = "expired" if waiver.expires < as_of else "expires"
    return Notice(
        waiver.line,
        waiver.column,
        UNUSED_NOTICE,
        f"unused waiver of {waiver.describe()} (owner {waiver.owner}, {state} {waiver.expires.isoformat()}): "
        f"it matches no warn or fail finding{unknown}; remove it",
    )


def requirement_keys() -> list[str]:
    """The keys the schema allows under ``requirements:``: the single source of truth."""
    from orchlint.schemas.validation import load_schema

    return sorted(load_schema("requirements")["properties"]["requirements"]["properties"])
