"""``html``: the architecture-review document as one self-contained page, for screen and print.

It lays out the same review model as the Markdown document (``orchlint.formatters.review``), in
the same sections and order; the judgements are made there. Markup comes only from literals here
and in ``html_page``; every other string goes through ``esc``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from orchlint.formatters.base import Formatter, RunInfo
from orchlint.formatters.html_page import (
    PAGE_TAIL,
    SYMBOL,
    anchor,
    badge,
    esc,
    link,
    page_head,
    priority,
)
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
    short_url,
    to_become_viable,
    unknown_rows,
    warned,
)
from orchlint.lint.report import FileReport, RunSummary
from orchlint.model import Finding, Severity, Source
from orchlint.rulekit import Rule


class HtmlFormatter(Formatter):
    name = "html"
    description = "architecture-review document as one self-contained HTML page (inline CSS, no scripts)"

    def start(self, run: RunInfo) -> None:
        super().start(run)
        self.count = 0

    def write(self, report: FileReport) -> None:
        if not self.count:
            # The first file names the page; later files follow as further articles.
            self.stream.write(page_head(f"Architecture review: {report.name or report.path}"))
        self.count += 1
        rules = {rule.id: rule for rule in self.run.rules}
        doc = render(report, self.run.as_of.isoformat(), rules, prefix=f"d{self.count}")
        self.stream.write("\n".join(doc) + "\n")

    def finish(self, summary: RunSummary) -> None:
        if not self.count:
            self.stream.write(page_head("Architecture review"))
        if summary.plugin_errors:
            self.stream.write('<section id="plugin-errors">\n<h2>Plugin errors</h2>\n<ul>\n')
            for error in summary.plugin_errors:
                self.stream.write(f"<li><code>{esc(error.plugin)}</code>: {esc(error.message)}</li>\n")
            self.stream.write("</ul>\n</section>\n")
        self.stream.write(f"<footer>Written by orchlint {esc(self.run.version)}.</footer>\n" + PAGE_TAIL)


def render(report: FileReport, as_of: str, rules: Mapping[str, Rule], prefix: str = "d1") -> list[str]:
    """One file's review as an ``<article>``; ``prefix`` keeps anchors unique when a page holds several."""
    title = report.name or report.path
    out = [f'<article id="{anchor(prefix)}">', f"<h1>Architecture review: {esc(title)}</h1>"]
    meta = f"File <code>{esc(report.path)}</code>, evaluated with the knowledge of <strong>{esc(as_of)}</strong> by orchlint."
    out.append(f'<p class="meta">{meta}</p>')
    if report.errors:
        out += [_open(prefix, "errors", "The file could not be evaluated"), "<ul>"]
        out += [f"<li>line {esc(e.line or 1)}, column {esc(e.column or 1)}: {esc(e.message)}</li>" for e in report.errors]
        return out + ["</ul>", "</section>", "</article>"]
    review = build_review(report)
    citations = cited_sources(review)
    for section in (_summary, _decision, _unknowns, _to_change, _rereview, _matrix, _findings, _waivers, _notices):
        out += section(review, prefix, citations)
    out += _rules(review, rules, prefix) + _knowledge(review, prefix, citations)
    return out + ["</article>"]


def _open(prefix: str, name: str, title: str) -> str:
    return f'<section id="{anchor(prefix, name)}">\n<h2>{title}</h2>'


def _name(ranked: RankedPlatform) -> str:
    return f"{esc(ranked.result.platform.name)} <code>{esc(ranked.id)}</code>"


def _refs(citations: Citations, sources: Sequence[Source], prefix: str) -> str:
    """``[3, 4]``, each number linked to the source in the numbered list at the end."""
    numbers = citations.cite(sources)
    if not numbers:
        return ""
    return ' <span class="refs">[' + ", ".join(f'<a href="#{anchor(prefix, "src", n)}">{n}</a>' for n in numbers) + "]</span>"


def _summary(review: Review, prefix: str, citations: Citations) -> list[str]:
    out = [_open(prefix, "summary", "Executive summary")]
    recommended = review.recommended
    if recommended:
        names = ", ".join(f"<strong>{esc(r.result.platform.name)}</strong>" for r in recommended)
        best = recommended[0]
        why = f"no requirement fails, {best.warns} warning(s), {best.passes} requirement(s) met"
        text = f"Recommended: {names} ({why})."
        out.append(f'<p class="summary ok">{text}</p>')
    elif review.unsure:
        text = "<strong>No platform is known to meet every must-have requirement.</strong>"
        for ranked in review.unsure:
            keys = ", ".join(f"<code>{esc(f.requirement or f.rule)}</code>" for f in ranked.unknown_musts)
            text += f" {esc(ranked.result.platform.name)} would be viable if orchlint knew: {keys}."
        out.append(f'<p class="summary none">{text}</p>')
    else:
        text = "<strong>No platform is viable</strong>: every platform fails at least one must-have requirement."
        closest = review.ranking[0] if review.ranking else None
        if closest is not None:
            text += f" The closest is {esc(closest.result.platform.name)}, with {closest.fails} failing finding(s);"
            text += f' see <a href="#{anchor(prefix, "to-change")}">what would have to change</a>.'
        out.append(f'<p class="summary none">{text}</p>')
    failing, out_count = len(review.failing), len(out_of_running(review))
    line = f"{failing} of {len(review.ranking)} platform(s) fail at least one must-have requirement"
    if out_count:
        line += f"; {out_count} of them are out of the running whatever the file says"
    out.append(f"<p>{line}.</p>")
    target = review.report.target
    ranked = next((r for r in review.ranking if r.id == target), None) if target else None
    if ranked is not None:
        out.append(f"<p>The chosen target, <code>{esc(target)}</code>, ranks #{ranked.rank} with verdict {badge(ranked.verdict)}.</p>")
    rereview = review.report.rereview
    if rereview is not None and rereview_shown(review.report) and rereview.moved():
        moved = ", ".join(f"<code>{esc(p.platform)}</code>" for p in rereview.platforms if p.then != p.now)
        since = esc(rereview.since.isoformat())
        out.append(f'<p>Verdicts changed since {since} for {moved}: see <a href="#{anchor(prefix, "rereview")}">what changed</a>.</p>')
    return out + ["</section>"]


def _decision(review: Review, prefix: str, citations: Citations) -> list[str]:
    out = [_open(prefix, "decision", "Decision table"), "<table>"]
    out.append("<tr><th>#</th><th>platform</th><th>verdict</th><th>fail</th><th>warn</th><th>unknown</th><th>known</th></tr>")
    for r in contenders(review):
        counts = "".join(f'<td class="num">{n}</td>' for n in (r.fails, r.warns, r.unknowns))
        if r.verdict is Severity.UNKNOWN:  # nothing judged at all
            verdict = badge(Severity.UNKNOWN, r.unknowns)
        else:
            verdict = badge(r.verdict) + (" " + badge(Severity.UNKNOWN, r.unknowns) if r.unknowns else "")
        out.append(f'<tr><td class="num">{r.rank}</td><td>{_name(r)}</td><td>{verdict}</td>{counts}<td>{known_text(r)}</td></tr>')
    out.append("</table>")
    out.append('<p class="muted">Known: how many of the facts this file needs orchlint knows for the platform.</p>')
    gone = out_of_running(review)
    if gone:
        out.append("<p>Out of the running whatever the file says:</p>")
        out.append('<ul class="out">')
        for ranked, finding in gone:
            why = esc(short_message(finding)) + f" (<code>{esc(finding.rule)}</code>)"
            out.append(f"<li>{_name(ranked)}: {why}{_refs(citations, finding.sources, prefix)}</li>")
        out.append("</ul>")
    return out + ["</section>"]


def _unknowns(review: Review, prefix: str, citations: Citations) -> list[str]:
    out = [_open(prefix, "unknowns", "What orchlint does not know")]
    rows = unknown_rows(review)
    if not rows:
        return out + ["<p>orchlint knows every fact this file needs for the platforms in the running.</p>", "</section>"]
    out += ['<table class="wide unknowns">', "<tr><th>platform</th><th>requirement</th><th>why</th></tr>"]
    for row in rows:
        keys = ", ".join(f"<code>{esc(k)}</code>" for k in row.requirements)
        why = "no fact" if not row.searched else f"researched, no public source settles it (searched: {esc(row.searched)})"
        out.append(f"<tr><td><code>{esc(row.platform.id)}</code></td><td>{keys}</td><td>{why}</td></tr>")
    return out + ["</table>", "</section>"]


def _to_change(review: Review, prefix: str, citations: Citations) -> list[str]:
    out = [_open(prefix, "to-change", "What would have to change")]
    failing = failing_contenders(review)
    if not failing:
        return out + ["<p>No platform in the running fails; nothing would have to change.</p>", "</section>"]
    out.append('<ul class="tight">')
    for ranked in failing:
        needed = to_become_viable(ranked.to_change(), lambda key: f"<code>{esc(key.removeprefix('requirements.'))}</code>")
        out.append(f"<li><strong>{esc(ranked.result.platform.name)}</strong> <code>{esc(ranked.id)}</code>: {needed}.</li>")
    return out + ["</ul>", "</section>"]


def _rereview(review: Review, prefix: str, citations: Citations) -> list[str]:
    rereview = review.report.rereview
    if rereview is None or not rereview_shown(review.report):
        return []
    since, as_of = esc(rereview.since.isoformat()), esc(rereview.as_of.isoformat())
    out = [_open(prefix, "rereview", f"What changed since {since}")]
    out.append(f"<p>Verdicts on {since} ({esc(rereview.basis)}) beside {as_of}:</p>")
    out.append('<table class="wide">')
    out.append(f"<tr><th>platform</th><th>{since}</th><th>{as_of}</th><th>what changed</th></tr>")
    for platform in rereview.changed:
        items = []
        for change in platform.changes:
            head, fact = change_parts(change)
            fact_source = change.fact_now or change.fact_then
            refs = _refs(citations, fact_source.sources[:1], prefix) if fact_source is not None else ""
            items.append(f"<li><code>{esc(head)}</code>" + (f"; {esc(fact)}" if fact else "") + f"{refs}</li>")
        changes = f'<ul>{"".join(items)}</ul>' if items else '<span class="muted">nothing</span>'
        cells = f"<td>{badge(platform.then)}</td><td>{badge(platform.now)}</td><td>{changes}</td>"
        out.append(f"<tr><td><code>{esc(platform.platform)}</code></td>{cells}</tr>")
    out.append("</table>")
    same = [p.platform for p in rereview.platforms if p not in rereview.changed]
    if same:
        out.append(f'<p class="muted">Unchanged: {", ".join(f"<code>{esc(p)}</code>" for p in same)}.</p>')
    return out + ["</section>"]


def _matrix(review: Review, prefix: str, citations: Citations) -> list[str]:
    report = review.report
    ranked = contenders(review)
    out = [_open(prefix, "matrix", "Requirements × platforms"), '<table class="matrix">']
    heads = "".join(f'<th class="platform" title="{esc(r.result.platform.name)}"><code>{esc(r.id)}</code></th>' for r in ranked)
    out.append(f"<tr><th>requirement</th><th>value</th><th>priority</th>{heads}</tr>")
    for row in review.rows:
        cells = []
        for r in ranked:
            sev = review.matrix.get((row, r.id))
            if sev is None:
                cells.append('<td class="none">–</td>')
            else:
                cells.append(f'<td class="{sev.label}">{SYMBOL[sev]} {sev.label}</td>')
        if row in report.requirements:
            value = esc(readable(report.requirements[row]))
            prio = priority(requirement_priority(review, row))
        else:
            value, prio = '<span class="muted">every file</span>', priority("must")
        out.append(f'<tr><th class="row"><code>{esc(row)}</code></th><td class="value">{value}</td><td>{prio}</td>{"".join(cells)}</tr>')
    out.append("</table>")
    if not report.requirements:
        out.append("<p>The file states no requirements; only the rules for every file were evaluated.</p>")
    legend = " ".join(f"<span>{badge(s)}</span>" for s in Severity)
    out.append(f'<p class="legend muted">Each cell is the worst finding for that requirement: {legend} <span>– not evaluated</span></p>')
    return out + ["</section>"]


def _findings(review: Review, prefix: str, citations: Citations) -> list[str]:
    out = [_open(prefix, "findings", "Findings")]
    out.append(
        '<p class="muted">For each platform in the running, what fails (and on a viable platform or the target, what warns), '
        "with the fact behind it; what passes is in the matrix, what is unknown in the table above.</p>"
    )
    notes: set[str] = set()
    for ranked in contenders(review):
        platform = ranked.result.platform
        out.append(f'<section id="{anchor(prefix, "platform", platform.id)}" class="platform">')
        out.append(f"<h3>{esc(platform.name)} <code>{esc(platform.id)}</code> {badge(ranked.verdict)}</h3>")
        shown = detailed(review, ranked)
        if not shown:
            out.append(f"<p>Nothing fails or warns: {ranked.passes} finding(s) pass.</p>")
        else:
            out.append('<ul class="findings">')
            out += [_finding(finding, prefix, citations, notes) for finding in shown]
            out.append("</ul>")
        also = warned(review, ranked)
        if also:
            keys = ", ".join(f"<code>{esc(k)}</code>" for k in also)
            out.append(f'<p class="also">It also warns on {keys} (see the matrix).</p>')
        out.append("</section>")
    return out + ["</section>"]


def _finding(finding: Finding, prefix: str, citations: Citations | None = None, notes: set[str] | None = None) -> str:
    """One finding: its result, requirement and short message, then the fact behind it with its
    note (unless the document showed that note already), the rule and the sources' numbers."""
    citations = citations if citations is not None else Citations()
    notes = notes if notes is not None else set()
    where = f"<code>{esc(finding.requirement.removeprefix('requirements.'))}</code>" if finding.requirement else "every file"
    rule = f'<a href="#{anchor(prefix, "rule", finding.rule)}"><code>{esc(finding.rule)}</code></a>'
    prio = f" {priority(finding.priority)}" if finding.priority != "must" else ""
    waiver = _waiver(finding)
    head = f"{badge(finding.severity)}{' ' + waiver if waiver else ''} {where}{prio}: {esc(short_message(finding))}"
    parts = [f'<li class="finding {finding.severity.label}">{head}']
    fact = finding.fact
    detail = []
    if fact is not None:
        value = "unknown (researched)" if fact.searched else fact_value(fact.key, fact.value)
        detail.append(f"<code>{esc(fact.key)}</code>: {esc(value)}, {esc(fact.window_basis())}.")
        for text in (fact.note, f"The posts said: {fact.posts_said}" if fact.posts_said else ""):
            if text and text not in notes:
                notes.add(text)
                detail.append(esc(text))
    detail.append(f"Rule {rule}, line {finding.line}.{_refs(citations, finding.sources, prefix)}")
    parts.append(' <span class="fact">' + " ".join(detail) + "</span>")
    return "".join(parts) + "</li>"


def _waiver(finding: Finding) -> str:
    # Waivers come from another part of orchlint; anything with a reason (or a string) is shown.
    waiver = getattr(finding, "waiver", None)
    if not waiver:
        return ""
    reason = getattr(waiver, "reason", None) or (waiver if isinstance(waiver, str) else "")
    until = getattr(waiver, "expires", None) or getattr(waiver, "until", None)
    text = "waived" + (f": {reason}" if reason else "") + (f" (until {until})" if until else "")
    return f'<span class="waived">{esc(text)}</span>'


def _waivers(review: Review, prefix: str, citations: Citations) -> list[str]:
    report = review.report
    if not report.waivers:
        return []
    waived: dict[object, int] = {}
    for result in report.results:
        for finding in result.findings:
            if finding.waiver is not None:
                waived[finding.waiver] = waived.get(finding.waiver, 0) + 1
    out = [_open(prefix, "waivers", "Accepted risks (waivers)"), '<table class="wide">']
    out.append("<tr><th>line</th><th>rule</th><th>platform</th><th>requirement</th><th>owner</th><th>expires</th><th>waives</th><th>reason</th></tr>")
    for w in report.waivers:
        cells = (
            str(w.line), f"<code>{esc(w.rule)}</code>", f"<code>{esc(w.platform)}</code>" if w.platform else "any",
            f"<code>{esc(w.requirement)}</code>" if w.requirement else "any", esc(w.owner), esc(w.expires.isoformat()),
            f"{waived.get(w, 0)} finding(s)", esc(w.reason),
        )  # fmt: skip
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return out + ["</table>", "</section>"]


def _notices(review: Review, prefix: str, citations: Citations) -> list[str]:
    notices = review.report.notices
    if not notices:
        return []
    out = [_open(prefix, "notices", "Notices"), '<ul class="tight">']
    out += [f"<li>line {n.line}, column {n.column}: <code>{esc(n.kind)}</code> {esc(n.message)}</li>" for n in notices]
    return out + ["</ul>", "</section>"]


def rationale_html(text: str) -> str:
    """A rule's reStructuredText rationale: ``literals`` as code, paragraphs kept, the rest escaped."""
    paragraphs = rationale_parts(text)
    return " ".join(
        "<span class=\"para\">" + "".join(f"<code>{esc(t)}</code>" if is_code else esc(t) for t, is_code in runs) + "</span>"
        for runs in paragraphs
    )


def _rules(review: Review, rules: Mapping[str, Rule], prefix: str) -> list[str]:
    used = sorted({f.rule for r in review.ranking for f in r.result.findings})
    out = [_open(prefix, "rules", "Rules applied"), '<dl class="rules">']
    for rule_id in used:
        rule = rules.get(rule_id)
        title = f" — {esc(rule.title)}" if rule else ""
        out.append(f'<dt id="{anchor(prefix, "rule", rule_id)}"><code>{esc(rule_id)}</code>{title}</dt>')
        if rule is not None and rule.rationale:
            out.append(f"<dd>{rationale_html(rule.rationale)}</dd>")
    return out + ["</dl>", "</section>"]


def _knowledge(review: Review, prefix: str, citations: Citations) -> list[str]:
    evaluation = review.report.evaluation
    assert evaluation is not None
    out = [_open(prefix, "knowledge", "Sources")]
    out.append(
        f"<p>Evaluated with the facts that held on {esc(evaluation.as_of.isoformat())}. The sources cited above, by number; "
        "every finding with its fact and sources is in <code>orchlint check FILE --format json</code> and "
        "<code>orchlint explain RULE --platform ID</code>.</p>"
    )
    listed = citations.listed()
    if not listed:
        return out + ['<p class="muted">Nothing above cites a source.</p>', "</section>"]
    out.append('<ol class="sources">')
    for number, source in listed:
        text = source.title + (f" §{source.section}" if source.section else "")
        if source.url and source.url == source.title:
            text = short_url(source.url)  # the link keeps the whole address
        shown = link(source.url, text) if source.url else esc(text)
        date = f' <span class="muted">({esc(source.date.isoformat())})</span>' if source.date else ""
        out.append(f'<li id="{anchor(prefix, "src", number)}" value="{number}">{shown}{date}</li>')
    return out + ["</ol>", "</section>"]
