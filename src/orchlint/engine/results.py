"""What an evaluation produces: each platform's findings and verdict, for one file on one day.

Value types only, so that reports, waivers and outputs can read results without the engine.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property

from orchlint.model import Finding, Platform, PluginError, Severity


@dataclass(frozen=True)
class PlatformResult:
    platform: Platform
    findings: tuple[Finding, ...]

    @cached_property  # read for the summary, the fleet, the matrix and the exit code
    def verdict(self) -> Severity:
        return max((f.counted for f in self.findings), default=Severity.PASS)


@dataclass
class Evaluation:
    as_of: _dt.date
    results: list[PlatformResult] = field(default_factory=list)
    plugin_errors: list[PluginError] = field(default_factory=list)

    def result(self, platform_id: str) -> PlatformResult | None:
        return next((r for r in self.results if r.platform.id == platform_id), None)
