"""The default human-readable output: one line per finding, then a verdict matrix."""

from __future__ import annotations

from typing import Any

from orchlint.engine.results import Gate, PlatformResult
from orchlint.formatters.base import Formatter, RunInfo
from orchlint.lint.report import FileReport, RunSummary
from orchlint.model import Finding, Severity
from orchlint.support.terminal import clean

COLORS = {Severity.FAIL: "\033[31m", Severity.WARN: "\033[33m", Severity.PASS: "\033[32m", Severity.UNKNOWN: "\033[36m"}
RESET = "\033[0m"
MATRIX_ROWS = 50  # above this, the matrix lists only files that have no viable platform
MAX_LINE = 160  # a finding's line without -v: the fact's note and sources are for -v and JSON


def short_message(finding: Finding) -> str:
    """The message without the fact's note or the list of places searched (both shown with -v)."""
    text = finding.message
    fact = finding.fact
    if fact is not None and fact.note:
        for piece in (f": {fact.note}", f" ({fact.note})"):
            if piece in text:
                text = text.replace(piece, "", 1)
                break
    if fact is not None and fact.searched:
        cut = text.find(" (searched: ")
        text = text[:cut] if cut != -1 else text
    return text


def fit(message: str, head: int, limit: int = MAX_LINE) -> str:
    """The message, cut with an ellipsis so that a head ``head`` characters wide, a space and
    the message fit in ``limit`` characters."""
    room = max(limit - head - 1, 40)
    return message if len(message) <= room else message[: room - 1].rstrip() + "…"


def viable_text(report: FileReport, results: dict[str, PlatformResult], threshold: Gate) -> str:
    """The viable platforms, those fully known first; ``nomad?`` is viable only while some of
    its must-have requirements are unknown."""
    viable = report.viable(threshold)
    known = [p for p in viable if not results[p].unknown_musts]
    unsure = [f"{p}?" for p in viable if results[p].unknown_musts]
    return clean(", ".join(known + unsure))


def fact_date(finding: Finding) -> str:
    if finding.fact is None:
        return ""
    window = finding.fact.window_basis()
    held = f"fact {window}; " if window != "undated" else "fact "
    return clean(f" [{held}verified {finding.fact.verified.isoformat()}]")  # from_release is a plugin's text


def waived(finding: Finding) -> str:
    waiver = finding.waiver
    if waiver is None:
        return ""
    return (
        f" ({finding.severity.label} waived until {waiver.expires.isoformat()} by {clean(waiver.owner)}: "
        f"{clean(waiver.reason)}; waiver at line {waiver.line})"
    )


def explain_lines(report: FileReport) -> list[str]:
    """``--explain-fail``: per failing platform, the fewest requirements to relax."""
    return [relaxation.sentence() for relaxation in (report.explain or {}).values()]


class TextFormatter(Formatter):
    name = "text"
    description = "one line per finding (file:line:col platform severity rule message), then a verdict matrix"

    def start(self, run: RunInfo) -> None:
        super().start(run)
        # The matrix shows every file up to MATRIX_ROWS, then only files with no viable platform:
        # rows are kept only while they may still be shown, so memory does not grow with files.
        self.rows: list[tuple[str, list[str], str, bool]] | None = []
        self.blocked: list[tuple[str, list[str], str, bool]] = []
        self.columns = [p.id for p in run.platforms]
        self._shown: dict[tuple[Any, ...], tuple[Any, str, int, str, dict[int, str]]] = {}  # see _line

    def _paint(self, severity: Severity, text: str) -> str:
        return f"{COLORS[severity]}{text}{RESET}" if self.color else text

    def write(self, report: FileReport) -> None:
        self.take(*self.render(report))

    def render(self, report: FileReport) -> tuple[str, tuple[str, list[str], str, bool]]:
        path = clean(report.path)
        lines = []
        for error in report.errors:
            where = f"{error.line or 1}:{error.column or 1}"
            lines.append(f"{path}:{where} error {clean(error.message)}\n")
        threshold = self.run.gate
        ordered = report.ordered(threshold)
        for result, place in ordered:
            findings = result.findings
            if place == "out" and not self.verbose:
                # Out of the running whatever the file says: one line says why.
                findings = tuple(f for f in findings if f.counted is Severity.FAIL and not f.requirement)[:1]
            for finding in findings:
                if finding.severity is Severity.PASS and not self.verbose:
                    continue
                lines.append(self._line(path, finding))
        for result, place in ordered:
            if result.unknowns and place != "out":
                lines.append(
                    f"{path}: {clean(result.platform.id)}: orchlint knows {result.known} of the {len(result.findings)} facts this file needs"
                    f" ({result.unknowns} unknown{', ' + str(result.unknown_musts) + ' of them must-have' if result.unknown_musts else ''})\n"
                )
        for notice in report.notices:
            lines.append(f"{path}:{notice.line}:{notice.column} notice {notice.kind} {clean(notice.message)}\n")
        for line in explain_lines(report):
            lines.append(f"{path}: {clean(line)}\n")
        if report.rereview and (report.rereview.basis != "decided" or report.rereview.moved()):
            self._rereview(path, report, lines)
        results = {r.platform.id: r for r in report.results}
        cells = [results[c].verdict_text() if c in results else "-" for c in self.columns]
        if report.errors:
            cells = ["error"] * len(self.columns)
        viable = viable_text(report, results, threshold) or ("-" if report.errors else "none")
        return "".join(lines), (path, cells, viable, report.blocks(threshold) or bool(report.errors))

    def _line(self, path: str, finding: Finding) -> str:
        # The same findings come back in file after file: what a line shows of one but its
        # place (platform, severity, rule, message cleaned and cut) is worked out once.
        key = (finding.message, id(finding.fact), finding.platform, finding.severity, finding.rule, finding.waiver is None)
        shown = self._shown.get(key)
        if shown is None or shown[0] is not finding.fact:
            if len(self._shown) > 4096:  # bounded: memory must not grow with the number of files
                self._shown.clear()
            label = finding.severity.label if finding.waiver is None else "waived"
            sev = self._paint(finding.severity, label) if finding.waiver is None else label
            message = clean(finding.message) if self.verbose else clean(short_message(finding))
            platform = clean(finding.platform)
            # (the fact, kept so its id stays unique; the middle of the line; its width on screen,
            # without colour codes; the message; the message cut to fit, per width of the head)
            shown = self._shown[key] = (finding.fact, f" {platform} {sev} {finding.rule}", len(f" {platform} {label} {finding.rule}"), message, {})
        _fact, middle, width, message, cut = shown
        head = f"{path}:{finding.line}:{finding.column}{middle}"
        if self.verbose:
            return f"{head} {message}{fact_date(finding)}{waived(finding)}\n"
        # A waiver's owner, reason and expiry are never cut: they say why the finding does not count.
        used = len(head) - len(middle) + width  # the colour codes take no room on the screen
        fitted = cut.get(used)
        if fitted is None:
            fitted = cut[used] = fit(message, used)
        return f"{head} {fitted}{waived(finding)}\n"

    def take(self, text: str, kept: tuple[str, list[str], str, bool]) -> None:
        self.stream.write(text)
        if kept[3] and len(self.blocked) < MATRIX_ROWS:
            self.blocked.append(kept)
        if self.rows is not None:
            self.rows.append(kept)
            if len(self.rows) > MATRIX_ROWS:
                self.rows = None

    def _rereview(self, path: str, report: FileReport, lines: list[str]) -> None:
        review = report.rereview
        assert review is not None
        basis = "decided" if review.basis == "decided" else "--since"
        lines.append(f"{path}: re-review, {basis} {review.since.isoformat()} → as of {review.as_of.isoformat()}\n")
        for platform in review.platforms:
            then = self._paint(platform.then, platform.then.label)
            now = self._paint(platform.now, platform.now.label)
            moved = "" if platform.changes or platform.then != platform.now else " (no change)"
            lines.append(f"  {clean(platform.platform)}: {then} → {now}{moved}\n")
            for change in platform.changes:
                lines.append(f"    {clean(change.explain())}\n")

    def finish(self, summary: RunSummary) -> None:
        rows = self.rows if self.rows is not None else self.blocked
        hidden = summary.files - len(rows)
        if rows:
            width = max(len(r[0]) for r in rows)
            columns = [clean(c) for c in self.columns]  # a plugin's platform id is any string
            widths = [max(len(c), 5, *(len(r[1][i]) for r in rows)) for i, c in enumerate(columns)]
            self.stream.write("\n" + " " * width + "  " + "  ".join(c.ljust(w) for c, w in zip(columns, widths)) + "  viable\n")
            for path, cells, viable, _ in rows:
                painted = [self._cell(cell, w) for cell, w in zip(cells, widths)]
                self.stream.write(path.ljust(width) + "  " + "  ".join(painted) + "  " + viable + "\n")
        if hidden:
            # A row is kept[3] when its file blocks or has errors (such a file never blocks).
            unshown_blocked = summary.files_blocked + summary.files_with_errors - len(self.blocked) if self.rows is None else 0
            also = f", {unshown_blocked} more with no viable platform" if unshown_blocked else ""
            self.stream.write(f"({hidden - unshown_blocked} more files with a viable platform not shown{also})\n")
        if summary.files > 1 and summary.fleet:
            # The fleet view: in a monorepo, how many services each platform could serve.
            # Fully known first: a platform viable only while must-haves are unknown ranks after.
            unsure = summary.fleet_unknown
            served = sorted(summary.fleet.items(), key=lambda item: (-(item[1] - unsure.get(item[0], 0)), -item[1], item[0]))
            evaluated = summary.files - summary.files_with_errors
            parts = [f"{clean(p)} {n}/{evaluated}" + (f" ({unsure[p]} with unknown must-haves)" if unsure.get(p) else "") for p, n in served]
            self.stream.write("\nfleet: " + ", ".join(parts) + " files viable\n")
        for error in summary.plugin_errors:
            self.stream.write(f"plugin error: {clean(error.plugin)}: {clean(error.message)}\n")
        counts = summary.counts
        extra = f", {summary.waived} waived" if summary.waived else ""
        extra += f", {summary.notices} notice(s)" if summary.notices else ""
        self.stream.write(
            f"\n{summary.files} file(s) as of {self.run.as_of.isoformat()}: "
            f"{counts['fail']} fail, {counts['warn']} warn, {counts['pass']} pass, {counts['unknown']} unknown{extra}; "
            f"{summary.files_with_errors} with errors, {summary.files_blocked} with no viable platform\n"
        )
        if summary.baseline is not None:
            b = summary.baseline
            self.stream.write(
                f"baseline: {b['new']} new, {b['unchanged']} unchanged (not shown), {b['fixed']} fixed (stale entries)\n"
            )

    def _cell(self, cell: str, width: int) -> str:
        padded = cell.ljust(width)
        verdict = cell.split("?")[0]
        if verdict in ("pass", "warn", "fail"):
            return self._paint(Severity.parse(verdict), padded)
        return padded
