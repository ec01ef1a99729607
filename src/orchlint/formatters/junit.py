"""``junit``: JUnit XML for Jenkins, GitLab and other CI test-report views.

One testsuite per file × platform, the platforms that decide first, one testcase per rule that
applies to the file. A ``<failure>`` is written only for what decides the exit code: a finding
that keeps a deciding platform from being viable, in a file that has no viable deciding platform
(a testcase with several counts once in ``failures``, as JUnit counts failed tests). So a run
that exits 0 has no failure. Other findings are listed in the testcase's ``<system-out>``
(passes too with ``-v``); a requirement orchlint cannot judge (no fact) makes its testcase
``<skipped>``. A file that cannot be evaluated is a testsuite whose one testcase has
an ``<error>`` per problem; plugin errors get a testsuite of their own.

User strings pass through :func:`xml_text`: XML 1.0 forbids most control characters even as
character references, so they are replaced by visible ``\\xNN`` escapes before ElementTree
escapes the markup.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from orchlint.formatters.base import Formatter, RunInfo
from orchlint.formatters.ci import waiver_of, waiver_reason
from orchlint.formatters.text import fact_date
from orchlint.lint.report import FileReport, RunSummary
from orchlint.model import Finding, Severity

# Everything XML 1.0 allows except the C0/C1 controls and DEL, which terminals and some
# parsers mishandle even where XML permits them.
_NOT_XML = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
INDENT = "  "


def xml_text(value: Any) -> str:
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def _one_line(value: Any) -> str:
    return " ".join(xml_text(value).split())


def _element(tag: str, parent: ET.Element | None = None, text: str | None = None, **attrs: Any) -> ET.Element:
    clean = {key.rstrip("_"): xml_text(value) for key, value in attrs.items() if value is not None}
    node = ET.Element(tag, clean) if parent is None else ET.SubElement(parent, tag, clean)
    if text:
        node.text = xml_text(text)
    return node


class JunitFormatter(Formatter):
    name = "junit"
    description = "JUnit XML for Jenkins and GitLab: a testsuite per file and platform, a testcase per rule"

    def start(self, run: RunInfo) -> None:
        super().start(run)
        self.threshold = run.gate
        self.stream.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="orchlint">\n')

    def _emit(self, suite: ET.Element) -> None:
        tests = suite.findall("testcase")
        suite.set("tests", str(len(tests)))
        suite.set("failures", str(sum(1 for t in tests if t.find("failure") is not None)))
        suite.set("errors", str(sum(1 for t in tests if t.find("error") is not None)))
        suite.set("skipped", str(sum(1 for t in tests if t.find("skipped") is not None)))
        ET.indent(suite, space=INDENT, level=1)
        self.stream.write(INDENT + ET.tostring(suite, encoding="unicode").rstrip() + "\n")

    def write(self, report: FileReport) -> None:
        if report.errors:
            self._emit(self._input_errors(report))
            return
        for result, _place in report.ordered(self.threshold):
            self._emit(self._platform_suite(report, result))

    def _input_errors(self, report: FileReport) -> ET.Element:
        suite = ET.Element("testsuite", {"name": xml_text(report.path)})
        _properties(suite, file=report.path)
        case = _element("testcase", suite, name="orchlint/input-error", classname=report.path, file=report.path)
        for error in report.errors:
            line, column = error.line or 1, error.column or 1
            detail = f"{report.path}:{line}:{column} error {error.message}"
            _element("error", case, detail, message=_one_line(error.message), type="input-error")
        return suite

    def _platform_suite(self, report: FileReport, result: Any) -> ET.Element:
        platform = result.platform
        suite = ET.Element("testsuite", {"name": xml_text(f"{report.path} [{platform.id}]")})
        viable = platform.id in report.viable(self.threshold)
        _properties(
            suite,
            file=report.path,
            name=report.name,
            platform=platform.id,
            platform_name=platform.name,
            verdict=result.verdict.label,
            viable=str(viable).lower() if platform.id in report.deciding else None,
            as_of=self.run.as_of.isoformat(),
            fail_on=self.run.fail_on,
        )
        by_rule: dict[str, list[Finding]] = {}
        for finding in result.findings:
            by_rule.setdefault(finding.rule, []).append(finding)
        applied = [r.id for r in self.run.rules if r.applies_to(report.requirements)]
        decides = platform.id in report.deciding and report.blocks(self.threshold)
        for rule_id in sorted(set(applied) | set(by_rule)):
            self._testcase(suite, report.path, platform.id, rule_id, by_rule.get(rule_id, []), decides)
        return suite

    def _testcase(self, suite: ET.Element, path: str, platform: str, rule_id: str, findings: list[Finding], decides: bool) -> None:
        # classname "file.platform": Jenkins shows the file as the package and the platform as the class.
        line = findings[0].line if findings else None
        case = _element("testcase", suite, name=rule_id, classname=f"{path}.{platform}", file=path, line=line)
        notes = []
        unknown = None
        for finding in findings:
            detail = _describe(path, finding)
            waiver = waiver_of(finding)
            if waiver is not None:
                notes.append(f"waived ({waiver_reason(waiver)}): {detail}")
            elif decides and self.threshold.blocking(finding):
                _element("failure", case, detail, message=_one_line(finding.message), type=finding.severity.label)
            elif finding.severity is not Severity.PASS or self.verbose:
                notes.append(detail)
                if finding.severity is Severity.UNKNOWN and unknown is None:
                    unknown = finding
        if unknown is not None and case.find("failure") is None:
            _element("skipped", case, message=_one_line(f"unknown: {unknown.message}"))
        if notes:
            _element("system-out", case, "\n".join(notes))

    def finish(self, summary: RunSummary) -> None:
        if summary.plugin_errors:
            suite = ET.Element("testsuite", {"name": "orchlint plugins"})
            for error in summary.plugin_errors:
                case = _element("testcase", suite, name=error.plugin, classname="orchlint.plugins")
                _element("error", case, error.message, message=_one_line(error.message), type="plugin-error")
            self._emit(suite)
        self.stream.write("</testsuites>\n")


def _properties(suite: ET.Element, **values: Any) -> None:
    props = _element("properties", suite)
    for key, value in values.items():
        if value not in (None, ""):
            _element("property", props, name=key, value=value)


def _describe(path: str, finding: Finding) -> str:
    lines = [
        f"{path}:{finding.line}:{finding.column} {finding.platform} {finding.severity.label} {finding.rule} "
        f"{finding.message}{fact_date(finding)}",
        f"requirement: {finding.requirement or '(every file)'} ({finding.priority}, {finding.outcome.value})",
    ]
    lines += [f"source: {source.cite()}" for source in finding.sources]
    return "\n".join(lines)
