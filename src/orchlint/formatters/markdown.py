"""``markdown``: the architecture-review document, for a reviewer, a wiki page or a PR comment."""

from __future__ import annotations

import json
import re
from typing import Any

from orchlint.formatters.base import Formatter
from orchlint.support.terminal import clean
from orchlint.lint.report import FileReport, RunSummary
from orchlint.model import Finding, Severity
from orchlint.formatters.review import Review, build_review, to_become_viable

SYMBOL = {Severity.PASS: "✅ pass", Severity.WARN: "⚠️ warn", Severity.FAIL: "❌ fail", Severity.UNKNOWN: "❔ unknown"}
MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: Any) -> str:
    """User and fact text as literal Markdown: no emphasis, links, tables or HTML can be injected,
    nor a terminal escape when the document is printed."""
    flat = clean(" ".join(str(text).split()))
    return MD_SPECIAL.sub(r"\\\1", flat)


def code(text: Any) -> str:
    """A code span; backslash escapes do not work inside one, so backticks are replaced."""
    return "`" + clean(" ".join(str(text).split())).replace("`", "'").replace("|", "¦") + "`"


class MarkdownFormatter(Formatter):
    name = "markdown"
    description = "architecture-review document in Markdown (one per file)"

    def start(self, run: Any) -> None:
        super().start(run)
        self.count = 0

    def write(self, report: FileReport) -> None:
        if self.count:
            self.stream.write("\n---\n\n")
        self.count += 1
        self.stream.write("\n".join(render(report, self.run.as_of.isoformat())) + "\n")

    def finish(self, summary: RunSummary) -> None:
        for error in summary.plugin_errors:
            self.stream.write(f"\n> **Plugin error** `{md(error.plugin)}`: {md(error.message)}\n")


def render(report: FileReport, as_of: str) -> list[str]:
    title = report.name or report.path
    out = [f"# Architecture review: {md(title)}", ""]
    out.append(f"*File `{md(report.path)}`, evaluated with the knowledge of **{as_of}** by orchlint.*")
    out.append("")
    if report.errors:
        out += ["## The file could not be evaluated", ""]
        out += [f"- line {e.line or 1}, column {e.column or 1}: {md(e.message)}" for e in report.errors]
        return out
    review = build_review(report)
    out += _summary(review) + _requirements(report) + _ranking(review) + _matrix(review) + _to_change(review)
    out += _rereview(report) + _platforms(review) + _waivers(report) + _notices(report) + _knowledge(review)
    return out


def _summary(review: Review) -> list[str]:
    out = ["## Executive summary", ""]
    recommended = review.recommended
    if recommended:
        names = ", ".join(f"**{md(r.result.platform.name)}**" for r in recommended)
        best = recommended[0]
        why = f"no requirement fails, {best.warns} warning(s), {best.passes} requirement(s) met"
        out.append(f"Recommended: {names} ({why}).")
    elif review.unsure:
        out.append("**No platform is known to meet every must-have requirement.**")
        for ranked in review.unsure:
            keys = ", ".join(code(f.requirement or f.rule) for f in ranked.unknown_musts)
            out.append(f"{md(ranked.result.platform.name)} would be viable if orchlint knew: {keys}.")
    else:
        out.append("**No platform is viable**: every platform fails at least one must-have requirement.")
    target = review.report.target
    if target:
        ranked = next((r for r in review.ranking if r.id == target), None)
        if ranked is not None:
            out.append(f"The chosen target, `{md(target)}`, ranks #{ranked.rank} with verdict {SYMBOL[ranked.verdict]}.")
    return out + [""]


def _requirements(report: FileReport) -> list[str]:
    out = ["## Requirements", "", "| requirement | value | priority |", "|---|---|---|"]
    for key, value in report.requirements.items():
        shown = json.dumps(value, ensure_ascii=False, default=str)
        out.append(f"| {code(key)} | {md(shown)} | {report.priorities.get(key, 'must')} |")
    if not report.requirements:
        out.append("| (none) | | |")
    return out + [""]


def _ranking(review: Review) -> list[str]:
    out = ["## Ranking", "", "| # | platform | verdict | fail | warn | pass | unknown |", "|---|---|---|---|---|---|---|"]
    for r in review.ranking:
        out.append(
            f"| {r.rank} | {md(r.result.platform.name)} (`{r.id}`) | {SYMBOL[r.verdict]} | {r.fails} | {r.warns} | {r.passes} | {r.unknowns} |"
        )
    return out + [""]


def _matrix(review: Review) -> list[str]:
    ids = [r.id for r in review.ranking]
    out = ["## Requirements × platforms", "", "| requirement | " + " | ".join(f"`{i}`" for i in ids) + " |"]
    out.append("|---|" + "---|" * len(ids))
    for row in review.rows:
        cells = [SYMBOL[review.matrix[(row, i)]] if (row, i) in review.matrix else "–" for i in ids]
        out.append(f"| {code(row)} | " + " | ".join(cells) + " |")
    return out + [""]


def _to_change(review: Review) -> list[str]:
    out = ["## What would have to change", ""]
    if not review.failing:
        return out + ["No platform fails; nothing would have to change.", ""]
    out += ["For each platform that fails, the requirements that would have to be relaxed for it to become viable:", ""]
    for ranked in review.failing:
        out.append(f"- **{md(ranked.result.platform.name)}** (`{ranked.id}`):")
        for blocker in ranked.to_change():
            how = blocker.priority if blocker.relaxable else "every file; cannot be relaxed"
            out.append(f"  - {code(blocker.key)} ({how}): " + "; ".join(md(f.message) for f in blocker.findings))
    return out + [""]


def _rereview(report: FileReport) -> list[str]:
    review = report.rereview
    if review is None:
        return []
    out = [f"## What changed since {review.since.isoformat()}", ""]
    out.append(f"Verdicts on {review.since.isoformat()} ({md(review.basis)}) beside {review.as_of.isoformat()}:")
    out.append("")
    for platform in review.platforms:
        out.append(f"- `{platform.platform}`: {SYMBOL[platform.then]} → {SYMBOL[platform.now]}")
        out += [f"  - {md(change.explain())}" for change in platform.changes]
    return out + [""]


def _platforms(review: Review) -> list[str]:
    out = ["## Findings by platform", ""]
    for ranked in review.ranking:
        platform = ranked.result.platform
        out += [f"### {md(platform.name)} (`{platform.id}`): {SYMBOL[ranked.verdict]}", ""]
        if platform.summary:
            out += [md(platform.summary), ""]
        blocking = ranked.to_change()
        if blocking:
            out += ["**To become viable**, " + to_become_viable(blocking, code), ""]
        for finding in ranked.result.findings:
            out += _finding(finding)
        out.append("")
    return out


def _finding(finding: Finding) -> list[str]:
    where = code(finding.requirement) if finding.requirement else "every file"
    waiver = finding.waiver
    if waiver is not None:
        return [
            f"- 🔕 waived ({SYMBOL[finding.severity]}) **{md(finding.rule)}** ({where}, {finding.priority}, line {finding.line}): "
            f"{md(finding.message)}",
            f"  - waived until {waiver.expires.isoformat()} by {md(waiver.owner)} (waiver at line {waiver.line}): {md(waiver.reason)}",
        ]
    lines = [f"- {SYMBOL[finding.severity]} **{md(finding.rule)}** ({where}, {finding.priority}, line {finding.line}): {md(finding.message)}"]
    if finding.fact is not None:
        lines.append(f"  - fact: {md(finding.fact.describe())}")
    return lines


def _waivers(report: FileReport) -> list[str]:
    if not report.waivers:
        return []
    waived: dict[Any, int] = {}
    for result in report.results:
        for finding in result.findings:
            if finding.waiver is not None:
                waived[finding.waiver] = waived.get(finding.waiver, 0) + 1
    out = ["## Accepted risks (waivers)", "", "| line | rule | platform | requirement | owner | expires | waives | reason |"]
    out.append("|---|---|---|---|---|---|---|---|")
    for w in report.waivers:
        where = code(w.requirement) if w.requirement else "any"
        out.append(
            f"| {w.line} | {code(w.rule)} | {code(w.platform) if w.platform else 'any'} | {where} | {md(w.owner)} "
            f"| {w.expires.isoformat()} | {waived.get(w, 0)} finding(s) | {md(w.reason)} |"
        )
    return out + [""]


def _notices(report: FileReport) -> list[str]:
    if not report.notices:
        return []
    out = ["## Notices", ""]
    out += [f"- line {n.line}, column {n.column}: `{n.kind}` {md(n.message)}" for n in report.notices]
    return out + [""]


def _knowledge(review: Review) -> list[str]:
    out = ["## Knowledge used", ""]
    evaluation = review.report.evaluation
    assert evaluation is not None
    out.append(f"Evaluated with the facts that held on {evaluation.as_of.isoformat()}. Sources cited above:")
    out.append("")
    out += [f"- {md(source.cite())}" for source in review.sources()]
    return out
