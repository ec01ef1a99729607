"""The architecture-review document as data: what a reviewer reads instead of the YAML.

Renderers (Markdown, HTML) only lay this out; every judgement about ranking, recommendation
and what would have to change is made here, once.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Mapping, Sequence
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


# -- what the document shows, said once for both renderers ------------------------------------


def contenders(review: Review) -> tuple[RankedPlatform, ...]:
    """The ranked platforms still in the running: each gets a row, a column and its findings."""
    return tuple(r for r in review.ranking if not out_of_the_running(r.result))


def out_of_running(review: Review) -> tuple[tuple[RankedPlatform, Finding], ...]:
    """Platforms that fail a rule judging every file (an end of life), with the finding that
    says why: whatever the file says, they cannot become viable, so they get one line."""
    out = []
    for ranked in review.ranking:
        why = [f for f in ranked.result.findings if f.counted is Severity.FAIL and not f.requirement]
        if why:
            out.append((ranked, why[0]))
    return tuple(out)


def failing_contenders(review: Review) -> tuple[RankedPlatform, ...]:
    return tuple(r for r in contenders(review) if r.verdict is Severity.FAIL)


def known_text(ranked: RankedPlatform) -> str:
    """How much of what the file needs orchlint knows for the platform: ``22 of 24``."""
    return f"{ranked.result.known} of {len(ranked.result.findings)}"


def readable(value: Any) -> str:
    """A value as a reader would write it: ``[nfs, aws-ebs]`` → ``nfs, aws-ebs``, true → yes."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "–"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {readable(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(readable(v) for v in value)
    return str(value)


_LIFECYCLE = {"active": "actively maintained", "end-of-life": "end of life", "unmaintained": "unmaintained", "retired": "retired"}


def fact_value(key: str, value: Any) -> str:
    """A fact's value as words: ``end of life on 2021-10-31``, ``BUSL-1.1 (not OSI-approved)``."""
    if key == "lifecycle" and isinstance(value, Mapping) and "status" in value:
        status = str(value["status"])
        text = _LIFECYCLE.get(status, status)
        end = value.get("end")
        if end and status != "active":
            text += f" on {readable(end)}" if status == "end-of-life" else f" (support ended {readable(end)})"
        return text
    if key == "license" and isinstance(value, Mapping) and "spdx" in value:
        approved = value.get("osi_approved")
        return f"{value['spdx']} ({'OSI-approved' if approved else 'not OSI-approved'})"
    return readable(value)


def requirement_priority(review: Review, key: str) -> str:
    """The priority to show. A requirement that is ``false`` asks for nothing (``multi_cluster:
    false``), so it is "not required", not a MUST; unless a rule judges it on some platform
    (``in_house_expertise: false`` asks for a platform the team can run without experts)."""
    report = review.report
    judged = any(row == key for row, _platform in review.matrix)
    if report.requirements.get(key) is False and not judged:
        return "not required"
    return report.priorities.get(key, "must")


def short_message(finding: Finding) -> str:
    """The finding's message without the fact's note or the places searched, which the document
    shows once elsewhere."""
    message = finding.message
    fact = finding.fact
    if fact is not None and fact.note:
        for shown in (f" ({fact.note})", f": {fact.note}", fact.note):
            message = message.replace(shown, "")
        message = message.rstrip(" :")
    if fact is not None and fact.searched:
        message = message.split(": unknown — researched")[0] + ": unknown (researched)"
    return message


def short_url(url: str, limit: int = 70) -> str:
    """A long address as a reader can still recognise it: host, the start of the path, the last part."""
    text = url.split("://", 1)[-1]
    if len(text) <= limit:
        return text
    parts = text.split("/")
    head, last = "/".join(parts[:3]), parts[-1] or parts[-2]
    return shorten(f"{head}/…/{last}", limit)


def shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;") + "…"


@dataclass(frozen=True)
class UnknownRow:
    """One line of "what orchlint does not know": requirements a platform has no fact for, or one
    researched unknown with where it was searched."""

    platform: RankedPlatform
    requirements: tuple[str, ...]
    why: str  # "no fact" or "researched unknown"
    searched: str = ""  # the places searched, shortened


def unknown_rows(review: Review) -> tuple[UnknownRow, ...]:
    rows = []
    for ranked in contenders(review):
        unknowns = [f for f in ranked.result.findings if f.counted is Severity.UNKNOWN]
        missing = [f for f in unknowns if f.fact is None]
        if missing:
            rows.append(UnknownRow(ranked, tuple(_dedupe(_label(f) for f in missing)), "no fact"))
        for finding in unknowns:
            if finding.fact is not None:
                where = shorten("; ".join(finding.fact.searched), 110)
                rows.append(UnknownRow(ranked, (_label(finding),), "researched unknown", where))
    return tuple(rows)


def detailed(review: Review, ranked: RankedPlatform) -> tuple[Finding, ...]:
    """The findings the document details for a platform, with their facts: what fails, what is
    waived, and what warns on a viable platform or the chosen target. Passes are in the matrix,
    unknowns in "what orchlint does not know", the warnings of a failing candidate in one line
    (``warned``)."""
    full = ranked.verdict is not Severity.FAIL or ranked.id == review.report.target
    shown = (Severity.FAIL, Severity.WARN) if full else (Severity.FAIL,)
    return tuple(f for f in ranked.result.findings if f.waiver is not None or f.counted in shown)


def warned(review: Review, ranked: RankedPlatform) -> tuple[str, ...]:
    """The requirements that only warn on a platform whose findings are not all detailed."""
    shown = set(detailed(review, ranked))
    return tuple(_dedupe(_label(f) for f in ranked.result.findings if f.counted is Severity.WARN and f not in shown))


def rereview_shown(report: FileReport) -> bool:
    """A file's ``decided:`` re-reviews on every run; the block is worth a place only when a
    verdict moved, or when asked for with ``--since``."""
    rereview = report.rereview
    return rereview is not None and (rereview.basis != "decided" or rereview.moved())


def change_parts(change: Any) -> tuple[str, str]:
    """A re-review change as (``rule: warn → fail``, ``lifecycle: unmaintained … → retired …, since …``)."""
    then = change.then.label if change.then is not None else "none"
    now = change.now.label if change.now is not None else "none"
    fact = change.fact_now or change.fact_then
    if fact is None:
        return f"{change.rule}: {then} → {now}", ""
    before = fact_value(fact.key, change.fact_then.value) if change.fact_then and not change.fact_then.searched else "unknown"
    after = fact_value(fact.key, change.fact_now.value) if change.fact_now and not change.fact_now.searched else "unknown"
    moved = f"{before} → {after}" if change.fact_then is not change.fact_now else after
    return f"{change.rule}: {then} → {now}", f"{fact.key}: {moved}, {fact.window()}"


class Citations:
    """The sources the document cites, numbered in the order they are first cited."""

    def __init__(self) -> None:
        self.numbers: dict[Source, int] = {}

    def cite(self, sources: Sequence[Source]) -> list[int]:
        return [self.numbers.setdefault(s, len(self.numbers) + 1) for s in sources]

    def listed(self) -> list[tuple[int, Source]]:
        return [(n, s) for s, n in self.numbers.items()]


def cited_sources(review: Review) -> Citations:
    """Number the sources in the order the document first cites them: the platforms out of the
    running, the re-review's changes, then each platform's findings in ranking order."""
    citations = Citations()
    for _ranked, finding in out_of_running(review):
        citations.cite(finding.sources)
    rereview = review.report.rereview
    if rereview is not None and rereview_shown(review.report):
        for platform in rereview.changed:
            for change in platform.changes:
                fact = change.fact_now or change.fact_then
                if fact is not None:
                    citations.cite(fact.sources[:1])
    for ranked in contenders(review):
        for finding in detailed(review, ranked):
            citations.cite(finding.sources)
    return citations


_RST_LITERAL = re.compile(r"``(.+?)``|`([^`]+)`", re.DOTALL)


def rationale_parts(text: str) -> list[list[tuple[str, bool]]]:
    """A rule's reStructuredText rationale as paragraphs of (text, is_code) runs: renderers mark
    up ``literals`` and escape the rest."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        flat = " ".join(block.split())
        if not flat:
            continue
        runs: list[tuple[str, bool]] = []
        at = 0
        for match in _RST_LITERAL.finditer(flat):
            if match.start() > at:
                runs.append((flat[at : match.start()], False))
            runs.append((match.group(1) or match.group(2), True))
            at = match.end()
        if at < len(flat):
            runs.append((flat[at:], False))
        paragraphs.append(runs)
    return paragraphs


def _label(finding: Finding) -> str:
    """``storage.types[1]`` for a requirement, the rule id for a rule that judges every file."""
    return finding.requirement.removeprefix("requirements.") if finding.requirement else finding.rule


def _dedupe(items: Any) -> list[str]:
    return list(dict.fromkeys(items))
