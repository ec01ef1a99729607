"""``sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run per invocation. ``tool.driver.rules`` lists every rule that ran, plus the pseudo rule
``orchlint/input-error``: a file that cannot be evaluated is a result of that rule at the
error's position (code scanning shows only results, and only results with a location), and also
a ``toolExecutionNotification`` (where SARIF viewers look for tool trouble). Plugin errors have
no position, so they are notifications only.

Results stream out as files are linted, like the json format.
"""

from __future__ import annotations

import hashlib
import json
import re
import textwrap
from typing import Any

from orchlint.formatters.base import Formatter, RunInfo
from orchlint.formatters.ci import LEVEL, artifact_uri, is_reported, waiver_details, waiver_of, waiver_reason
from orchlint.formatters.markdown import md
from orchlint.formatters.text import fact_date
from orchlint.lint.report import FileReport, RunSummary
from orchlint.model import Finding, InputError, Severity
from orchlint.rulekit import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INPUT_ERROR = "orchlint/input-error"  # a slash: no registered rule id can take it
SRCROOT = "%SRCROOT%"
MAX_DESCRIPTION = 1024  # code scanning's limit for short and full descriptions
_SENTINEL = "@@orchlint-results@@"
_SEMVER = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")


class SarifFormatter(Formatter):
    name = "sarif"
    description = "SARIF 2.1.0 for GitHub code scanning: warn and fail findings at their line and column"

    def start(self, run: RunInfo) -> None:
        super().start(run)
        rules = [rule_descriptor(rule) for rule in run.rules] + [INPUT_ERROR_DESCRIPTOR]
        self.rule_index = {r["id"]: i for i, r in enumerate(rules)}
        self.notifications: list[dict[str, Any]] = []
        self.count = 0
        self.rules = rules
        head, _ = self._skeleton([]).split(json.dumps(_SENTINEL))
        self.stream.write(head + "[")

    def _skeleton(self, invocations: list[dict[str, Any]]) -> str:
        driver: dict[str, Any] = {"name": "orchlint", "version": self.run.version}
        if _SEMVER.fullmatch(self.run.version):  # code scanning prefers it, but only if it is semver
            driver["semanticVersion"] = self.run.version
        driver["rules"] = self.rules
        run = {
            "tool": {"driver": driver},
            "originalUriBaseIds": {
                SRCROOT: {"description": {"text": "The directory orchlint ran in: the repository root in CI."}}
            },
            "columnKind": "unicodeCodePoints",
            "properties": {"asOf": self.run.as_of.isoformat(), "failOn": self.run.fail_on},
            "results": _SENTINEL,
            "invocations": invocations,
        }
        log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
        return json.dumps(log, indent=2, ensure_ascii=False)

    def _emit(self, result: dict[str, Any]) -> None:
        text = textwrap.indent(json.dumps(result, indent=2, ensure_ascii=False), " " * 8)
        self.stream.write(("\n" if self.count == 0 else ",\n") + text)
        self.count += 1

    def write(self, report: FileReport) -> None:
        uri, relative = artifact_uri(report.path)
        seen: dict[str, int] = {}
        for error in report.errors:
            result = self._input_error(error, uri, relative, seen)
            self._emit(result)
            self.notifications.append(
                {
                    "level": "error",
                    "message": result["message"],
                    "locations": result["locations"],
                    "associatedRule": {"id": INPUT_ERROR, "index": self.rule_index[INPUT_ERROR]},
                }
            )
        # What decides first: the deciding platforms, then the other candidates, the rest, and
        # last the platforms no change to the file could make viable.
        for result, place in report.ordered(self.run.gate):
            for finding in result.findings:
                if is_reported(finding) or waiver_of(finding) is not None:
                    self._emit(self._finding(finding, uri, relative, seen, place))

    def _finding(self, finding: Finding, uri: str, relative: bool, seen: dict[str, int], place: str = "deciding") -> dict[str, Any]:
        result: dict[str, Any] = {"ruleId": finding.rule}
        if finding.rule in self.rule_index:
            result["ruleIndex"] = self.rule_index[finding.rule]
        result["level"] = LEVEL[finding.severity]
        result["message"] = {"text": f"{finding.platform}: {finding.message}{fact_date(finding)}"}
        result["locations"] = [location(uri, relative, finding.line, finding.column)]
        # Never the line: a result keeps its identity when the file is edited above it.
        result["partialFingerprints"] = {
            "primaryLocationLineHash": fingerprint(seen, finding.rule, finding.platform, finding.requirement)
        }
        waiver = waiver_of(finding)
        if waiver is not None:
            suppression: dict[str, Any] = {"kind": "external", "status": "accepted", "justification": waiver_reason(waiver)}
            details = waiver_details(waiver)
            if details:
                suppression["properties"] = details
            result["suppressions"] = [suppression]
        if finding.severity is Severity.UNKNOWN:
            # A note, not a problem found: orchlint cannot judge this for lack of a fact.
            why = "researched: no public source settles it" if finding.fact is not None and finding.fact.searched else "orchlint has no fact"
            result["properties"] = {"unknown": True, "unknownReason": why}
        result["properties"] = {
            **result.get("properties", {}),
            "platform": finding.platform,
            "severity": finding.severity.label,
            "requirement": finding.requirement or None,
            "priority": finding.priority,
            "outcome": finding.outcome.value,
            "place": place,
            "fact": finding.fact.to_json() if finding.fact else None,
            "sources": [s.to_json() for s in finding.sources],
        }
        return result

    def _input_error(self, error: InputError, uri: str, relative: bool, seen: dict[str, int]) -> dict[str, Any]:
        line, column = error.line or 1, error.column or 1
        return {
            "ruleId": INPUT_ERROR,
            "ruleIndex": self.rule_index[INPUT_ERROR],
            "level": "error",
            "message": {"text": error.message},
            "locations": [location(uri, relative, line, column)],
            "partialFingerprints": {"primaryLocationLineHash": fingerprint(seen, INPUT_ERROR, error.path, error.message)},
            "properties": {"key": error.path or None},
        }

    def finish(self, summary: RunSummary) -> None:
        notifications = self.notifications + [
            {"level": "error", "message": {"text": f"plugin {error.plugin} failed: {error.message}"}, "properties": {"plugin": error.plugin}}
            for error in summary.plugin_errors
        ] + [
            {"level": "error", "message": {"text": f"configuration or rule file error: {error}"}}
            for error in summary.config_errors
        ] + [
            {"level": "error", "message": {"text": f"no requirements file: {error}"}}
            for error in summary.discovery_errors
        ]
        invocation: dict[str, Any] = {
            "executionSuccessful": summary.exit_code in (0, 1),
            "exitCode": summary.exit_code,
        }
        if notifications:
            invocation["toolExecutionNotifications"] = notifications
        invocation["properties"] = {
            "files": summary.files,
            "filesWithErrors": summary.files_with_errors,
            "filesWithNoViablePlatform": summary.files_blocked,
            "findings": summary.counts,
        }
        _, tail = self._skeleton([invocation]).split(json.dumps(_SENTINEL))
        self.stream.write(("\n      ]" if self.count else "]") + tail + "\n")


def location(uri: str, relative: bool, line: int, column: int) -> dict[str, Any]:
    artifact = {"uri": uri, "uriBaseId": SRCROOT} if relative else {"uri": uri}
    # No endColumn: the region runs to the end of the line, which is the requirement's line.
    region = {"startLine": line, "startColumn": column, "endLine": line}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def fingerprint(seen: dict[str, int], *parts: str) -> str:
    """A stable identity from rule, platform and requirement path; ``:n`` tells repeats apart."""
    key = "\x1f".join(parts)
    seen[key] = seen.get(key, 0) + 1
    return f"{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:32]}:{seen[key]}"


def _limit(text: str, size: int = MAX_DESCRIPTION) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _camel(rule_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", rule_id) if part)


def _prose(text: str) -> str:
    # Rationales are docstrings: reST ``code`` becomes Markdown `code`, paragraphs are kept.
    paragraphs = [" ".join(p.split()) for p in text.replace("``", "`").strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _md_prose(text: str) -> str:
    # Rule authors write the rationale, not users; only raw HTML is neutralised.
    return _prose(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    what = f"`{rule.requirement_path}`" if rule.requirement else "every file" if rule.applies_to({}) else "none (not judged from the requirements)"
    facts = ", ".join(rule.facts) or "none"
    links = [s.url for s in rule.sources if s.url.startswith(("http://", "https://"))]
    text = [_prose(rule.rationale) or rule.title, "", f"Requirement: {what.strip('`')}", f"Facts read: {facts}"]
    markdown = [_md_prose(rule.rationale) or md(rule.title), "", f"**Requirement:** {what}", "", f"**Facts read:** {md(facts)}"]
    if rule.sources:
        text += ["Sources:"] + [f"- {s.cite()}" for s in rule.sources]
        markdown += ["", "**Sources:**", ""] + [f"- {_md_source(s)}" for s in rule.sources]
    text += ["", f"Run `orchlint explain {rule.id}` for its examples and the facts of each platform."]
    markdown += ["", f"Run `orchlint explain {rule.id}` for its examples and the facts of each platform."]
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": _camel(rule.id)[:255],
        "shortDescription": {"text": _limit(rule.title)},
        "fullDescription": {"text": _limit(_prose(rule.rationale) or rule.title)},
        "defaultConfiguration": {"level": "error"},
        "help": {"text": "\n".join(text), "markdown": "\n".join(markdown)},
    }
    if links:
        descriptor["helpUri"] = links[0]
    area = rule.id.split(".", 1)[0]
    descriptor["properties"] = {
        "tags": ["architecture", area],
        "precision": "high",
        "problem.severity": "error",
        "requirement": rule.requirement_path or None,
        "plugin": rule.plugin or None,
    }
    return descriptor


def _md_source(source: Any) -> str:
    text = md(source.title) + (f" §{md(source.section)}" if source.section else "")
    if source.url.startswith(("http://", "https://")):
        text = f"[{text}](<{source.url.replace('>', '%3E').replace(' ', '%20')}>)"
    elif source.url:
        text += f" ({md(source.url)})"
    if source.date:
        text += f" ({source.date.isoformat()})"
    return text


INPUT_ERROR_DESCRIPTOR: dict[str, Any] = {
    "id": INPUT_ERROR,
    "name": "InputError",
    "shortDescription": {"text": "The requirements file could not be evaluated"},
    "fullDescription": {
        "text": "orchlint could not read, parse or validate the requirements file, so no platform was "
        "evaluated for it. The result points at the problem and says what was expected."
    },
    "defaultConfiguration": {"level": "error"},
    "help": {
        "text": "Fix the file at the position shown; `orchlint schema` prints what a requirements file may contain.",
        "markdown": "Fix the file at the position shown; `orchlint schema` prints what a requirements file may contain.",
    },
    "properties": {"tags": ["orchlint"], "precision": "very-high", "problem.severity": "error"},
}
