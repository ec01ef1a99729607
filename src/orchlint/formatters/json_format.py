"""``--format json``: the stable machine-readable shape documented in the README."""

from __future__ import annotations

import json
from typing import Any

from orchlint.formatters.base import Formatter, RunInfo
from orchlint.lint.report import FileReport, RunSummary

SCHEMA_VERSION = 1


def file_to_json(report: FileReport) -> dict[str, Any]:
    return {
        "path": report.path,
        "name": report.name or None,
        "target": report.target,
        "deciding": list(report.deciding),
        "errors": [e.to_json() for e in report.errors],
        "platforms": [
            {
                "id": r.platform.id,
                "name": r.platform.name,
                "verdict": r.verdict.label,
                # Facts this file needs for the platform, and how many of them orchlint knows.
                "unknown": r.unknowns,
                "unknown_must": r.unknown_musts,
                "known": r.known,
                "needed": len(r.findings),
                "findings": [f.to_json() for f in r.findings],
            }
            for r in report.results
        ],
        "rereview": report.rereview.to_json() if report.rereview else None,
        "notices": [n.to_json() for n in report.notices],
        "baseline": report.baseline.to_json() if report.baseline is not None else None,
        "explain_fail": [r.to_json() for r in report.explain.values()] if report.explain is not None else None,
    }


class JsonFormatter(Formatter):
    name = "json"
    description = "one JSON document: files, their platforms' verdicts and findings with sources"

    def start(self, run: RunInfo) -> None:
        super().start(run)
        head = {
            "orchlint_json": SCHEMA_VERSION,
            "version": run.version,
            "as_of": run.as_of.isoformat(),
            "fail_on": run.fail_on,
            "fail_on_unknown": run.fail_on_unknown,
        }
        self.stream.write(json.dumps(head, indent=2)[:-2] + ',\n  "files": [')
        self.first = True

    def write(self, report: FileReport) -> None:
        text = json.dumps(file_to_json(report), indent=2, ensure_ascii=False)
        self.stream.write(("\n" if self.first else ",\n") + _indent(text, "    "))
        self.first = False

    def finish(self, summary: RunSummary) -> None:
        tail = {
            "summary": {
                "files": summary.files,
                "files_with_errors": summary.files_with_errors,
                "files_blocked": summary.files_blocked,
                "findings": summary.counts,
                "waived": summary.waived,
                "notices": summary.notices,
                "baseline": summary.baseline,
                "fleet": dict(sorted(summary.fleet.items())),
                "fleet_unknown": dict(sorted(summary.fleet_unknown.items())),
                "exit_code": summary.exit_code,
            },
            "plugin_errors": [e.to_json() for e in summary.plugin_errors],
            "config_errors": list(summary.config_errors),
            "discovery_errors": list(summary.discovery_errors),
        }
        body = json.dumps(tail, indent=2, ensure_ascii=False)[1:]
        self.stream.write(("\n  ]," if not self.first else "],") + body + "\n")


def _indent(text: str, prefix: str) -> str:
    # split("\n"), not splitlines(): that also splits at U+0085 and U+2028 inside strings,
    # which json.dumps(ensure_ascii=False) leaves as they are, and the JSON broke.
    return "\n".join(prefix + line for line in text.split("\n"))
