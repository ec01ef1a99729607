"""The architecture-review document as data: what a reviewer reads instead of the YAML.

Renderers (Markdown, HTML) only lay this out; every judgement about ranking, recommendation
and what would have to change is made here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from orchlint.model import Finding, Severity, Source

if TYPE_CHECKING:
    from orchlint.engine import PlatformResult
    from orchlint.lint import FileReport

@dataclass(frozen=True)
class RankedPlatform:
    rank: int
    result: PlatformResult
    fails: int
    warns: int
    passes: int

    @property
    def id(self) -> str:
        return self.result.platform.id

    @property
    def verdict(self) -> Severity:
        return self.result.verdict

    def blocking(self) -> list[Finding]:
        """What would have to change for this platform to become viable: its failing findings."""
        return [f for f in self.result.findings if f.counted is Severity.FAIL]


@dataclass(frozen=True)
class Review:
    report: FileReport
    ranking: tuple[RankedPlatform, ...]
    rows: tuple[str, ...]  # requirement keys in file order, then rules that apply to every file
    matrix: dict[tuple[str, str], Severity]  # (row, platform id) -> worst severity

    @property
    def recommended(self) -> tuple[RankedPlatform, ...]:
        viable = [r for r in self.ranking if r.verdict is not Severity.FAIL]
        if not viable:
            return ()
        best = (viable[0].verdict, viable[0].fails, viable[0].warns)
        return tuple(r for r in viable if (r.verdict, r.fails, r.warns) == best)

    def sources(self) -> list[Source]:
        seen: dict[Source, None] = {}
        for ranked in self.ranking:
            for finding in ranked.result.findings:
                for source in finding.sources:
                    seen.setdefault(source, None)
        return sorted(seen, key=lambda s: (s.title, s.section))


def build_review(report: FileReport) -> Review:
    counted = []
    for result in report.results:
        sev = [f.counted for f in result.findings]
        counted.append((result, sev.count(Severity.FAIL), sev.count(Severity.WARN), sev.count(Severity.PASS)))
    counted.sort(key=lambda c: (c[0].verdict, c[1], c[2], -c[3], c[0].platform.id))
    ranking = tuple(RankedPlatform(i + 1, *c) for i, c in enumerate(counted))
    always: dict[str, None] = {}
    matrix: dict[tuple[str, str], Severity] = {}
    for result in report.results:
        for finding in result.findings:
            row = _row(finding)
            if not finding.requirement:
                always.setdefault(row, None)
            key = (row, result.platform.id)
            if key not in matrix or finding.counted > matrix[key]:
                matrix[key] = finding.counted
    rows = tuple(report.requirements) + tuple(sorted(always))
    return Review(report, ranking, rows, matrix)


def _row(finding: Finding) -> str:
    """The top-level requirement key a finding judges, or its rule id if it judges none."""
    parts = finding.requirement.split(".")
    return parts[1].split("[")[0] if len(parts) >= 2 else finding.rule
