"""The page around the HTML review document: inline CSS and the escaping helpers it is built with.

Every string that reaches the page goes through ``esc``; markup is only ever produced here and in
``html.py`` from literals. The page fetches nothing: no scripts, fonts, images or style sheets.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlsplit

from orchlint.model import Severity, Source
from orchlint.support.terminal import clean_lines

# Symbol and word beside the colour, so that a greyscale print or a colour-blind reader loses nothing.
SYMBOL = {Severity.PASS: "✓", Severity.WARN: "⚠", Severity.FAIL: "✗", Severity.UNKNOWN: "?"}

CSS = """
:root { --pass: #1a7f37; --pass-bg: #dcf5e3; --warn: #8a5a00; --warn-bg: #fff1c2;
        --fail: #b42318; --fail-bg: #fde0dd; --unknown: #4f5b93; --unknown-bg: #e8eafa; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8fa; color: #1f2328; font: 15px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
article + article { border-top: 4px double var(--line); margin-top: 40px; padding-top: 8px; }
h1 { font-size: 28px; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 17px; margin: 22px 0 6px; }
p { margin: 6px 0; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.88em; background: #eff1f3; padding: 0 3px; border-radius: 3px; overflow-wrap: anywhere; }
a { color: #0550ae; }
.meta, .muted { color: var(--muted); }
.meta { margin: 0 0 8px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f0f3f6; }
td.num { text-align: right; }
table.wide { width: 100%; }
table.wide td { overflow-wrap: anywhere; }
table.wide th, table.wide td:first-child { white-space: nowrap; overflow-wrap: normal; }
td ul { margin: 0; padding-left: 18px; }
.sev { display: inline-block; font-weight: bold; padding: 0 6px; border-radius: 4px; white-space: nowrap; border: 1px solid currentColor; }
.sev-pass { color: var(--pass); background: var(--pass-bg); }
.sev-warn { color: var(--warn); background: var(--warn-bg); }
.sev-fail { color: var(--fail); background: var(--fail-bg); }
.sev-unknown { color: var(--unknown); background: var(--unknown-bg); border-style: dashed; }
.prio { font-variant: small-caps; font-weight: bold; }
.prio-must { color: var(--fail); }
.prio-should { color: var(--warn); }
.prio-could { color: var(--muted); }
.summary { border-left: 6px solid var(--line); padding: 10px 16px; background: #f6f8fa; font-size: 16px; }
.summary.ok { border-color: var(--pass); }
.summary.none { border-color: var(--fail); }
table.matrix th.platform { writing-mode: horizontal-tb; font-size: 13px; }
table.matrix td { text-align: center; font-weight: bold; white-space: nowrap; }
table.matrix td.pass { color: var(--pass); background: var(--pass-bg); }
table.matrix td.warn { color: var(--warn); background: var(--warn-bg); }
table.matrix td.fail { color: var(--fail); background: var(--fail-bg); }
table.matrix td.unknown { color: var(--unknown); background: var(--unknown-bg); }
table.matrix td.none { color: var(--muted); font-weight: normal; }
table.matrix th.row { font-weight: normal; }
.legend span { margin-right: 12px; }
ul.findings { list-style: none; padding: 0; margin: 6px 0; }
li.finding { border-left: 4px solid var(--line); padding: 3px 10px; margin: 4px 0; background: #fafbfc; }
li.finding.fail { border-color: var(--fail); }
li.finding.warn { border-color: var(--warn); }
li.finding.pass { border-color: var(--pass); }
li.finding.unknown { border-color: var(--unknown); border-left-style: dashed; }
li.finding .where, .refs { color: var(--muted); font-size: 13px; }
li.finding .fact { font-size: 13px; color: #3d444d; }
.refs a { color: var(--muted); }
.waived { display: inline-block; font-weight: bold; padding: 0 6px; border: 1px dashed var(--muted); border-radius: 4px; color: var(--muted); }
ul.tight, ul.out { margin: 4px 0; padding-left: 20px; }
table.matrix td.value { max-width: 22em; text-align: left; font-weight: normal; white-space: normal; }
table.unknowns td:nth-child(-n+2) { white-space: nowrap; }
dl.rules { columns: 3; column-gap: 28px; font-size: 13px; }
dl.rules dt { font-weight: bold; margin-top: 6px; break-after: avoid; }
dl.rules dd { margin: 1px 0 0 12px; break-before: avoid; }
dl.rules .para + .para::before { content: " "; }
ol.sources { columns: 3; column-gap: 28px; font-size: 13px; padding-left: 28px; margin: 4px 0; }
ol.sources li { overflow-wrap: anywhere; break-inside: avoid; }
footer { margin-top: 32px; font-size: 13px; color: var(--muted); }
@media print {
  @page { size: A4; margin: 11mm 10mm; }
  body { background: #fff; font: 8pt/1.3 "DejaVu Sans Condensed", "Arial Narrow", "Helvetica Neue", Arial, sans-serif; }
  main { max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h1 { font-size: 14pt; margin: 0 0 2px; }
  h2 { font-size: 10.5pt; margin: 9px 0 4px; padding-bottom: 1px; }
  h3 { font-size: 9pt; margin: 6px 0 2px; }
  p { margin: 3px 0; }
  th, td { padding: 1px 5px; }
  table { margin: 3px 0; }
  .summary { font-size: 9pt; padding: 4px 10px; }
  table.matrix th.platform, li.finding .fact, .refs, footer { font-size: 7pt; }
  dl.rules, ol.sources { font-size: 6.5pt; line-height: 1.25; column-gap: 14px; }
  ol.sources { padding-left: 22px; }
  li.finding { padding: 1px 6px; margin: 2px 0; border-left-width: 3px; }
  .sev { padding: 0 3px; border-radius: 2px; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, li.finding, .summary { break-inside: avoid; page-break-inside: avoid; }
  article + article { break-before: page; page-break-before: always; }
  a { color: inherit; text-decoration: none; }
  footer { margin-top: 8px; }
}
"""


def esc(text: Any) -> str:
    """Any user, fact or plugin text as literal HTML text (quotes too, so it is safe in attributes).

    Control characters and bidi overrides are shown as ``\\x1b`` or ``\\u202e``: a page is also
    printed to a terminal, where ESC starts a sequence (OSC 52 writes the clipboard), and a bidi
    override makes a browser show other text than is there."""
    return html.escape(clean_lines(str(text)), quote=True)


def badge(severity: Severity, count: int | None = None) -> str:
    """``✗ fail``; with a count, ``? 3 unknown``."""
    number = f"{count} " if count is not None else ""
    return f'<span class="sev sev-{severity.label}">{SYMBOL[severity]} {number}{severity.label}</span>'


def priority(name: str) -> str:
    return f'<span class="prio prio-{esc(name)}">{esc(name)}</span>'


def link(url: str, text: str) -> str:
    """A link to a cited source; anything but an http(s) URL is shown as text, never as a link."""
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return f'<a href="{esc(url)}">{esc(text)}</a>'
    return esc(text) + (f" &lt;{esc(url)}&gt;" if url != text else "")


def cite(source: Source) -> str:
    """``title §section`` (linked when it has a URL) and the source's date."""
    text = source.title + (f" §{source.section}" if source.section else "")
    out = link(source.url, text) if source.url else esc(text)
    if source.date:
        out += f' <span class="muted">({esc(source.date.isoformat())})</span>'
    return out


def anchor(*parts: Any) -> str:
    """An id attribute value: plugin rule ids may hold anything, ids must hold no space."""
    return esc("-".join("".join(c if c.isalnum() or c in "._-" else "_" for c in str(p)) for p in parts))


def page_head(title: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Belt and braces: even a browser that found markup we did not mean to write runs nothing.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
    )


PAGE_TAIL = "</main>\n</body>\n</html>\n"
