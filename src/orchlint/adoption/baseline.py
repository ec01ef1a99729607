"""Baselines: adopt orchlint on an existing file and gate only what is new.

An entry is keyed by (file, platform, rule, requirement path), never by line, so editing the file
above a finding neither hides nor resurrects it. File paths are stored relative to the baseline
file's own directory, so the same baseline works from any working directory, and a finding in
one file is never hidden by an entry for another. A finding whose severity is now worse than the
baseline recorded counts as new: accepting a warning never accepts a failure.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from orchlint.engine.results import PlatformResult
from orchlint.adoption.findingkey import locate_path, stable_requirement
from orchlint.model import Finding, InputError, Notice, Severity

if TYPE_CHECKING:
    from orchlint.lint.report import FileReport

BASELINE_VERSION = 1
STALE_NOTICE = "baseline.stale"

Key = tuple[str, str, str, str]  # file, platform, rule, requirement


class BaselineError(Exception):
    def __init__(self, path: str, errors: list[InputError]) -> None:
        super().__init__(f"{path}: invalid baseline")
        self.path = path
        self.errors = errors


@dataclass(frozen=True, order=True)
class Entry:
    file: str
    platform: str
    rule: str
    requirement: str
    severity: str = field(compare=False, default="fail")

    @property
    def key(self) -> Key:
        return (self.file, self.platform, self.rule, self.requirement)

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "platform": self.platform, "rule": self.rule, "requirement": self.requirement, "severity": self.severity}


@dataclass
class BaselineResult:
    """What the baseline did to one file: counts, and the entries that no longer occur."""

    new: int = 0
    unchanged: int = 0
    stale: list[Entry] = field(default_factory=list)
    hidden: list[Finding] = field(default_factory=list, repr=False)  # so --write-baseline still sees them

    @property
    def fixed(self) -> int:
        return len(self.stale)

    def to_json(self) -> dict[str, Any]:
        return {"new": self.new, "unchanged": self.unchanged, "fixed": self.fixed, "stale": [e.to_json() for e in self.stale]}


def file_key(display: str, base_dir: str) -> str:
    """A report's path as the baseline stores it: relative to the baseline's directory, with /."""
    if display.startswith("<"):
        return display
    relative = os.path.relpath(os.path.abspath(display), base_dir)
    return relative.replace(os.sep, "/")


def gated(finding: Finding) -> bool:
    """Findings a baseline records and hides: those that count as warn or fail."""
    return finding.counted is not Severity.PASS


def entry_for(finding: Finding, file: str, requirements: Any) -> Entry:
    requirement = stable_requirement(finding.requirement, requirements)
    return Entry(file, finding.platform, finding.rule, requirement, finding.severity.label)


class Baseline:
    """The entries of a baseline file, indexed by file: applying it to one file's report reads
    only that file's entries, so a run over N files costs O(N), not O(N × entries)."""

    def __init__(self, path: str, entries: Iterable[Entry] = ()) -> None:
        self.path = path
        self.base_dir = os.path.dirname(os.path.abspath(path))
        self.by_file: dict[str, dict[Key, Entry]] = {}  # file -> key -> the worst entry
        for entry in entries:
            own = self.by_file.setdefault(entry.file, {})
            known = own.get(entry.key)
            if known is None or Severity.parse(entry.severity) > Severity.parse(known.severity):
                own[entry.key] = entry

    @classmethod
    def load(cls, path: str) -> Baseline:
        from orchlint.schemas import validation
        from orchlint.support import yamlsource

        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise BaselineError(path, [InputError(f"cannot read baseline: {exc.strerror or exc}")]) from None
        try:
            parsed = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise BaselineError(path, [InputError(f"baseline is not UTF-8: byte {exc.start} cannot be decoded")]) from None
        except json.JSONDecodeError as exc:
            raise BaselineError(path, [InputError(f"baseline is not JSON: {exc.msg}", exc.lineno, exc.colno)]) from None
        except RecursionError:  # json recurses once per nested array or object
            raise BaselineError(path, [InputError("baseline is not a baseline: nested too deeply", 1, 1)]) from None
        doc = yamlsource.Document(parsed)
        errors = validation.validate(doc, "baseline")
        if errors and len(data) <= yamlsource.MAX_BYTES:
            # Only for the error message: the YAML loader knows where each value was written.
            try:
                errors = validation.validate(yamlsource.load(data), "baseline")
            except yamlsource.LoadError:
                pass
        if errors:
            raise BaselineError(path, errors)
        return cls(path, (Entry(**item) for item in parsed["findings"]))

    def apply(self, report: FileReport) -> BaselineResult:
        """Hide the findings the baseline knows from ``report`` (in place); count and list the rest."""
        result = BaselineResult()
        file = file_key(report.path, self.base_dir)
        own = self.by_file.get(file, {})
        seen: set[Key] = set()
        results = []
        for platform_result in report.results:
            kept: list[Finding] = []
            for finding in platform_result.findings:
                if not gated(finding):
                    kept.append(finding)
                    continue
                key = (file, finding.platform, finding.rule, stable_requirement(finding.requirement, report.requirements))
                entry = own.get(key)
                if entry is not None and finding.severity <= Severity.parse(entry.severity):
                    seen.add(key)
                    result.unchanged += 1
                    result.hidden.append(finding)
                else:
                    result.new += 1
                    kept.append(finding)
            results.append(PlatformResult(platform_result.platform, tuple(kept)))
        assert report.evaluation is not None
        report.evaluation = replace(report.evaluation, results=results)
        evaluated = {r.platform.id for r in results}
        result.stale = sorted(e for k, e in own.items() if k not in seen and e.platform in evaluated)
        return result


def stale_notices(result: BaselineResult, report: FileReport) -> list[Notice]:
    notices = []
    for entry in result.stale:
        path = locate_path(entry.requirement, report.requirements) if entry.requirement else ()
        line, column = report.document.locate(path) if path and report.document else (1, 1)
        where = f" {entry.requirement}" if entry.requirement else ""
        notices.append(
            Notice(
                line,
                column,
                STALE_NOTICE,
                f"stale baseline entry: {entry.platform} {entry.severity} {entry.rule}{where} no longer occurs; "
                "refresh the baseline with --write-baseline",
            )
        )
    return notices


class BaselineWriter:
    """Collects every file's gated findings during a run, then writes them sorted, in one go."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.base_dir = os.path.dirname(os.path.abspath(path))
        self.entries: dict[Key, Entry] = {}  # the worst severity per key
        self.incomplete: list[str] = []

    def add(self, report: FileReport) -> None:
        if report.errors:
            self.incomplete.append(report.path)
            return
        file = file_key(report.path, self.base_dir)
        hidden = report.baseline.hidden if report.baseline is not None else []
        for findings in [r.findings for r in report.results] + [hidden]:
            for finding in findings:
                if not gated(finding):
                    continue
                entry = entry_for(finding, file, report.requirements)
                known = self.entries.get(entry.key)
                if known is None or Severity.parse(entry.severity) > Severity.parse(known.severity):
                    self.entries[entry.key] = entry

    def render(self) -> str:
        # One entry per line, sorted: a baseline change reads as a clean line diff in review.
        rows = [json.dumps(self.entries[k].to_json(), ensure_ascii=False) for k in sorted(self.entries)]
        body = ",\n".join(f"    {row}" for row in rows)
        return f'{{\n  "orchlint_baseline": {BASELINE_VERSION},\n  "findings": [' + (f"\n{body}\n  " if rows else "") + "]\n}\n"

    def write(self) -> None:
        from orchlint.support.atomic import atomic_write

        atomic_write(self.path, self.render())
