"""``github``: GitHub Actions workflow commands, so findings appear as annotations on the file.

``::error file=F,line=L,col=C,title=T::MESSAGE`` for a fail, ``::warning`` for a warn and
``::notice`` for a requirement orchlint cannot judge (an unknown) or a waived finding. The
runner decodes ``%25``, ``%0D`` and ``%0A`` in the message, and also ``%3A`` and ``%2C`` in
property values; nothing else is escaped, so every other character has to be harmless as is:
the message and title are made printable, and ``file`` is the real path with only those escapes.
"""

from __future__ import annotations

import bisect
import os
from typing import Any

from orchlint.formatters.base import Formatter, RunInfo
from orchlint.formatters.ci import repo_path, waiver_of, waiver_reason
from orchlint.formatters.markdown import md
from orchlint.formatters.text import fact_date
from orchlint.support.terminal import clean
from orchlint.lint.report import FileReport, RunSummary
from orchlint.model import Severity

COMMAND = {Severity.FAIL: "error", Severity.WARN: "warning", Severity.UNKNOWN: "notice"}


def escape_data(text: str) -> str:
    # % first, or the escapes themselves would be escaped. Other control characters become
    # visible \xNN so that nothing can reach the log as a terminal sequence.
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return clean(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def escape_path(path: str) -> str:
    """A file name as a property value: the real name with exactly the runner's escapes, so that
    the annotation lands on that file. Not made printable as other text is: ``\\x1b`` would name
    another file (the runner consumes the command line; the log shows only the message)."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def annotated_path(report: FileReport) -> str:
    """The path an annotation names: the real one, relative to the working directory (the
    repository root in CI). A name with undecodable bytes cannot be written in a workflow
    command, which is UTF-8 text; its printable form is named instead."""
    real = report.source if report.source is not None else report.path
    try:
        real.encode("utf-8")
    except UnicodeEncodeError:
        real = report.path
    return repo_path(real) or real


def command(name: str, message: str, **props: object) -> str:
    given = ",".join(
        f"{key}={escape_path(str(value)) if key == 'file' else escape_property(str(value))}"
        for key, value in props.items()
        if value is not None
    )
    return f"::{name}{' ' + given if given else ''}::{escape_data(message)}\n"


class GithubFormatter(Formatter):
    name = "github"
    description = "GitHub Actions annotations: ::error for fail, ::warning for warn, ::notice for unknown, the most important first"

    # GitHub shows at most 10 annotations of each kind per step and drops the rest. So they are
    # ranked across every file (input errors, then the deciding platforms' findings, then the
    # other candidates', ...) and only the 10 most important of each kind are written; with
    # GITHUB_STEP_SUMMARY set, the job summary gets every file's verdicts in Markdown.
    SHOWN = 10

    def start(self, run: RunInfo) -> None:
        super().start(run)
        self.best: dict[str, list[tuple[tuple[int, ...], str]]] = {"error": [], "warning": [], "notice": []}
        self.counted = {"error": 0, "warning": 0, "notice": 0}
        self.files = 0
        self.summary_path = os.environ.get("GITHUB_STEP_SUMMARY") or None
        self.summary_rows: list[str] = []

    def write(self, report: FileReport) -> None:
        self.take(*self.render(report))

    def render(self, report: FileReport) -> tuple[str, Any]:
        found: list[tuple[str, tuple[int, ...], str]] = []
        path = annotated_path(report)
        for error in report.errors:
            line = command("error", error.message, file=path, line=error.line or 1, col=error.column or 1, title="orchlint: input error")
            found.append(("error", (0, 0, 0), line))
        gate = self.run.gate
        for result, place in report.ordered(gate):
            for finding in result.findings:
                waiver = waiver_of(finding)
                where = {"file": path, "line": finding.line, "col": finding.column}
                title = f"{finding.rule} ({finding.platform})"
                message = f"{finding.platform} {finding.severity.label}: {finding.message}{fact_date(finding)}"
                kind = "notice" if waiver is not None else COMMAND.get(finding.severity)
                if kind is None:
                    continue
                if waiver is not None:
                    message, title = f"{message} (waived: {waiver_reason(waiver)})", f"{title} waived"
                importance = (1 + PLACES.index(place), 0 if finding.priority == "must" else 1, finding.line)
                found.append((kind, importance, command(kind, message, **where, title=title)))
        return "", (found, _summary_row(report, gate, [p.id for p in self.run.platforms]))

    def take(self, text: str, kept: Any) -> None:
        found, row = kept
        for kind, importance, line in found:
            self.counted[kind] += 1
            # (importance, file number, arrival) keeps the order stable among equals.
            entry = ((*importance, self.files, self.counted[kind]), line)
            bisect.insort(self.best[kind], entry)
            del self.best[kind][self.SHOWN :]
        self.files += 1
        if self.summary_path is not None:
            self.summary_rows.append(row)

    def finish(self, summary: RunSummary) -> None:
        for kind in ("error", "warning", "notice"):
            for _key, line in self.best[kind]:
                self.stream.write(line)
        for error in summary.plugin_errors:
            self.stream.write(command("error", f"plugin {error.plugin} failed: {error.message}", title="orchlint: plugin error"))
        counts = summary.counts
        left = {kind: self.counted[kind] - len(self.best[kind]) for kind in self.counted}
        if any(left.values()):
            where = "the job summary" if self.summary_path else "orchlint's text output"
            self.stream.write(
                f"orchlint: {left['error']} error, {left['warning']} warning and {left['notice']} notice annotations "
                f"not shown (GitHub shows {self.SHOWN} of each); every finding is in {where}\n"
            )
        self.stream.write(
            f"orchlint: {summary.files} file(s) as of {self.run.as_of.isoformat()}: "
            f"{counts['fail']} fail, {counts['warn']} warn, {counts['pass']} pass, {counts['unknown']} unknown; "
            f"{summary.files_with_errors} with errors, {summary.files_blocked} with no viable platform\n"
        )
        if self.summary_path is not None:
            self._write_summary(summary)

    def _write_summary(self, summary: RunSummary) -> None:
        columns = [p.id for p in self.run.platforms]
        lines = [
            f"## orchlint: {summary.files} file(s) as of {self.run.as_of.isoformat()}",
            "",
            "| file | " + " | ".join(columns) + " | viable |",
            "|---|" + "---|" * (len(columns) + 1),
            *self.summary_rows,
            "",
            f"{summary.counts['fail']} fail, {summary.counts['warn']} warn, {summary.counts['pass']} pass, "
            f"{summary.counts['unknown']} unknown; {summary.files_blocked} file(s) with no viable platform. "
            "`pass?2`: passes, with 2 requirements orchlint cannot judge (no fact).",
            "",
        ]
        with open(self.summary_path, "a", encoding="utf-8") as stream:  # GitHub's file: appended to, as its docs say
            stream.write("\n".join(lines) + "\n")


PLACES = ("deciding", "candidate", "other", "out")


def _summary_row(report: FileReport, gate: Any, columns: list[str]) -> str:
    """One file's row of the job summary: its verdicts in the run's column order."""
    results = {r.platform.id: r for r in report.results}
    if report.errors:
        return f"| {md(report.path)} | " + " | ".join(["error"] * len(columns)) + " | - |"
    cells = [results[p].verdict_text() if p in results else "–" for p in columns]
    viable = ", ".join(report.viable(gate)) or "none"
    return f"| {md(report.path)} | " + " | ".join(cells) + f" | {md(viable)} |"
