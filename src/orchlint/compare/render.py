"""Text, JSON and Markdown for ``orchlint diff`` and ``orchlint what-if``.

The Markdown is meant to be posted as a pull-request comment: the verdict changes come first,
in one sentence each, and the detail folds away under <details>.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable

from orchlint.compare.diff import Diff, FindingChange, PlatformDiff, Quote
from orchlint.formatters.markdown import SYMBOL, code, escape_md, md
from orchlint.support.terminal import clean
from orchlint.model import Severity

FORMATS = ("text", "json", "markdown")
_LABEL_SYMBOL = {s.label: SYMBOL[s] for s in Severity} | {"waived": "🔕 waived", "none": "– none"}


def render(diff: Diff, fmt: str, title: str = "") -> str:
    if fmt == "json":
        return json.dumps(diff.to_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return "\n".join(_markdown(diff, title)) + "\n"
    return "\n".join(_text(diff, title)) + "\n"


def _gate(diff: Diff) -> str:
    if diff.old_errors or diff.new_errors:
        return "a file could not be evaluated: exit 2"
    worse = diff.worse
    if worse:
        return f"{len(worse)} deciding platform(s) got worse ({', '.join(worse)}): exit 1"
    return "no deciding platform got worse: exit 0"


def _text(diff: Diff, title: str) -> list[str]:
    out = [clean(title or f"orchlint diff: {diff.old_path} → {diff.new_path} (as of {diff.as_of})")]
    for label, path, errors in (("old", diff.old_path, diff.old_errors), ("new", diff.new_path, diff.new_errors)):
        for e in errors:
            out.append(f"{clean(path)}:{e.line or 1}:{e.column or 1} error ({label}) {clean(e.message)}")
    if diff.changes:
        out.append("file changes:")
        out += [f"  {clean(c.describe())}" for c in diff.changes]
    else:
        out.append("file changes: none that can change a verdict")
    moved = [p for p in diff.platforms if p.change != "same"]
    out += [clean(p.headline()) for p in moved]
    for platform in diff.platforms:
        if not platform.findings and platform.change == "same":
            continue
        deciding = " (deciding)" if platform.deciding else ""
        change = "" if platform.change == "same" else f", {platform.change}"
        out.append(f"{platform.platform}{deciding}: {platform.old.label} → {platform.new.label}{change}")
        for finding in platform.findings:
            out += _text_finding(finding)
    same = [p for p in diff.platforms if not p.findings and p.change == "same"]
    if same:
        out.append("unchanged: " + ", ".join(f"{p.platform} ({p.new.label})" for p in same))
    out.append(_gate(diff))
    return out


def _text_finding(finding: FindingChange) -> list[str]:
    where = f" {finding.requirement}" if finding.requirement else ""
    line = f"line {finding.line}" if finding.side == "new" else f"old line {finding.line}"
    lines = [f"  {finding.rule}{where}: {finding.old_label} → {finding.new_label} ({line}): {clean(finding.message)}"]
    if finding.causes:
        lines.append("    because " + "; ".join(clean(c.describe()) for c in finding.causes))
    return lines


def _markdown(diff: Diff, title: str) -> list[str]:
    heading = md(title) if title else f"{code(diff.new_path)} compared with {code(diff.old_path)}"
    out = [f"### orchlint: {heading}", ""]
    out.append(f"*Both judged with the knowledge of **{diff.as_of}**.*")
    out.append("")
    errors = [(diff.old_path, e) for e in diff.old_errors] + [(diff.new_path, e) for e in diff.new_errors]
    if errors:
        out += ["**A file could not be evaluated:**", ""]
        out += [f"- {code(path)} line {e.line or 1}, column {e.column or 1}: {md(e.message)}" for path, e in errors]
        out += ["", f"**Gate:** {md(_gate(diff))}"]
        return out
    moved = [p for p in diff.platforms if p.change != "same"]
    for platform in moved:
        mark = "❌" if platform.change == "worse" else "✅"
        sentence = _md_change(platform.headline)
        strong = "**" if platform.deciding and platform.change == "worse" else ""
        out.append(f"- {mark} {strong}{sentence[0].upper()}{sentence[1:]}{strong}")
    if not moved:
        out.append("No platform's verdict changed.")
    out += ["", "| platform | before | after | change |", "|---|---|---|---|"]
    for p in diff.platforms:
        deciding = " (deciding)" if p.deciding else ""
        change = {"worse": "⬇️ worse", "better": "⬆️ better", "same": "–"}[p.change]
        out.append(f"| {code(p.platform)}{deciding} | {SYMBOL[p.old]} | {SYMBOL[p.new]} | {change} |")
    out.append("")
    out += _details(f"File changes ({len(diff.changes)})", [f"- {_md_change(c.describe)}" for c in diff.changes])
    changed = [p for p in diff.platforms if p.findings]
    body: list[str] = []
    for p in changed:
        body += [f"#### {code(p.platform)}: {SYMBOL[p.old]} → {SYMBOL[p.new]}", ""]
        body += [_md_finding(f) for f in p.findings]
        body.append("")
    count = sum(len(p.findings) for p in changed)
    out += _details(f"Finding changes ({count})", body)
    out.append(f"**Gate:** {md(_gate(diff))}")
    return out


def _md_change(describe: Callable[[Quote], str]) -> str:
    """A sentence ``describe`` makes, its free text escaped and each part it quotes a code span
    (where escapes do not work). The quoted parts are marked with a nonce: the free text holds
    the file's own words (a waiver's owner), which could otherwise forge or break a marker."""
    nonce = os.urandom(8).hex()
    quoted = re.compile(f"\x00{nonce}(.*?){nonce}\x01", re.DOTALL)
    out = []
    for index, part in enumerate(quoted.split(describe(lambda text: f"\x00{nonce}{text}{nonce}\x01"))):
        out.append(code(part) if index % 2 else escape_md(clean(re.sub(r"\s+", " ", part))))
    return "".join(out)


def _md_finding(finding: FindingChange) -> str:
    line = f"line {finding.line}" if finding.side == "new" else f"old line {finding.line}"
    where = f" ({code(finding.requirement)}, {line})" if finding.requirement else f" ({line})"
    text = (
        f"- **{md(finding.rule)}**{where}: {_LABEL_SYMBOL[finding.old_label]} → {_LABEL_SYMBOL[finding.new_label]}: "
        f"{md(finding.message)}"
    )
    if finding.causes:
        text += " — because " + "; ".join(_md_change(c.describe) for c in finding.causes)
    return text


def _details(summary: str, body: list[str]) -> list[str]:
    while body and not body[-1]:
        body = body[:-1]
    if not body:
        return []
    return ["<details><summary>" + md(summary) + "</summary>", "", *body, "", "</details>", ""]


__all__ = ["FORMATS", "PlatformDiff", "render"]
