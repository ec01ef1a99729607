"""``markdown``: the architecture-review document, for a reviewer, a wiki page or a PR comment."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from orchlint.formatters.base import Formatter
from orchlint.formatters.review import (
    Citations,
    RankedPlatform,
    Review,
    build_review,
    change_parts,
    cited_sources,
    contenders,
    detailed,
    fact_value,
    failing_contenders,
    known_text,
    out_of_running,
    rationale_parts,
    readable,
    requirement_priority,
    rereview_shown,
    short_message,
    to_become_viable,
    unknown_rows,
    warned,
)
from orchlint.lint.report import FileReport, RunSummary
from orchlint.model import Finding, Severity, Source
from orchlint.rulekit import Rule
from orchlint.support.terminal import clean

SYMBOL = {Severity.PASS: "✅ pass", Severity.WARN: "⚠️ warn", Severity.FAIL: "❌ fail", Severity.UNKNOWN: "❔ unknown"}
MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


# GitHub makes "@name" a mention, which notifies that user or team, where the @ follows the
# start of the text or any character but an ASCII letter, digit or _ (so not in an e-mail
# address), outside code spans and links. In text orchlint did not write, such an @ is followed
# by an empty HTML comment: "@<!-- -->name" renders as "@name" but is no mention, since GitHub
# looks for mentions in the rendered text, where the comment splits the @ from the name. (A
# zero-width character would hide in copied text; a code span would change how it reads.)
MENTION = re.compile(r"(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])")
NO_MENTION = "@<!-- -->"
# A URL that GitHub turns into a link as it stands, where an @ is part of the address
# (https://medium.com/@name/post) and no mention: left whole, so the link still works. Only
# after a space or "(" in the same text (what comes before the text is not known here), and
# only characters that need no Markdown escape and start no entity, so that nothing splits it.
_LINKED_URL = re.compile(r"(?<=[\s(])https?://(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+(?:[/?#][A-Za-z0-9\-.:/?#@!$'()+,;=%]*)?")


def escape_md(text: str) -> str:
    """Text as literal Markdown, as it is: the specials escaped and no @mention left."""
    out = []
    position = 0
    for url in _LINKED_URL.finditer(text):
        out.append(MENTION.sub(NO_MENTION, MD_SPECIAL.sub(r"\\\1", text[position : url.start()])))
        out.append(url.group())
        position = url.end()
    out.append(MENTION.sub(NO_MENTION, MD_SPECIAL.sub(r"\\\1", text[position:])))
    return "".join(out)


def md(text: Any) -> str:
    """User and fact text as literal Markdown: no emphasis, links, tables, HTML or @mentions can
    be injected, nor a terminal escape when the document is printed."""
    return escape_md(clean(" ".join(str(text).split())))


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
        rules = {rule.id: rule for rule in self.run.rules}
        self.stream.write("\n".join(render(report, self.run.as_of.isoformat(), rules)) + "\n")

    def finish(self, summary: RunSummary) -> None:
        for error in summary.plugin_errors:
            self.stream.write(f"\n> **Plugin error** {code(error.plugin)}: {md(error.message)}\n")


def render(report: FileReport, as_of: str, rules: Mapping[str, Rule] | None = None) -> list[str]:
    """One file's review, in the sections and order of the HTML document."""
    title = report.name or report.path
    out = [f"# Architecture review: {md(title)}", ""]
    out.append(f"*File {code(report.path)}, evaluated with the knowledge of **{as_of}** by orchlint.*")
    out.append("")
    if report.errors:
        out += ["## The file could not be evaluated", ""]
        out += [f"- line {e.line or 1}, column {e.column or 1}: {md(e.message)}" for e in report.errors]
        return out
    review = build_review(report)
    citations = cited_sources(review)
    for section in (_summary, _decision, _unknowns, _to_change, _rereview, _matrix, _findings, _waivers, _notices):
        out += section(review, citations)
    return out + _rules(review, rules or {}) + _knowledge(review, citations)


def _name(ranked: RankedPlatform) -> str:
    return f"{md(ranked.result.platform.name)} ({code(ranked.id)})"


def _refs(citations: Citations, sources: Sequence[Source]) -> str:
    numbers = citations.cite(sources)
    return f" \\[{', '.join(str(n) for n in numbers)}\\]" if numbers else ""


def _key(key: str) -> str:
    return code(key.removeprefix("requirements."))


def _summary(review: Review, citations: Citations) -> list[str]:
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
        text = "**No platform is viable**: every platform fails at least one must-have requirement."
        if review.ranking:
            closest = review.ranking[0]
            text += f" The closest is {md(closest.result.platform.name)}, with {closest.fails} failing finding(s); see what would have to change."
        out.append(text)
    out.append("")
    failing, out_count = len(review.failing), len(out_of_running(review))
    line = f"{failing} of {len(review.ranking)} platform(s) fail at least one must-have requirement"
    if out_count:
        line += f"; {out_count} of them are out of the running whatever the file says"
    out.append(line + ".")
    target = review.report.target
    ranked = next((r for r in review.ranking if r.id == target), None) if target else None
    if ranked is not None:
        out.append(f"The chosen target, {code(target)}, ranks #{ranked.rank} with verdict {SYMBOL[ranked.verdict]}.")
    rereview = review.report.rereview
    if rereview is not None and rereview_shown(review.report) and rereview.moved():
        moved = ", ".join(f"{code(p.platform)}" for p in rereview.platforms if p.then != p.now)
        out.append(f"Verdicts changed since {rereview.since.isoformat()} for {moved}: see what changed.")
    return out + [""]


def _decision(review: Review, citations: Citations) -> list[str]:
    out = ["## Decision table", "", "| # | platform | verdict | fail | warn | unknown | known |", "|---|---|---|---|---|---|---|"]
    for r in contenders(review):
        if r.verdict is Severity.UNKNOWN:  # nothing judged at all
            verdict = f"❔ {r.unknowns} unknown"
        else:
            verdict = SYMBOL[r.verdict] + (f", {r.unknowns} unknown" if r.unknowns else "")
        out.append(f"| {r.rank} | {_name(r)} | {verdict} | {r.fails} | {r.warns} | {r.unknowns} | {known_text(r)} |")
    out += ["", "Known: how many of the facts this file needs orchlint knows for the platform.", ""]
    gone = out_of_running(review)
    if gone:
        out += ["Out of the running whatever the file says:", ""]
        for ranked, finding in gone:
            out.append(f"- {_name(ranked)}: {md(short_message(finding))} ({code(finding.rule)}){_refs(citations, finding.sources)}")
        out.append("")
    return out


def _unknowns(review: Review, citations: Citations) -> list[str]:
    out = ["## What orchlint does not know", ""]
    rows = unknown_rows(review)
    if not rows:
        return out + ["orchlint knows every fact this file needs for the platforms in the running.", ""]
    out += ["| platform | requirement | why |", "|---|---|---|"]
    for row in rows:
        keys = ", ".join(code(k) for k in row.requirements)
        why = "no fact" if not row.searched else f"researched, no public source settles it (searched: {md(row.searched)})"
        out.append(f"| {code(row.platform.id)} | {keys} | {why} |")
    return out + [""]


def _to_change(review: Review, citations: Citations) -> list[str]:
    out = ["## What would have to change", ""]
    failing = failing_contenders(review)
    if not failing:
        return out + ["No platform in the running fails; nothing would have to change.", ""]
    for ranked in failing:
        out.append(f"- **{md(ranked.result.platform.name)}** ({code(ranked.id)}): {to_become_viable(ranked.to_change(), _key)}.")
    return out + [""]


def _rereview(review: Review, citations: Citations) -> list[str]:
    rereview = review.report.rereview
    if rereview is None or not rereview_shown(review.report):
        return []
    since, as_of = rereview.since.isoformat(), rereview.as_of.isoformat()
    out = [f"## What changed since {since}", ""]
    out += [f"Verdicts on {since} ({md(rereview.basis)}) beside {as_of}:", ""]
    for platform in rereview.changed:
        out.append(f"- {code(platform.platform)}: {SYMBOL[platform.then]} → {SYMBOL[platform.now]}")
        for change in platform.changes:
            head, fact = change_parts(change)
            source = change.fact_now or change.fact_then
            refs = _refs(citations, source.sources[:1]) if source is not None else ""
            out.append(f"  - {code(head)}" + (f"; {md(fact)}" if fact else "") + refs)
    same = [p.platform for p in rereview.platforms if p not in rereview.changed]
    if same:
        out += ["", "Unchanged: " + ", ".join(f"{code(p)}" for p in same) + "."]
    return out + [""]


def _matrix(review: Review, citations: Citations) -> list[str]:
    report = review.report
    ranked = contenders(review)
    out = ["## Requirements × platforms", ""]
    out.append("| requirement | value | priority | " + " | ".join(f"{code(r.id)}" for r in ranked) + " |")
    out.append("|---|---|---|" + "---|" * len(ranked))
    for row in review.rows:
        cells = [SYMBOL[review.matrix[(row, r.id)]] if (row, r.id) in review.matrix else "–" for r in ranked]
        if row in report.requirements:
            value, prio = md(readable(report.requirements[row])), requirement_priority(review, row)
        else:
            value, prio = "every file", "must"
        out.append(f"| {code(row)} | {value} | {prio} | " + " | ".join(cells) + " |")
    out.append("")
    if not report.requirements:
        out += ["The file states no requirements; only the rules for every file were evaluated.", ""]
    return out


FINDINGS_INTRO = (
    "For each platform in the running, what fails (and on a viable platform or the target, what warns), "
    "with the fact behind it; what passes is in the matrix, what is unknown in the table above."
)


def _findings(review: Review, citations: Citations) -> list[str]:
    out = ["## Findings", ""]
    out += [FINDINGS_INTRO, ""]
    notes: set[str] = set()
    for ranked in contenders(review):
        out += [f"### {_name(ranked)}: {SYMBOL[ranked.verdict]}", ""]
        shown = detailed(review, ranked)
        if not shown:
            out.append(f"Nothing fails or warns: {ranked.passes} finding(s) pass.")
        for finding in shown:
            out += _finding(finding, citations, notes)
        also = warned(review, ranked)
        if also:
            out += ["", "It also warns on " + ", ".join(code(k) for k in also) + " (see the matrix)."]
        out.append("")
    return out


def _finding(finding: Finding, citations: Citations, notes: set[str]) -> list[str]:
    where = _key(finding.requirement) if finding.requirement else "every file"
    prio = f" ({finding.priority})" if finding.priority != "must" else ""
    waiver = finding.waiver
    badge = f"🔕 waived ({SYMBOL[finding.severity]})" if waiver is not None else SYMBOL[finding.severity]
    lines = [f"- {badge} {where}{prio}: {md(short_message(finding))}"]
    if waiver is not None:
        lines.append(f"  - waived until {waiver.expires.isoformat()} by {md(waiver.owner)} (waiver at line {waiver.line}): {md(waiver.reason)}")
    detail = []
    fact = finding.fact
    if fact is not None:
        value = "unknown (researched)" if fact.searched else fact_value(fact.key, fact.value)
        detail.append(f"{code(fact.key)}: {md(value)}, {md(fact.window_basis())}.")
        for text in (fact.note, f"The posts said: {fact.posts_said}" if fact.posts_said else ""):
            if text and text not in notes:
                notes.add(text)
                detail.append(md(text))
    detail.append(f"Rule {code(finding.rule)}, line {finding.line}.{_refs(citations, finding.sources)}")
    lines.append("  - " + " ".join(detail))
    return lines


def _waivers(review: Review, citations: Citations) -> list[str]:
    report = review.report
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


def _notices(review: Review, citations: Citations) -> list[str]:
    notices = review.report.notices
    if not notices:
        return []
    out = ["## Notices", ""]
    out += [f"- line {n.line}, column {n.column}: `{n.kind}` {md(n.message)}" for n in notices]
    return out + [""]


def rationale_md(text: str) -> str:
    """A rule's reStructuredText rationale as Markdown: ``literals`` as code spans, the rest escaped."""
    def text_run(t: str) -> str:  # md() trims, and the spaces around a code span must stay
        return (" " if t[:1].isspace() else "") + md(t) + (" " if t[-1:].isspace() else "")

    return " ".join("".join(code(t) if is_code else text_run(t) for t, is_code in runs) for runs in rationale_parts(text))


def _rules(review: Review, rules: Mapping[str, Rule]) -> list[str]:
    used = sorted({f.rule for r in review.ranking for f in r.result.findings})
    out = ["## Rules applied", ""]
    for rule_id in used:
        rule = rules.get(rule_id)
        if rule is None:
            out.append(f"- {code(rule_id)}")
            continue
        why = f": {rationale_md(rule.rationale)}" if rule.rationale else ""
        out.append(f"- {code(rule_id)} — **{md(rule.title)}**{why}")
    return out + [""]


def _knowledge(review: Review, citations: Citations) -> list[str]:
    out = ["## Sources", ""]
    evaluation = review.report.evaluation
    assert evaluation is not None
    out.append(
        f"Evaluated with the facts that held on {evaluation.as_of.isoformat()}. The sources cited above, by number; "
        "every finding with its fact and sources is in `orchlint check FILE --format json` and "
        "`orchlint explain RULE --platform ID`."
    )
    out.append("")
    listed = citations.listed()
    if not listed:
        return out + ["Nothing above cites a source."]
    out += [f"{number}. {md(source.cite())}" for number, source in listed]
    return out
