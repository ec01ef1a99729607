"""What an evaluation produces: each platform's findings and verdict, for one file on one day.

Value types only, so that reports, waivers and outputs can read results without the engine.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import field
from typing import Any

from orchlint.model import Finding, Frozen, Mutable, Platform, PluginError, Severity, record


class _Tallied:
    """A PlatformResult count worked out when first read, then an instance attribute (a non-data
    descriptor, so the instance's own value wins from then on, as with cached_property, without
    its lock)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, result: Any, owner: type | None = None) -> Any:
        if result is None:
            return self
        result._tally()
        return result.__dict__[self.name]


@record  # a dataclass with shared methods: see orchlint.model
class PlatformResult(Frozen):
    platform: Platform
    findings: tuple[Finding, ...]

    def __init__(self, platform: Platform, findings: tuple[Finding, ...]) -> None:
        self.__dict__.update(platform=platform, findings=findings)

    # Read for the summary, the fleet, the matrix and the exit code: all six are counted in one
    # pass over the findings (_tally), the first time one of them is read.
    # (Not annotated: an annotation would make each a dataclass field.)
    verdict = _Tallied()  # Severity
    """The worst judged finding; unknowns sort below pass, so they never set it."""
    unknowns = _Tallied()  # int
    """Findings orchlint could not judge for lack of a fact (waived ones not counted)."""
    unknown_musts = _Tallied()  # int
    """Of the unknowns, those of must-have requirements."""
    waived = _Tallied()  # int
    """Findings a waiver covers: reported, not counted."""
    by_severity = _Tallied()  # dict[Severity, int]
    """How many findings no waiver covers there are of each severity."""
    fails_every_file = _Tallied()  # bool
    """A counted fail of a rule that judges every file (no requirement: an end of life, say)."""

    def _tally(self) -> None:
        # The verdict is the worst counted severity: unknown only when every finding is, pass
        # when there is none.
        verdict, unknowns, musts, waived = Severity.UNKNOWN if self.findings else Severity.PASS, 0, 0, 0
        unknown, fail, every = Severity.UNKNOWN, Severity.FAIL, False
        by_severity = dict.fromkeys(Severity, 0)
        for finding in self.findings:
            if finding.waiver is None:
                counted = finding.severity
                by_severity[counted] += 1
            else:  # Finding.counted, inline
                counted = Severity.PASS
                waived += 1
            if counted is unknown:
                unknowns += 1
                musts += finding.priority == "must"
            else:
                if counted > verdict:
                    verdict = counted
                if counted is fail and not finding.requirement:
                    every = True
        self.__dict__.update(verdict=verdict, unknowns=unknowns, unknown_musts=musts, waived=waived, by_severity=by_severity, fails_every_file=every)

    @property
    def known(self) -> int:
        """How many of the facts this file needs for the platform orchlint knows."""
        return len(self.findings) - self.unknowns

    def verdict_text(self) -> str:
        """``pass``, or ``pass?3`` when 3 findings are unknown."""
        return self.verdict.label + (f"?{self.unknowns}" if self.unknowns else "")


@record
class Gate(Frozen):
    """What makes a platform not viable: a finding at or above ``severity`` (None: none does)
    and, with ``unknowns``, any finding orchlint could not judge."""

    severity: Severity | None = Severity.FAIL
    unknowns: bool = False

    def __init__(self, severity: Severity | None = Severity.FAIL, unknowns: bool = False) -> None:
        self.__dict__.update(severity=severity, unknowns=unknowns)

    def serves(self, result: PlatformResult) -> bool:
        if self.unknowns and result.unknowns:
            return False
        return self.severity is None or result.verdict < self.severity

    def blocking(self, finding: Finding) -> bool:
        """Does this finding, on its own, keep its platform from being viable?"""
        counted = finding.counted
        if counted is Severity.UNKNOWN:
            return self.unknowns
        return self.severity is not None and counted >= self.severity


@record
class Evaluation(Mutable):
    as_of: _dt.date
    results: list[PlatformResult] = field(default_factory=list)
    plugin_errors: list[PluginError] = field(default_factory=list)

    def __init__(self, as_of: _dt.date, results: list[PlatformResult] | None = None, plugin_errors: list[PluginError] | None = None) -> None:
        self.as_of = as_of
        self.results = [] if results is None else results  # None: a new list, as default_factory
        self.plugin_errors = [] if plugin_errors is None else plugin_errors

    def result(self, platform_id: str) -> PlatformResult | None:
        return next((r for r in self.results if r.platform.id == platform_id), None)
