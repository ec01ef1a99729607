"""The architecture-review document as data: what a reviewer reads instead of the YAML.

Renderers (Markdown, HTML) only lay this out; every judgement about ranking, recommendation
and what would have to change is made here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orchlint.lint.report import out_of_the_running
from orchlint.model import Finding, Severity, Source

if TYPE_CHECKING:
    from orchlint.engine.results import PlatformResult
    from orchlint.lint.report import FileReport

@dataclass(frozen=True)
class Blocker:
    """One requirement that fails on a platform: what would have to change for it to be viable."""

    key: str  # the requirement path, or the rule id of a rule evaluated for every file
    priority: str
    findings: tuple[Finding, ...]

    @property
    def relaxable(self) -> bool:
        # A rule evaluated for every file (a platform's end of life) is not the team's to relax.
        return all(f.requirement for f in self.findings)


@dataclass(frozen=True)
class RankedPlatform:
    rank: int
    result: PlatformResult
    fails: int
    warns: int
    passes: int
    relax: tuple[str, ...] | None = None  # with --explain-fail: the fewest requirement keys to relax

    @property
    def id(self) -> str:
        return self.result.platform.id

    @property
    def verdict(self) -> Severity:
        return self.result.verdict

    @property
    def unknowns(self) -> int:
        return self.result.unknowns

    @property
    def unknown_musts(self) -> tuple[Finding, ...]:
        """The must-have requirements orchlint cannot judge on this platform (no fact)."""
        return tuple(f for f in self.result.findings if f.counted is Severity.UNKNOWN and f.priority == "must")

    def blocking(self) -> list[Finding]:
        """What would have to change for this platform to become viable: its failing findings."""
        return [f for f in self.result.findings if f.counted is Severity.FAIL]

    def to_change(self) -> tuple[Blocker, ...]:
        """The failing findings grouped by requirement: the team's requirements, then every-file rules."""
        grouped: dict[str, list[Finding]] = {}
        for finding in self.blocking():
            grouped.setdefault(finding.requirement or finding.rule, []).append(finding)
        blockers = [Blocker(key, fs[0].priority, tuple(fs)) for key, fs in grouped.items()]
        if self.relax is not None:
            # The search found that relaxing fewer requirements suffices (another rule reads them).
            blockers = [b for b in blockers if not b.relaxable or _top(b.key) in self.relax]
        return tuple(sorted(blockers, key=lambda b: (not b.relaxable, b.key)))


@dataclass(frozen=True)
class Review:
    report: FileReport
    ranking: tuple[RankedPlatform, ...]
    rows: tuple[str, ...]  # requirement keys in file order, then rules that apply to every file
    matrix: dict[tuple[str, str], Severity]  # (row, platform id) -> worst severity

    @property
    def viable(self) -> tuple[RankedPlatform, ...]:
        return tuple(r for r in self.ranking if r.verdict is not Severity.FAIL)

    @property
    def recommended(self) -> tuple[RankedPlatform, ...]:
        """The best viable platforms whose must-have requirements are all known: ignorance is
        never rewarded, so a platform with unknown must-haves is never recommended."""
        known = [r for r in self.viable if not r.unknown_musts]
        if not known:
            return ()
        best = (known[0].verdict, known[0].unknowns, known[0].fails, known[0].warns)
        return tuple(r for r in known if (r.verdict, r.unknowns, r.fails, r.warns) == best)

    @property
    def unsure(self) -> tuple[RankedPlatform, ...]:
        """Viable platforms that would need their unknown must-haves known to be recommended."""
        return tuple(r for r in self.viable if r.unknown_musts)

    @property
    def failing(self) -> tuple[RankedPlatform, ...]:
        return tuple(r for r in self.ranking if r.verdict is Severity.FAIL)

    def sources(self) -> list[Source]:
        seen: dict[Source, None] = {}
        for ranked in self.ranking:
            for finding in ranked.result.findings:
                for source in finding.sources:
                    seen.setdefault(source, None)
        return sorted(seen, key=lambda s: (s.title, s.section))


def to_become_viable(blockers: Sequence[Blocker], code: Callable[[str], str]) -> str:
    """``these would have to be relaxed: a, b; and it would have to pass c, which applies to every file``.

    Keys are shown through ``code`` so that each renderer can mark them up and escape them.
    """
    relax = [code(b.key) for b in blockers if b.relaxable]
    fixed = [code(b.key) for b in blockers if not b.relaxable]
    parts = []
    if relax:
        parts.append("these would have to be relaxed: " + ", ".join(relax))
    if fixed:
        verb = "applies" if len(fixed) == 1 else "apply"
        parts.append(f"it would have to pass {', '.join(fixed)}, which {verb} to every file")
    return "; and ".join(parts)


def build_review(report: FileReport) -> Review:
    counted = []
    for result in report.results:
        sev = [f.counted for f in result.findings]
        counted.append((result, sev.count(Severity.FAIL), sev.count(Severity.WARN), sev.count(Severity.PASS)))
    # Verdict first, then how much is known: a platform orchlint knows less about never ranks
    # ahead of one it knows fully with the same verdict. Platforms out of the running whatever
    # the file says (an end of life) come last.
    counted.sort(
        key=lambda c: (c[0].verdict, out_of_the_running(c[0]), c[0].unknown_musts, c[0].unknowns, c[1], c[2], -c[3], c[0].platform.id)
    )
    explained = report.explain or {}
    ranking = tuple(RankedPlatform(i + 1, *c, relax=_relax(explained.get(c[0].platform.id))) for i, c in enumerate(counted))
    always: dict[str, None] = {}
    matrix: dict[tuple[str, str], Severity] = {}
    for result in report.results:
        for finding in result.findings:
            row = _row(finding)
            if not finding.requirement:
                always.setdefault(row, None)
            key = (row, result.platform.id)
            # The worst judged finding; unknown only when nothing in the row was judged.
            if key not in matrix or finding.counted > matrix[key] or (matrix[key] is Severity.PASS and finding.counted is Severity.UNKNOWN):
                matrix[key] = finding.counted
    rows = tuple(report.requirements) + tuple(sorted(always))
    return Review(report, ranking, rows, matrix)


def _relax(relaxation: Any) -> tuple[str, ...] | None:
    if relaxation is None or not relaxation.relax or not relaxation.smallest:
        return None
    return tuple(relaxation.relax)


def _top(key: str) -> str:
    """``requirements.storage.types[1]`` → ``requirements.storage``."""
    return ".".join(key.split(".")[:2]).split("[")[0]


def _row(finding: Finding) -> str:
    """The top-level requirement key a finding judges, or its rule id if it judges none."""
    parts = finding.requirement.split(".")
    return parts[1].split("[")[0] if len(parts) >= 2 else finding.rule
