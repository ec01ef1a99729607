"""Lint requirements files: read, validate, evaluate, and decide what the exit code says.

One file's failure never stops the others: its errors go in its FileReport and the run goes on.
"""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orchlint import validation, yamlsource
from orchlint.engine import Engine, Evaluation, PlatformResult
from orchlint.model import InputError, PluginError, Severity
from orchlint.policy import Policy
from orchlint.registry import Registry

if TYPE_CHECKING:
    from orchlint.rereview import Rereview

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_PLUGIN = 0, 1, 2, 3
FAIL_ON = {"fail": Severity.FAIL, "warn": Severity.WARN, "never": None}


@dataclass
class FileReport:
    path: str
    errors: list[InputError] = field(default_factory=list)
    evaluation: Evaluation | None = None
    deciding: tuple[str, ...] = ()  # platforms whose verdicts decide the exit code
    name: str = ""
    target: str | None = None
    rereview: Rereview | None = None  # set when re-reviewing a past decision
    requirements: dict[str, Any] = field(default_factory=dict)
    priorities: dict[str, str] = field(default_factory=dict)

    @property
    def results(self) -> list[PlatformResult]:
        return self.evaluation.results if self.evaluation else []

    def viable(self, threshold: Severity | None) -> list[str]:
        """Deciding platforms with nothing at or above the threshold."""
        return [
            r.platform.id
            for r in self.results
            if r.platform.id in self.deciding and (threshold is None or r.verdict < threshold)
        ]

    def blocks(self, threshold: Severity | None) -> bool:
        return bool(self.deciding) and not self.viable(threshold)

    def verdicts(self, threshold: Severity | None) -> FileVerdicts:
        """What the run's summary keeps of this file (the rest can be dropped once written)."""
        counts = [0, 0, 0]
        for result in self.results:
            for finding in result.findings:
                counts[finding.severity] += 1
        return FileVerdicts(
            path=self.path,
            errors=len(self.errors),
            verdicts=tuple((r.platform.id, r.verdict) for r in self.results),
            viable=tuple(self.viable(threshold)),
            able=tuple(r.platform.id for r in self.results if threshold is None or r.verdict < threshold),
            blocked=self.blocks(threshold),
            counts=(counts[0], counts[1], counts[2]),
            plugin_errors=tuple(self.evaluation.plugin_errors) if self.evaluation else (),
        )


@dataclass(frozen=True)
class FileVerdicts:
    """One file's line in the run summary: its verdict per platform and what decides the exit.

    Small and picklable: with ``--jobs`` the worker processes send these, not whole reports.
    """

    path: str
    errors: int  # input errors: the file was not evaluated
    verdicts: tuple[tuple[str, Severity], ...]  # (platform, worst severity), in column order
    viable: tuple[str, ...]  # deciding platforms below the threshold
    able: tuple[str, ...]  # every platform below the threshold: those that can serve the file
    blocked: bool  # no deciding platform is viable (exit code 1)
    counts: tuple[int, int, int]  # findings: pass, warn, fail
    plugin_errors: tuple[PluginError, ...] = ()


@dataclass
class RunOptions:
    as_of: _dt.date
    platforms: tuple[str, ...] = ()  # empty: every registered platform
    fail_on: str = "fail"
    since: _dt.date | None = None  # re-review against this date (else the file's decided:)
    policy: Policy = field(default_factory=Policy)  # select, ignore, severity overrides

    @property
    def threshold(self) -> Severity | None:
        return FAIL_ON[self.fail_on]


@dataclass
class RunSummary:
    files: int = 0
    files_with_errors: int = 0
    files_blocked: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {s.label: 0 for s in Severity})
    plugin_errors: list[PluginError] = field(default_factory=list)
    config_errors: int = 0  # broken rule files and the like, reported as they are loaded
    # The fleet view: per platform, how many evaluated files (services) it can serve, and its
    # verdicts. Counts only, so the summary stays the same size however many files are read.
    fleet: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, report: FileReport, threshold: Severity | None) -> None:
        self.record(report.verdicts(threshold))

    def record(self, verdicts: FileVerdicts) -> None:
        self.files += 1
        if verdicts.errors:
            self.files_with_errors += 1
        if verdicts.blocked:
            self.files_blocked += 1
        for severity, n in zip(Severity, verdicts.counts):
            self.counts[severity.label] += n
        able = set(verdicts.able)
        for platform, verdict in verdicts.verdicts:
            row = self.fleet.get(platform)
            if row is None:
                row = self.fleet[platform] = {"can_serve": 0, "pass": 0, "warn": 0, "fail": 0}
            row[verdict.label] += 1
            if platform in able:
                row["can_serve"] += 1
        for error in verdicts.plugin_errors:
            if error not in self.plugin_errors:
                self.plugin_errors.append(error)

    @property
    def evaluated(self) -> int:
        """Files that were evaluated (the others had input errors)."""
        return self.files - self.files_with_errors

    def fleet_json(self) -> dict[str, Any]:
        return {
            "services": self.files,
            "evaluated": self.evaluated,
            "platforms": {p: dict(row) for p, row in sorted(self.fleet.items())},
        }

    @property
    def exit_code(self) -> int:
        if self.files_with_errors or self.config_errors:
            return EXIT_INPUT
        if self.plugin_errors:
            return EXIT_PLUGIN
        return EXIT_FINDINGS if self.files_blocked else EXIT_OK


class Linter:
    def __init__(self, registry: Registry, options: RunOptions) -> None:
        self.registry = registry
        self.options = options
        self.engine = Engine(registry, policy=options.policy)
        self.engine.memo_day = options.as_of
        self.platforms = options.platforms or tuple(sorted(registry.platforms))

    def lint_paths(self, paths: Sequence[str]) -> Iterator[FileReport]:
        for path in paths:
            yield self.lint_path(path)

    def lint_item(self, item: Any) -> FileReport:
        """A path, or what orchlint.discover yields for a directory or glob with no file."""
        if isinstance(item, str):
            return self.lint_path(item)
        return FileReport(item.path, [InputError(item.message)])

    def lint_path(self, path: str) -> FileReport:
        display = "<stdin>" if path == "-" else path
        try:
            data = sys.stdin.buffer.read() if path == "-" else _read(path)
        except OSError as exc:
            return FileReport(display, [InputError(f"cannot read file: {exc.strerror or exc}")])
        return self.lint_bytes(display, data)

    def lint_bytes(self, display: str, data: bytes) -> FileReport:
        try:
            doc = yamlsource.load(data, dates_as_strings=True)
        except yamlsource.LoadError as exc:
            return FileReport(display, [exc.error])
        if not isinstance(doc.data, dict):
            line, col = doc.locate(())
            kind = "a list" if isinstance(doc.data, list) else "a single value"
            return FileReport(display, [InputError(f"expected a mapping at the top of the file, got {kind}", line, col)])
        errors = validation.validate(doc, "requirements")
        target = doc.data.get("target")
        if not errors and target is not None and target not in self.registry.platforms:
            line, col = doc.locate(("target",))
            errors.append(InputError(f"target: unknown platform {target!r}{did_you_mean(target, self.registry.platforms)}", line, col, "target"))
        if errors:
            return FileReport(display, errors)
        evaluation = self.engine.evaluate(doc, self.platforms, self.options.as_of)
        rereview = None
        decided = doc.data.get("decided")
        since = self.options.since or (_dt.date.fromisoformat(decided) if decided else None)
        if since is not None:
            then = self.engine.evaluate(doc, self.platforms, since)
            from orchlint.rereview import compare

            rereview = compare(then, evaluation, "--since" if self.options.since else "decided")
        if self.options.platforms:
            deciding = self.options.platforms
        elif target is not None:
            deciding = (target,) if target in self.platforms else ()
        else:
            deciding = self.platforms
        return FileReport(
            display,
            [],
            evaluation,
            tuple(deciding),
            doc.data.get("name", ""),
            target,
            rereview,
            doc.data.get("requirements") or {},
            doc.data.get("priorities") or {},
        )


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read(yamlsource.MAX_BYTES + 1)
    return data


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
