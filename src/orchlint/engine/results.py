"""What an evaluation produces: each platform's findings and verdict, for one file on one day.

Value types only, so that reports, waivers and outputs can read results without the engine.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import field
from functools import cached_property

from orchlint.model import Finding, Frozen, Mutable, Platform, PluginError, Severity, record


@record  # a dataclass with shared methods: see orchlint.model
class PlatformResult(Frozen):
    platform: Platform
    findings: tuple[Finding, ...]

    def __init__(self, platform: Platform, findings: tuple[Finding, ...]) -> None:
        self.__dict__.update(platform=platform, findings=findings)

    @cached_property  # read for the summary, the fleet, the matrix and the exit code
    def verdict(self) -> Severity:
        """The worst judged finding; unknowns sort below pass, so they never set it."""
        return max((f.counted for f in self.findings), default=Severity.PASS)

    @cached_property
    def unknowns(self) -> int:
        """Findings orchlint could not judge for lack of a fact (waived ones not counted)."""
        return sum(1 for f in self.findings if f.counted is Severity.UNKNOWN)

    @cached_property
    def unknown_musts(self) -> int:
        return sum(1 for f in self.findings if f.counted is Severity.UNKNOWN and f.priority == "must")

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
