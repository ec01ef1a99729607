"""Lint requirements files: read, validate, evaluate, and decide what the exit code says.

One file's failure never stops the others: its errors go in its FileReport and the run goes on.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orchlint import validation, yamlsource
from orchlint import waivers as waiverlib
from orchlint.engine import Engine, Evaluation, PlatformResult
from orchlint.model import InputError, Notice, PluginError, Severity, Waiver
from orchlint.policy import Policy
from orchlint.registry import Registry

if TYPE_CHECKING:
    from orchlint.rereview import Rereview

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_PLUGIN = 0, 1, 2, 3
FAIL_ON = {"fail": Severity.FAIL, "warn": Severity.WARN, "never": None}


@dataclass
class FileReport:
    """What one file came to: its input errors, or its evaluation and what goes with it."""

    path: str
    errors: list[InputError] = field(default_factory=list)
    evaluation: Evaluation | None = None
    deciding: tuple[str, ...] = ()  # platforms whose verdicts decide the exit code
    name: str = ""
    target: str | None = None
    rereview: Rereview | None = None  # set when re-reviewing a past decision
    requirements: dict[str, Any] = field(default_factory=dict)
    priorities: dict[str, str] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)  # said, never counted: unused waivers, stale baseline
    waivers: list[Waiver] = field(default_factory=list)
    baseline: Any = None  # a baseline.BaselineResult when run with --baseline
    explain: Any = None  # platform id -> whatif.Relaxation, with --explain-fail
    document: yamlsource.Document | None = field(default=None, repr=False)

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


@dataclass
class RunOptions:
    """How every file of a run is judged."""

    as_of: _dt.date
    platforms: tuple[str, ...] = ()  # empty: every registered platform
    fail_on: str = "fail"
    since: _dt.date | None = None  # re-review against this date (else the file's decided:)
    baseline: Any = None  # a baseline.Baseline: hide the findings it knows
    explain_fail: bool = False  # search the fewest requirements to relax per failing platform
    policy: Policy = field(default_factory=Policy)  # select, ignore, severity overrides

    @property
    def threshold(self) -> Severity | None:
        return FAIL_ON[self.fail_on]


@dataclass
class RunSummary:
    """What the whole run found, as the summary and the exit code need it."""

    files: int = 0
    files_with_errors: int = 0
    files_blocked: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {s.label: 0 for s in Severity})
    plugin_errors: list[PluginError] = field(default_factory=list)
    waived: int = 0
    notices: int = 0
    baseline: dict[str, int] | None = None  # new / unchanged / fixed, with --baseline
    # Broken rule files and the like: "file:line:col: message", reported as they are loaded.
    config_errors: list[str] = field(default_factory=list)
    # The fleet view: platform -> how many of the linted files it could serve (is viable for).
    fleet: dict[str, int] = field(default_factory=dict)

    def add(self, report: FileReport, threshold: Severity | None) -> None:
        self.files += 1
        for result in report.results:
            served = threshold is None or result.verdict < threshold
            self.fleet[result.platform.id] = self.fleet.get(result.platform.id, 0) + served
        if report.errors:
            self.files_with_errors += 1
        if report.blocks(threshold):
            self.files_blocked += 1
        for result in report.results:
            for finding in result.findings:
                if finding.waiver is not None:
                    self.waived += 1
                else:
                    self.counts[finding.severity.label] += 1
        self.notices += len(report.notices)
        if report.baseline is not None:
            self._add_baseline({key: getattr(report.baseline, key) for key in ("new", "unchanged", "fixed")})
        if report.evaluation:
            self._add_plugin_errors(report.evaluation.plugin_errors)

    def merge(self, other: RunSummary) -> None:
        """Add a summary of later files (a worker's chunk), as if each had been added here."""
        self.files += other.files
        self.files_with_errors += other.files_with_errors
        self.files_blocked += other.files_blocked
        for label, count in other.counts.items():
            self.counts[label] += count
        for platform, served in other.fleet.items():
            self.fleet[platform] = self.fleet.get(platform, 0) + served
        self.waived += other.waived
        self.notices += other.notices
        if other.baseline is not None:
            self._add_baseline(other.baseline)
        self._add_plugin_errors(other.plugin_errors)
        self.config_errors.extend(other.config_errors)

    def _add_baseline(self, counted: Mapping[str, int]) -> None:
        counts = self.baseline or {"new": 0, "unchanged": 0, "fixed": 0}
        for key in counts:
            counts[key] += counted[key]
        self.baseline = counts

    def _add_plugin_errors(self, errors: Iterable[PluginError]) -> None:
        for error in errors:  # the same broken rule fails on every file: said once
            if error not in self.plugin_errors:
                self.plugin_errors.append(error)

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
        self.platforms = options.platforms or tuple(sorted(registry.platforms))

    def lint_path(self, path: str) -> FileReport:
        display = "<stdin>" if path == "-" else printable_path(path)
        try:
            data = yamlsource.read_bounded(path)
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
        return self.lint_document(display, doc)

    def lint_document(self, display: str, doc: yamlsource.Document) -> FileReport:
        """Validate and judge a loaded document (what-if hands in edited ones)."""
        errors = validation.validate(doc, "requirements")
        target = doc.data.get("target")
        if not errors and target is not None and target not in self.registry.platforms:
            line, col = doc.locate(("target",))
            errors.append(InputError(f"target: unknown platform {target!r}{did_you_mean(target, self.registry.platforms)}", line, col, "target"))
        waivers: list[Waiver] = []
        if not errors:
            waivers, errors = waiverlib.parse(doc, self.registry.platforms, waiverlib.requirement_keys())
        if errors:
            return FileReport(display, errors)
        evaluation, notices = self.evaluate(doc, self.options.as_of, waivers)
        rereview = None
        decided = doc.data.get("decided")
        since = self.options.since or (_dt.date.fromisoformat(decided) if decided else None)
        if since is not None:
            # The same waivers, judged on the same day, apply then as now: a re-review shows
            # what the facts changed, not what the waivers did.
            from orchlint.rereview import compare  # only for a file re-reviewed

            then, _ = self.evaluate(doc, since, waivers, waivers_as_of=self.options.as_of)
            rereview = compare(then, evaluation, "--since" if self.options.since else "decided")
        if self.options.platforms:
            deciding = self.options.platforms
        elif target is not None:
            deciding = (target,) if target in self.platforms else ()
        else:
            deciding = self.platforms
        report = FileReport(
            display,
            [],
            evaluation,
            tuple(deciding),
            doc.data.get("name", ""),
            target,
            rereview,
            doc.data.get("requirements") or {},
            doc.data.get("priorities") or {},
            notices,
            waivers,
            document=doc,
        )
        if self.options.explain_fail:
            from orchlint.whatif import explain_failures

            report.explain = explain_failures(self, report)
        if self.options.baseline is not None:
            from orchlint.baseline import stale_notices

            report.baseline = self.options.baseline.apply(report)
            report.notices.extend(stale_notices(report.baseline, report))
        report.notices.sort()
        return report

    def evaluate(
        self,
        doc: yamlsource.Document,
        as_of: _dt.date,
        waivers: list[Waiver],
        *,
        platforms: Sequence[str] | None = None,
        waivers_as_of: _dt.date | None = None,
    ) -> tuple[Evaluation, list[Notice]]:
        """The engine's findings with the file's waivers applied."""
        evaluation = self.engine.evaluate(doc, self.platforms if platforms is None else platforms, as_of)
        return waiverlib.apply(evaluation, waivers, waivers_as_of or as_of, self.registry.rules)


def printable_path(path: str) -> str:
    """A file name as it can be printed: undecodable bytes (kept by Python as lone
    surrogates) become ``\\xNN``, so no output stream or JSON encoder fails on them."""
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate not made by surrogateescape: only from an API caller
        return path.encode("utf-8", "backslashreplace").decode("utf-8")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    import difflib  # only ever on the way to an error message

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
