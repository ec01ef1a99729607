"""Compare two versions of a requirements file: which verdicts and findings moved, and why.

Both versions are judged with the same knowledge on the same day, so every change comes from the
file: a requirement, a priority, the target or a waiver. Findings are matched by (rule,
requirement path), as in a re-review, so a reworded message or a moved line is not a change.
Each changed finding names the edits to its own requirement; failing those, the edits to the
waivers (for waived or waiver findings), and failing those, every requirement edit, because a rule
may read requirements other than its own (scale.node-limit reads multi_cluster).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from orchlint.lint.report import FileReport

from orchlint.support.exits import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK
from orchlint.adoption.findingkey import stable_requirement
from orchlint.model import Finding, Severity, Waiver

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
Quote = Callable[[str], str]


def _plain(text: str) -> str:
    return text


def show(value: Any) -> str:
    """A requirement value as the file would spell it: 9000, true, [nfs, ceph], could."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    return str(value)


@dataclass(frozen=True)
class ValueChange:
    """One edit to the file: ``requirements.nodes`` 4000 → 9000, a priority, the target, a waiver."""

    path: str
    old: Any = MISSING
    new: Any = MISSING
    default: Any = MISSING  # what an absent value means (priorities: must)

    def describe(self, quote: Quote = _plain) -> str:
        if self.path == "waivers":
            return f"{self.new} was added" if self.old is MISSING else f"{self.old} was removed"
        where = quote(self.path)
        if self.old is MISSING and self.default is MISSING:
            return f"{where} was added ({show(self.new)})"
        if self.new is MISSING and self.default is MISSING:
            return f"{where} was removed (was {show(self.old)})"
        old = f"{show(self.default)} (default)" if self.old is MISSING else show(self.old)
        new = f"{show(self.default)} (default)" if self.new is MISSING else show(self.new)
        return f"{where} went from {old} to {new}"

    def to_json(self) -> dict[str, Any]:
        absent = None if self.default is MISSING else self.default  # a priority left out means must
        return {
            "path": self.path,
            "old": absent if self.old is MISSING else self.old,
            "new": absent if self.new is MISSING else self.new,
            "added": self.old is MISSING and self.default is MISSING,
            "removed": self.new is MISSING and self.default is MISSING,
        }


@dataclass(frozen=True)
class FindingChange:
    rule: str
    requirement: str
    old: Severity | None  # counted severity; None: no finding
    new: Severity | None
    old_label: str  # pass / warn / fail / waived / none
    new_label: str
    message: str
    line: int
    causes: tuple[ValueChange, ...]
    side: str = "new"  # which file ``line`` is in: "old" when the finding is gone

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "requirement": self.requirement or None,
            "old": self.old_label,
            "new": self.new_label,
            "message": self.message,
            "line": self.line,
            "line_in": self.side,
            "causes": [c.to_json() for c in self.causes],
        }


@dataclass(frozen=True)
class PlatformDiff:
    platform: str
    name: str
    deciding: bool
    old: Severity
    new: Severity
    findings: tuple[FindingChange, ...]

    @property
    def change(self) -> str:
        return "worse" if self.new > self.old else "better" if self.new < self.old else "same"

    def drivers(self) -> list[FindingChange]:
        """The changed findings that moved the verdict."""
        if self.change == "worse":
            return [f for f in self.findings if f.new == self.new and (f.old is None or f.old < self.new)]
        if self.change == "better":
            return [f for f in self.findings if f.old == self.old and (f.new is None or f.new < self.old)]
        return []

    def headline(self, quote: Quote = _plain) -> str:
        """``this change makes kubernetes fail (was pass): requirements.nodes went from 4000 to 9000 (scale.node-limit: ...)``."""
        reasons = []
        for finding in self.drivers():
            causes = ", ".join(c.describe(quote) for c in finding.causes) or "no edit to the file explains it"
            reasons.append(f"{causes} ({finding.rule}: {finding.message})")
        who = quote(self.platform)
        return f"this change makes {who} {self.new.label} (was {self.old.label}): " + "; ".join(reasons)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.platform,
            "name": self.name,
            "deciding": self.deciding,
            "old": self.old.label,
            "new": self.new.label,
            "change": self.change,
            "headline": self.headline() if self.change != "same" else None,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(frozen=True)
class Diff:
    old_path: str
    new_path: str
    as_of: str
    old_errors: tuple[Any, ...]
    new_errors: tuple[Any, ...]
    changes: tuple[ValueChange, ...]
    platforms: tuple[PlatformDiff, ...]

    @property
    def worse(self) -> list[str]:
        """Deciding platforms whose verdict got worse: these fail the gate."""
        return [p.platform for p in self.platforms if p.deciding and p.change == "worse"]

    @property
    def exit_code(self) -> int:
        if self.old_errors or self.new_errors:
            return EXIT_INPUT
        return EXIT_FINDINGS if self.worse else EXIT_OK

    def to_json(self) -> dict[str, Any]:
        return {
            "orchlint_diff": 1,
            "old": self.old_path,
            "new": self.new_path,
            "as_of": self.as_of,
            "errors": {"old": [e.to_json() for e in self.old_errors], "new": [e.to_json() for e in self.new_errors]},
            "changes": [c.to_json() for c in self.changes],
            "platforms": [p.to_json() for p in self.platforms],
            "worse": self.worse,
            "exit_code": self.exit_code,
        }


def compare_reports(old: FileReport, new: FileReport, as_of: str) -> Diff:
    changes = file_changes(old, new)
    platforms = []
    if not old.errors and not new.errors:
        for result in new.results:
            before = old.evaluation.result(result.platform.id) if old.evaluation else None
            old_findings = before.findings if before else ()
            found = _finding_changes(old_findings, result.findings, changes, old.requirements, new.requirements)
            platforms.append(
                PlatformDiff(
                    result.platform.id,
                    result.platform.name,
                    result.platform.id in new.deciding,
                    before.verdict if before else Severity.PASS,
                    result.verdict,
                    tuple(found),
                )
            )
    return Diff(old.path, new.path, as_of, tuple(old.errors), tuple(new.errors), tuple(changes), tuple(platforms))


def file_changes(old: FileReport, new: FileReport) -> list[ValueChange]:
    """Every edit between the two files that can change a verdict, in a stable order."""
    changes: list[ValueChange] = []
    if old.target != new.target:
        changes.append(ValueChange("target", old.target or MISSING, new.target or MISSING))
    before, after = _flatten(old.requirements, "requirements"), _flatten(new.requirements, "requirements")
    for path in _ordered(before, after):
        if before.get(path, MISSING) != after.get(path, MISSING):
            changes.append(ValueChange(path, before.get(path, MISSING), after.get(path, MISSING)))
    for key in _ordered(old.priorities, new.priorities):
        was, now = old.priorities.get(key, "must"), new.priorities.get(key, "must")
        if was != now:
            changes.append(ValueChange(f"priorities.{key}", old.priorities.get(key, MISSING), new.priorities.get(key, MISSING), "must"))
    old_waivers, new_waivers = {_waiver_key(w) for w in old.waivers}, {_waiver_key(w) for w in new.waivers}
    for w in old.waivers:
        if _waiver_key(w) not in new_waivers:
            changes.append(ValueChange("waivers", _waiver_text(w), MISSING))
    for w in new.waivers:
        if _waiver_key(w) not in old_waivers:
            changes.append(ValueChange("waivers", MISSING, _waiver_text(w)))
    return changes


def _finding_changes(
    old: tuple[Finding, ...], new: tuple[Finding, ...], changes: list[ValueChange], old_reqs: Any, new_reqs: Any
) -> list[FindingChange]:
    before, after = _by_key(old, old_reqs), _by_key(new, new_reqs)
    out = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key), after.get(key)
        old_sev = was.counted if was else None
        new_sev = now.counted if now else None
        if old_sev == new_sev or {old_sev, new_sev} <= {None, Severity.PASS}:
            continue
        shown = now or was
        assert shown is not None
        out.append(
            FindingChange(
                key[0],
                key[1],
                old_sev,
                new_sev,
                _label(was),
                _label(now),
                shown.message,
                shown.line,
                tuple(_causes(key[0], key[1], was, now, changes)),
                "new" if now is not None else "old",
            )
        )
    return out


def _causes(rule: str, requirement: str, was: Finding | None, now: Finding | None, changes: list[ValueChange]) -> list[ValueChange]:
    waiver_edits = [c for c in changes if c.path == "waivers"]
    if (was.waiver if was else None) != (now.waiver if now else None) or rule.startswith("waiver."):
        if waiver_edits:
            return waiver_edits
    parts = requirement.split(".")
    if len(parts) >= 2:
        key = parts[1].split("[")[0]
        own = [
            c
            for c in changes
            if c.path in (f"requirements.{key}", f"priorities.{key}") or c.path.startswith((f"requirements.{key}.", f"requirements.{key}["))
        ]
        if own:
            return own
    return [c for c in changes if c.path.startswith("requirements.") or c.path.startswith("priorities.")] or list(changes)


def _by_key(findings: tuple[Finding, ...], requirements: Any) -> dict[tuple[str, str, tuple[str, ...]], Finding]:
    # A rule on a requirement is matched by the requirement's path, list items by value; a rule
    # that judges every file, by its judgements' own paths (Judgement.path), never by order.
    out: dict[tuple[str, str, tuple[str, ...]], Finding] = {}
    for finding in findings:
        own = () if finding.requirement else tuple(str(p) for p in finding.path)
        key = (finding.rule, stable_requirement(finding.requirement, requirements), own)
        if key not in out or finding.counted > out[key].counted:
            out[key] = finding
    return out


def _label(finding: Finding | None) -> str:
    if finding is None:
        return "none"
    return "waived" if finding.waiver is not None else finding.severity.label


def _flatten(value: Any, prefix: str) -> dict[str, Any]:
    # Mappings are walked so that storage.types and storage.multi_instance_external_volumes are
    # separate edits; lists stay whole ([nfs] → [nfs, ceph] is one edit).
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}"))
        return out
    return {prefix: value}


def _ordered(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Keys in the new file's order, then keys only the old file had."""
    return list(after) + [k for k in before if k not in after]


def _waiver_key(w: Waiver) -> tuple[Any, ...]:
    return (w.rule, w.platform, w.requirement, w.reason, w.owner, w.expires)


def _waiver_text(w: Waiver) -> str:
    return f"the waiver of {w.describe()} (owner {w.owner}, until {w.expires.isoformat()})"
