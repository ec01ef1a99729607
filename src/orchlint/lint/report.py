"""What a run found: one file's report and the whole run's summary, with its exit code.

These are the types the outputs, the baseline, waivers and the comparisons read; they sit apart
from the Linter that makes them, so that those add-ons never import the linter back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any

from orchlint.engine.results import Evaluation, Gate, PlatformResult
from orchlint.model import InputError, Mutable, Notice, PluginError, Severity, Waiver, record
from orchlint.support import yamlsource
from orchlint.support.exits import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_PLUGIN

if TYPE_CHECKING:
    from orchlint.compare.rereview import Rereview


@record  # a dataclass with shared methods: see orchlint.model
class FileReport(Mutable):
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
    # The path as the file system knows it (``path`` is its printable form, with undecodable
    # bytes as \xNN): for formats that must name the very file, such as GitHub annotations.
    # None for standard input and for reports not made from a path.
    source: str | None = None

    def __init__(
        self,
        path: str,
        errors: list[InputError] | None = None,
        evaluation: Evaluation | None = None,
        deciding: tuple[str, ...] = (),
        name: str = "",
        target: str | None = None,
        rereview: Rereview | None = None,
        requirements: dict[str, Any] | None = None,
        priorities: dict[str, str] | None = None,
        notices: list[Notice] | None = None,
        waivers: list[Waiver] | None = None,
        baseline: Any = None,
        explain: Any = None,
        document: yamlsource.Document | None = None,
        source: str | None = None,
    ) -> None:
        # None for a list or dict field: a new one, as its default_factory would make
        self.path = path
        self.errors = [] if errors is None else errors
        self.evaluation = evaluation
        self.deciding = deciding
        self.name = name
        self.target = target
        self.rereview = rereview
        self.requirements = {} if requirements is None else requirements
        self.priorities = {} if priorities is None else priorities
        self.notices = [] if notices is None else notices
        self.waivers = [] if waivers is None else waivers
        self.baseline = baseline
        self.explain = explain
        self.document = document
        self.source = source

    @property
    def results(self) -> list[PlatformResult]:
        return self.evaluation.results if self.evaluation else []

    def viable(self, threshold: Gate | Severity | None) -> list[str]:
        """Deciding platforms the gate lets through (nothing at or above its severity). A bare
        severity (or None), as plugins written before unknowns were gated pass, is a gate that
        lets unknowns through."""
        threshold = as_gate(threshold)
        return [
            r.platform.id
            for r in self.results
            if r.platform.id in self.deciding and threshold.serves(r)
        ]

    def blocks(self, threshold: Gate | Severity | None) -> bool:
        return bool(self.deciding) and not self.viable(threshold)

    def ordered(self, threshold: Gate) -> list[tuple[PlatformResult, str]]:
        """Each platform with its place, what decides first: ``deciding`` (in their order), then
        the other ``candidate`` platforms the gate lets through, then the ``other`` ones, and last
        those that are ``out``: they fail a rule that judges every file (an end of life), so no
        change to the file can make them viable."""
        order = {"deciding": 0, "candidate": 1, "other": 2, "out": 3}
        rank = {p: i for i, p in enumerate(self.deciding)}
        placed = [(r, self.place(r, threshold)) for r in self.results]
        return sorted(placed, key=lambda item: (order[item[1]], rank.get(item[0].platform.id, 0)))

    def place(self, result: PlatformResult, threshold: Gate) -> str:
        if result.platform.id in self.deciding:
            return "deciding"
        if out_of_the_running(result):
            return "out"
        return "candidate" if threshold.serves(result) else "other"


def as_gate(threshold: Gate | Severity | None) -> Gate:
    return threshold if isinstance(threshold, Gate) else Gate(threshold)


def out_of_the_running(result: PlatformResult) -> bool:
    """Fails a rule that judges every file (no requirement: an end of life, say)."""
    return result.fails_every_file


@record
class RunSummary(Mutable):
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
    # Arguments that named no requirements file: "DIR: no requirements files found in this
    # directory" (support.discover.expand). Input errors too, but not the configuration's.
    discovery_errors: list[str] = field(default_factory=list)
    # The fleet view: platform -> how many of the linted files it could serve (is viable for),
    # and of those, how many only while some must-have requirement is unknown.
    fleet: dict[str, int] = field(default_factory=dict)
    fleet_unknown: dict[str, int] = field(default_factory=dict)

    def __init__(
        self,
        files: int = 0,
        files_with_errors: int = 0,
        files_blocked: int = 0,
        counts: dict[str, int] | None = None,
        plugin_errors: list[PluginError] | None = None,
        waived: int = 0,
        notices: int = 0,
        baseline: dict[str, int] | None = None,
        config_errors: list[str] | None = None,
        discovery_errors: list[str] | None = None,
        fleet: dict[str, int] | None = None,
        fleet_unknown: dict[str, int] | None = None,
    ) -> None:
        # None for a list or dict field: a new one, as its default_factory would make
        self.files = files
        self.files_with_errors = files_with_errors
        self.files_blocked = files_blocked
        self.counts = {s.label: 0 for s in Severity} if counts is None else counts
        self.plugin_errors = [] if plugin_errors is None else plugin_errors
        self.waived = waived
        self.notices = notices
        self.baseline = baseline
        self.config_errors = [] if config_errors is None else config_errors
        self.discovery_errors = [] if discovery_errors is None else discovery_errors
        self.fleet = {} if fleet is None else fleet
        self.fleet_unknown = {} if fleet_unknown is None else fleet_unknown

    def add(self, report: FileReport, threshold: Gate | Severity | None) -> None:
        threshold = as_gate(threshold)
        self.files += 1
        for result in report.results:
            served = threshold.serves(result)
            self.fleet[result.platform.id] = self.fleet.get(result.platform.id, 0) + served
            if served and result.unknown_musts:
                self.fleet_unknown[result.platform.id] = self.fleet_unknown.get(result.platform.id, 0) + 1
        if report.errors:
            self.files_with_errors += 1
        if report.blocks(threshold):
            self.files_blocked += 1
        counts = self.counts
        for result in report.results:
            self.waived += result.waived
            for severity, count in result.by_severity.items():
                counts[severity.label] += count
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
        for platform, served in other.fleet_unknown.items():
            self.fleet_unknown[platform] = self.fleet_unknown.get(platform, 0) + served
        self.waived += other.waived
        self.notices += other.notices
        if other.baseline is not None:
            self._add_baseline(other.baseline)
        self._add_plugin_errors(other.plugin_errors)
        self.config_errors.extend(other.config_errors)
        self.discovery_errors.extend(other.discovery_errors)

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
        if self.files_with_errors or self.config_errors or self.discovery_errors:
            return EXIT_INPUT
        if self.plugin_errors:
            return EXIT_PLUGIN
        return EXIT_FINDINGS if self.files_blocked else EXIT_OK
