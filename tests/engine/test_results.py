"""A platform's verdict and counts, worked out in one pass, agree with their definitions."""

from __future__ import annotations

import datetime as _dt
import itertools

from orchlint.engine.results import PlatformResult
from orchlint.model import Finding, Outcome, Severity, Waiver
from orchlint.testing import EXAMPLE_PLATFORM

WAIVER = Waiver("r", "accepted", "team", _dt.date(2030, 1, 1))
KINDS = [
    (severity, priority, waiver, requirement)
    for severity in Severity
    for priority in ("must", "should")
    for waiver in (None, WAIVER)
    for requirement in ("", "requirements.nodes")
]


def _finding(severity: Severity, priority: str, waiver: Waiver | None, requirement: str = "") -> Finding:
    return Finding(EXAMPLE_PLATFORM.id, 1, 1, "r", requirement, severity, "m", Outcome.MET, priority, (), None, waiver)


def test_verdict_unknowns_and_unknown_musts_follow_their_definitions():
    for size in range(3):
        for kinds in itertools.product(KINDS, repeat=size):
            findings = tuple(_finding(*kind) for kind in kinds)
            result = PlatformResult(EXAMPLE_PLATFORM, findings)
            counted = [f.counted for f in findings]
            assert result.verdict is max(counted, default=Severity.PASS), kinds
            assert result.unknowns == counted.count(Severity.UNKNOWN)
            assert result.unknown_musts == sum(1 for f in findings if f.counted is Severity.UNKNOWN and f.priority == "must")
            assert result.known == len(findings) - result.unknowns
            assert result.waived == sum(1 for f in findings if f.waiver is not None)
            assert result.fails_every_file == any(f.counted is Severity.FAIL and not f.requirement for f in findings)
            assert result.by_severity == {s: sum(1 for f in findings if f.waiver is None and f.severity is s) for s in Severity}


def test_a_result_with_only_unknown_findings_has_an_unknown_verdict_and_none_a_pass():
    assert PlatformResult(EXAMPLE_PLATFORM, (_finding(Severity.UNKNOWN, "must", None),)).verdict is Severity.UNKNOWN
    assert PlatformResult(EXAMPLE_PLATFORM, ()).verdict is Severity.PASS
