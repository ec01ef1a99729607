"""``html``: the architecture-review document as one self-contained page, for screen and print.

It lays out the same review model as the Markdown document (``orchlint.formatters.review``); the judgements
are made there. Markup comes only from literals here and in ``html_page``; every other string
goes through ``esc``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from orchlint.formatters.base import Formatter, RunInfo
from orchlint.formatters.html_page import PAGE_TAIL, SYMBOL, anchor, badge, cite, esc, link, page_head, priority
from orchlint.lint.report import FileReport, RunSummary
from orchlint.model import Finding, Severity
from orchlint.formatters.review import Review, build_review, to_become_viable
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
        out += [f"<li>line {e.line or 1}, column {e.column or 1}: {esc(e.message)}</li>" for e in report.errors]
        return out + ["</ul>", "</section>", "</article>"]
    review = build_review(report)
    for section in (_summary, _requirements, _ranking, _matrix, _to_change, _rereview, _platforms):
        out += section(review, prefix)
    out += _rules(review, rules, prefix) + _knowledge(review, prefix)
    return out + ["</article>"]


def _open(prefix: str, name: str, title: str) -> str:
    return f'<section id="{anchor(prefix, name)}">\n<h2>{title}</h2>'


def _platform_name(review: Review, platform_id: str) -> str:
    ranked = next((r for r in review.ranking if r.id == platform_id), None)
    return ranked.result.platform.name if ranked else platform_id


def _summary(review: Review, prefix: str) -> list[str]:
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
    failing = len(review.failing)
    out.append(f"<p>{failing} of {len(review.ranking)} platform(s) fail at least one must-have requirement.</p>")
    target = review.report.target
    ranked = next((r for r in review.ranking if r.id == target), None) if target else None
    if ranked is not None:
        out.append(f"<p>The chosen target, <code>{esc(target)}</code>, ranks #{ranked.rank} with verdict {badge(ranked.verdict)}.</p>")
    return out + ["</section>"]


def _requirements(review: Review, prefix: str) -> list[str]:
    report = review.report
    out = [_open(prefix, "requirements", "Requirements")]
    if not report.requirements:
        return out + ["<p>The file states no requirements; only the rules for every file were evaluated.</p>", "</section>"]
    out += ["<table>", "<tr><th>requirement</th><th>value</th><th>priority</th></tr>"]
    for key, value in report.requirements.items():
        shown = json.dumps(value, ensure_ascii=False, default=str)
        prio = priority(report.priorities.get(key, "must"))
        out.append(f"<tr><td><code>{esc(key)}</code></td><td><code>{esc(shown)}</code></td><td>{prio}</td></tr>")
    return out + ["</table>", "</section>"]


def _ranking(review: Review, prefix: str) -> list[str]:
    out = [_open(prefix, "ranking", "Ranking"), "<table>"]
    out.append("<tr><th>#</th><th>platform</th><th>verdict</th><th>fail</th><th>warn</th><th>pass</th><th>unknown</th></tr>")
    for r in review.ranking:
        name = f"{esc(r.result.platform.name)} <code>{esc(r.id)}</code>"
        counts = "".join(f'<td class="num">{n}</td>' for n in (r.fails, r.warns, r.passes, r.unknowns))
        out.append(f'<tr><td class="num">{r.rank}</td><td>{name}</td><td>{badge(r.verdict)}</td>{counts}</tr>')
    return out + ["</table>", "</section>"]


def _matrix(review: Review, prefix: str) -> list[str]:
    ids = [r.id for r in review.ranking]
    out = [_open(prefix, "matrix", "Requirements × platforms"), '<table class="matrix">']
    heads = "".join(f'<th class="platform" title="{esc(_platform_name(review, i))}"><code>{esc(i)}</code></th>' for i in ids)
    out.append(f"<tr><th>requirement</th>{heads}</tr>")
    for row in review.rows:
        cells = []
        for i in ids:
            sev = review.matrix.get((row, i))
            if sev is None:
                cells.append('<td class="none">–</td>')
            else:
                cells.append(f'<td class="{sev.label}">{SYMBOL[sev]} {sev.label}</td>')
        out.append(f'<tr><th class="row"><code>{esc(row)}</code></th>{"".join(cells)}</tr>')
    out.append("</table>")
    legend = " ".join(f"<span>{badge(s)}</span>" for s in Severity)
    out.append(f'<p class="legend muted">Each cell is the worst finding for that requirement: {legend} <span>– not evaluated</span></p>')
    return out + ["</section>"]


def _to_change(review: Review, prefix: str) -> list[str]:
    out = [_open(prefix, "to-change", "What would have to change")]
    if not review.failing:
        return out + ["<p>No platform fails; nothing would have to change.</p>", "</section>"]
    out.append("<p>For each platform that fails, the requirements that would have to be relaxed for it to become viable:</p>")
    out.append("<ul>")
    for ranked in review.failing:
        out.append(f"<li><strong>{esc(ranked.result.platform.name)}</strong> <code>{esc(ranked.id)}</code>:<ul>")
        for blocker in ranked.to_change():
            how = priority(blocker.priority) if blocker.relaxable else "every file; cannot be relaxed"
            messages = "; ".join(esc(f.message) for f in blocker.findings)
            out.append(f"<li><code>{esc(blocker.key)}</code> ({how}): {messages}</li>")
        out.append("</ul></li>")
    return out + ["</ul>", "</section>"]


def _rereview(review: Review, prefix: str) -> list[str]:
    rereview = review.report.rereview
    if rereview is None:
        return []
    since, as_of = rereview.since.isoformat(), rereview.as_of.isoformat()
    out = [_open(prefix, "rereview", f"What changed since {since}")]
    out.append(f"<p>Verdicts on {since} ({esc(rereview.basis)}) beside {as_of}:</p>")
    out.append('<table class="wide">')
    out.append(f"<tr><th>platform</th><th>{since}</th><th>{as_of}</th><th>what changed</th></tr>")
    for platform in rereview.platforms:
        changes = "".join(f"<li>{esc(change.explain())}</li>" for change in platform.changes)
        changes = f"<ul>{changes}</ul>" if changes else '<span class="muted">nothing</span>'
        cells = f"<td>{badge(platform.then)}</td><td>{badge(platform.now)}</td><td>{changes}</td>"
        out.append(f"<tr><td><code>{esc(platform.platform)}</code></td>{cells}</tr>")
    return out + ["</table>", "</section>"]


def _platforms(review: Review, prefix: str) -> list[str]:
    out = [_open(prefix, "findings", "Findings by platform")]
    for ranked in review.ranking:
        platform = ranked.result.platform
        out.append(f'<section id="{anchor(prefix, "platform", platform.id)}" class="platform">')
        out.append(f"<h3>{esc(platform.name)} <code>{esc(platform.id)}</code> {badge(ranked.verdict)}</h3>")
        if platform.summary:
            out.append(f"<p>{esc(platform.summary)}</p>")
        blocking = ranked.to_change()
        if blocking:
            needed = to_become_viable(blocking, lambda key: f"<code>{esc(key)}</code>")
            out.append(f'<p class="blockers"><strong>To become viable</strong>, {needed}</p>')
        out.append('<ul class="findings">')
        out += [_finding(finding, prefix) for finding in ranked.result.findings]
        out += ["</ul>", "</section>"]
    return out + ["</section>"]


def _finding(finding: Finding, prefix: str) -> str:
    where = f"<code>{esc(finding.requirement)}</code>" if finding.requirement else "every file"
    rule = f'<a href="#{anchor(prefix, "rule", finding.rule)}"><code>{esc(finding.rule)}</code></a>'
    head = f"{badge(finding.severity)} {rule} {_waiver(finding)}"
    where = f'<span class="where">{where} · {priority(finding.priority)} · line {finding.line}, column {finding.column}</span>'
    parts = [f'<li class="finding {finding.severity.label}">', f"<div>{head.rstrip()} {where}</div>"]
    parts.append(f"<p>{esc(finding.message)}</p>")
    fact = finding.fact
    if fact is not None:
        value = json.dumps(fact.value, sort_keys=True, ensure_ascii=False, default=str)
        if fact.searched:
            value = "unknown (researched; searched: " + "; ".join(fact.searched) + ")"
        dated = f"{esc(fact.window_basis())}, verified {fact.verified.isoformat()}"
        parts.append(f'<p class="fact">Fact: <code>{esc(fact.key)} = {esc(value)}</code> ({dated})</p>')
        if fact.posts_said:
            parts.append(f'<p class="fact">The posts said: {esc(fact.posts_said)}</p>')
    if finding.sources:
        parts.append('<p class="cites">Sources: ' + "; ".join(cite(s) for s in finding.sources) + "</p>")
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


def _rules(review: Review, rules: Mapping[str, Rule], prefix: str) -> list[str]:
    used = sorted({f.rule for r in review.ranking for f in r.result.findings})
    out = [_open(prefix, "rules", "Rules applied"), "<p>Why each rule exists:</p>", '<dl class="rules">']
    for rule_id in used:
        rule = rules.get(rule_id)
        title = f" — {esc(rule.title)}" if rule else ""
        out.append(f'<dt id="{anchor(prefix, "rule", rule_id)}"><code>{esc(rule_id)}</code>{title}</dt>')
        if rule is not None and rule.rationale:
            out.append(f"<dd>{esc(rule.rationale)}</dd>")
    return out + ["</dl>", "</section>"]


def _knowledge(review: Review, prefix: str) -> list[str]:
    evaluation = review.report.evaluation
    assert evaluation is not None
    out = [_open(prefix, "knowledge", "Knowledge used")]
    out.append(f"<p>Evaluated with the facts that held on {evaluation.as_of.isoformat()}. Sources cited above:</p>")
    out.append('<table class="wide">')
    out.append("<tr><th>source</th><th>section</th><th>dated</th><th>address</th></tr>")
    for source in review.sources():
        date = source.date.isoformat() if source.date else "undated"
        title = link(source.url, source.title) if source.url else esc(source.title)
        address = f"<code>{esc(source.url)}</code>" if source.url and source.url != source.title else ""
        out.append(f"<tr><td>{title}</td><td>{esc(source.section)}</td><td>{date}</td><td>{address}</td></tr>")
    return out + ["</table>", "</section>"]
