"""The default human-readable output: one line per finding, then a verdict matrix."""

from __future__ import annotations

import re
from functools import lru_cache

from orchlint.formatters.base import Formatter, RunInfo
from orchlint.lint import FileReport, FileVerdicts, RunSummary
from orchlint.model import Finding, Severity

COLORS = {Severity.FAIL: "\033[31m", Severity.WARN: "\033[33m", Severity.PASS: "\033[32m"}
RESET = "\033[0m"
MATRIX_ROWS = 50  # above this, the matrix lists only files that have no viable platform
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # newlines too: one line per finding


@lru_cache(maxsize=2048)  # messages repeat from file to file (often the very same string)
def clean(text: str) -> str:
    """User strings never reach the terminal as escape sequences."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def fact_date(finding: Finding) -> str:
    fact = finding.fact
    if fact is None:
        return ""
    hit = _dated.get(id(fact))
    if hit is not None and hit[0] is fact:
        return hit[1]
    window = fact.window()
    held = f"fact {window}; " if window != "undated" else "fact "
    text = f" [{held}verified {fact.verified.isoformat()}]"
    if len(_dated) > 4096:
        _dated.clear()
    _dated[id(fact)] = (fact, text)  # holding the fact keeps its id from being reused
    return text


_dated: dict[int, tuple[object, str]] = {}


class TextFormatter(Formatter):
    name = "text"
    description = "one line per finding (file:line:col platform severity rule message), then a verdict matrix"

    def start(self, run: RunInfo) -> None:
        super().start(run)
        self.columns = [p.id for p in run.platforms]
        # The matrix shows every file up to MATRIX_ROWS, else only the flagged ones (no viable
        # platform, or errors): keep just what can be shown, however many files there are.
        self.first_rows: list[tuple[str, list[str], str, bool]] = []
        self.flagged_rows: list[tuple[str, list[str], str, bool]] = []
        self.total = 0
        self.flagged = 0

    def _paint(self, severity: Severity, text: str) -> str:
        return f"{COLORS[severity]}{text}{RESET}" if self.color else text

    def write(self, report: FileReport) -> None:
        self.write_rendered(self.render(report), report.verdicts(self.run_threshold()))

    def render(self, report: FileReport) -> str:
        path = clean(report.path)
        out: list[str] = []  # one write per file: many small writes cost more than the text
        for error in report.errors:
            where = f"{error.line or 1}:{error.column or 1}"
            out.append(f"{path}:{where} error {clean(error.message)}\n")
        for result in report.results:
            for finding in result.findings:
                if finding.severity is Severity.PASS and not self.verbose:
                    continue
                sev = self._paint(finding.severity, finding.severity.label)
                out.append(
                    f"{path}:{finding.line}:{finding.column} {finding.platform} {sev} {finding.rule} "
                    f"{clean(finding.message)}{fact_date(finding)}\n"
                )
        if report.rereview:
            out += self._rereview(path, report)
        return "".join(out)

    def write_rendered(self, text: str, verdicts: FileVerdicts) -> None:
        if text:
            self.stream.write(text)
        by_platform = dict(verdicts.verdicts)
        cells = [by_platform[c].label if c in by_platform else "-" for c in self.columns]
        if verdicts.errors:
            cells = ["error"] * len(self.columns)
        viable = ", ".join(verdicts.viable) or ("-" if verdicts.errors else "none")
        flagged = verdicts.blocked or bool(verdicts.errors)
        row = (clean(verdicts.path), cells, viable, flagged)
        self.total += 1
        if len(self.first_rows) <= MATRIX_ROWS:
            self.first_rows.append(row)
        if flagged:
            self.flagged += 1
            if len(self.flagged_rows) < MATRIX_ROWS:
                self.flagged_rows.append(row)

    def _rereview(self, path: str, report: FileReport) -> list[str]:
        review = report.rereview
        assert review is not None
        basis = "decided" if review.basis == "decided" else "--since"
        out = [f"{path}: re-review, {basis} {review.since.isoformat()} → as of {review.as_of.isoformat()}\n"]
        for platform in review.platforms:
            then = self._paint(platform.then, platform.then.label)
            now = self._paint(platform.now, platform.now.label)
            moved = "" if platform.changes or platform.then != platform.now else " (no change)"
            out.append(f"  {platform.platform}: {then} → {now}{moved}\n")
            for change in platform.changes:
                out.append(f"    {clean(change.explain())}\n")
        return out

    def run_threshold(self) -> Severity | None:
        from orchlint.lint import FAIL_ON

        return FAIL_ON[self.run.fail_on]

    def finish(self, summary: RunSummary) -> None:
        rows = self.first_rows
        hidden_viable = hidden_flagged = 0
        if self.total > MATRIX_ROWS:
            rows = self.flagged_rows
            hidden_viable = self.total - self.flagged
            hidden_flagged = self.flagged - len(rows)
        if rows:
            width = max(len(r[0]) for r in rows)
            widths = [max(len(c), 5) for c in self.columns]
            self.stream.write("\n" + " " * width + "  " + "  ".join(c.ljust(w) for c, w in zip(self.columns, widths)) + "  viable\n")
            for path, cells, viable, _ in rows:
                painted = [self._cell(cell, w) for cell, w in zip(cells, widths)]
                self.stream.write(path.ljust(width) + "  " + "  ".join(painted) + "  " + viable + "\n")
        if hidden_viable:
            self.stream.write(f"({hidden_viable} more files with a viable platform not shown)\n")
        if hidden_flagged:
            self.stream.write(f"({hidden_flagged} more files with no viable platform or with errors not shown)\n")
        if summary.files > 1:
            self._fleet(summary)
        for error in summary.plugin_errors:
            self.stream.write(f"plugin error: {clean(error.plugin)}: {clean(error.message)}\n")
        counts = summary.counts
        self.stream.write(
            f"\n{summary.files} file(s) as of {self.run.as_of.isoformat()}: "
            f"{counts['fail']} fail, {counts['warn']} warn, {counts['pass']} pass; "
            f"{summary.files_with_errors} with errors, {summary.files_blocked} with no viable platform\n"
        )

    def _fleet(self, summary: RunSummary) -> None:
        """How many of the services (files) each platform can serve: below --fail-on."""
        evaluated = summary.evaluated
        if not evaluated:
            return
        below = {"fail": "no fail", "warn": "no warn or fail", "never": "any verdict"}[self.run.fail_on]
        width = max(len(c) for c in self.columns)
        self.stream.write(f"\nfleet: how many of the {evaluated} services evaluated each platform can serve ({below})\n")
        ranked = sorted(self.columns, key=lambda c: (-summary.fleet.get(c, {}).get("can_serve", 0), c))
        for platform in ranked:
            row = summary.fleet.get(platform, {"can_serve": 0, "pass": 0, "warn": 0, "fail": 0})
            share = 100 * row["can_serve"] / evaluated
            self.stream.write(
                f"  {platform.ljust(width)}  {row['can_serve']:>{len(str(evaluated))}} ({share:3.0f}%)"
                f"  pass {row['pass']}, warn {row['warn']}, fail {row['fail']}\n"
            )

    def _cell(self, cell: str, width: int) -> str:
        padded = cell.ljust(width)
        if cell in ("pass", "warn", "fail"):
            return self._paint(Severity.parse(cell), padded)
        return padded
