"""``github``: GitHub Actions workflow commands, so findings appear as annotations on the file.

``::error file=F,line=L,col=C,title=T::MESSAGE`` for a fail, ``::warning`` for a warn. The
runner decodes ``%25``, ``%0D`` and ``%0A`` in the message, and also ``%3A`` and ``%2C`` in
property values; nothing else is escaped, so every other character has to be harmless as is.
"""

from __future__ import annotations

from orchlint.formatters.base import Formatter
from orchlint.formatters.ci import repo_path, waiver_of, waiver_reason
from orchlint.formatters.text import fact_date
from orchlint.support.terminal import clean
from orchlint.lint.report import FileReport, RunSummary
from orchlint.model import Severity

COMMAND = {Severity.FAIL: "error", Severity.WARN: "warning"}


def escape_data(text: str) -> str:
    # % first, or the escapes themselves would be escaped. Other control characters become
    # visible \xNN so that nothing can reach the log as a terminal sequence.
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return clean(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **props: object) -> str:
    given = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items() if value is not None)
    return f"::{name}{' ' + given if given else ''}::{escape_data(message)}\n"


class GithubFormatter(Formatter):
    name = "github"
    description = "GitHub Actions annotations: ::error for fail, ::warning for warn, at the file's line and column"

    def write(self, report: FileReport) -> None:
        self.take(*self.render(report))

    def take(self, text: str, kept: None) -> None:
        self.stream.write(text)

    def render(self, report: FileReport) -> tuple[str, None]:
        lines = []
        path = repo_path(report.path) or report.path
        for error in report.errors:
            lines.append(
                command("error", error.message, file=path, line=error.line or 1, col=error.column or 1, title="orchlint: input error")
            )
        for result in report.results:
            for finding in result.findings:
                waiver = waiver_of(finding)
                where = {"file": path, "line": finding.line, "col": finding.column}
                title = f"{finding.rule} ({finding.platform})"
                message = f"{finding.platform} {finding.severity.label}: {finding.message}{fact_date(finding)}"
                if waiver is not None:
                    lines.append(command("notice", f"{message} (waived: {waiver_reason(waiver)})", **where, title=f"{title} waived"))
                elif finding.severity in COMMAND:
                    lines.append(command(COMMAND[finding.severity], message, **where, title=title))
        return "".join(lines), None

    def finish(self, summary: RunSummary) -> None:
        for error in summary.plugin_errors:
            self.stream.write(command("error", f"plugin {error.plugin} failed: {error.message}", title="orchlint: plugin error"))
        counts = summary.counts
        self.stream.write(
            f"orchlint: {summary.files} file(s) as of {self.run.as_of.isoformat()}: "
            f"{counts['fail']} fail, {counts['warn']} warn, {counts['pass']} pass; "
            f"{summary.files_with_errors} with errors, {summary.files_blocked} with no viable platform\n"
        )
