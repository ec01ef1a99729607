"""Lint requirements files: read, validate, evaluate, and decide what the exit code says.

One file's failure never stops the others: its errors go in its FileReport and the run goes on.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import field
from typing import Any

from orchlint.adoption import waivers as waiverlib
from orchlint.engine.core import Engine
from orchlint.engine.policy import Policy
from orchlint.engine.results import Evaluation, Gate
from orchlint.engine.timelimit import DEFAULT_RULE_TIMEOUT
from orchlint.lint.report import FileReport
from orchlint.model import InputError, Mutable, Notice, Waiver, record
from orchlint.plugins.registry import Registry
from orchlint.schemas import validation
from orchlint.support import yamlsource
from orchlint.support.exits import FAIL_ON
from orchlint.support.suggest import did_you_mean


@record  # a dataclass with shared methods: see orchlint.model
class RunOptions(Mutable):
    """How every file of a run is judged."""

    as_of: _dt.date
    platforms: tuple[str, ...] = ()  # empty: every registered platform
    fail_on: str = "fail"
    fail_on_unknown: bool = False
    since: _dt.date | None = None  # re-review against this date (else the file's decided:)
    baseline: Any = None  # a baseline.Baseline: hide the findings it knows
    explain_fail: bool = False  # search the fewest requirements to relax per failing platform
    policy: Policy = field(default_factory=Policy)  # select, ignore, severity overrides
    rule_timeout: float | None = DEFAULT_RULE_TIMEOUT  # seconds per plugin rule and platform; 0 or None: no limit

    def __init__(
        self,
        as_of: _dt.date,
        platforms: tuple[str, ...] = (),
        fail_on: str = "fail",
        fail_on_unknown: bool = False,
        since: _dt.date | None = None,
        baseline: Any = None,
        explain_fail: bool = False,
        policy: Policy | None = None,
        rule_timeout: float | None = DEFAULT_RULE_TIMEOUT,
    ) -> None:
        self.as_of = as_of
        self.platforms = platforms
        self.fail_on = fail_on
        self.fail_on_unknown = fail_on_unknown
        self.since = since
        self.baseline = baseline
        self.explain_fail = explain_fail
        self.policy = Policy() if policy is None else policy  # None: a new one, as default_factory
        self.rule_timeout = rule_timeout

    @property
    def threshold(self) -> Gate:
        """What makes a platform not viable in this run."""
        return Gate(FAIL_ON[self.fail_on], self.fail_on_unknown)


class Linter:
    def __init__(self, registry: Registry, options: RunOptions) -> None:
        self.registry = registry
        self.options = options
        self.engine = Engine(registry, policy=options.policy, rule_timeout=options.rule_timeout)
        self.platforms = options.platforms or tuple(sorted(registry.platforms))
        # The plugins' requirement namespaces are validated as the built-in keys are.
        self.requirements = validation.RequirementsValidator(registry.requirement_schemas())
        self.requirement_keys = sorted({*waiverlib.requirement_keys(), *registry.requirements})

    def lint_path(self, path: str) -> FileReport:
        display = "<stdin>" if path == "-" else printable_path(path)
        try:
            data = yamlsource.read_bounded(path)
        except OSError as exc:
            report = FileReport(display, [InputError(f"cannot read file: {exc.strerror or exc}")])
        else:
            report = self.lint_bytes(display, data)
        report.source = None if path == "-" else path
        return report

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
        errors = self.requirements.validate(doc)
        # Every independent error in one run: the names the schema cannot know (the target's
        # platform, a waiver's platform and requirement) are checked wherever the schema found
        # their part well formed, not only once the whole file is.
        wrong = {e.path.split("[")[0].split(".")[0] for e in errors if e.path}
        shown_all = not any(e.message.endswith("more errors not shown") for e in errors)
        target = doc.data.get("target")
        if isinstance(target, str) and "target" not in wrong and target not in self.registry.platforms:
            line, col = doc.locate(("target",))
            errors.append(InputError(f"target: unknown platform {target!r}{did_you_mean(target, self.registry.platforms)}", line, col, "target"))
        waivers: list[Waiver] = []
        if "waivers" not in wrong and shown_all:
            waivers, problems = waiverlib.parse(doc, self.registry.platforms, self.requirement_keys)
            errors.extend(problems)
        if errors:
            return FileReport(display, sorted(errors, key=lambda e: (e.line or 0, e.column or 0)))
        evaluation, notices = self.evaluate(doc, self.options.as_of, waivers)
        if evaluation.results and not any(r.findings for r in evaluation.results) and not evaluation.plugin_errors:
            # Nothing judged this file: every rule that could is blocked, deselected or ignored
            # (``block: [orchlint.rules]``). A pass here would be the gate switched off.
            return FileReport(display, [InputError("no rule judged this file: the rules that apply to it are blocked, not selected or ignored (see orchlint config)", 1, 1)])
        rereview = None
        decided = doc.data.get("decided")
        since = self.options.since or (_dt.date.fromisoformat(decided) if decided else None)
        if since is not None:
            # The same waivers, judged on the same day, apply then as now: a re-review shows
            # what the facts changed, not what the waivers did.
            from orchlint.compare.rereview import compare  # only for a file re-reviewed

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
            from orchlint.compare.whatif import explain_failures

            report.explain = explain_failures(self, report)
        if self.options.baseline is not None:
            from orchlint.adoption.baseline import stale_notices

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
        return waiverlib.apply(evaluation, waivers, waivers_as_of or as_of, self.registry.rules, self.options.policy)


def printable_path(path: str) -> str:
    """A file name as it can be printed: undecodable bytes (kept by Python as lone
    surrogates) become ``\\xNN``, so no output stream or JSON encoder fails on them."""
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate not made by surrogateescape: only from an API caller
        return path.encode("utf-8", "backslashreplace").decode("utf-8")
