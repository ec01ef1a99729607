"""The interface every output format implements, built-in or from a plugin.

Formats stream: ``start`` once, ``write`` per file as soon as it is linted, ``finish`` with
the summary. So a run over many files never holds every report in memory. A format may also
offer ``render``/``take`` (see below), so that with ``--jobs`` its per-file output is made in
the worker processes.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import field
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from orchlint.model import Frozen, record


if TYPE_CHECKING:
    from orchlint.engine.results import Gate
    from orchlint.lint.report import FileReport, RunSummary
    from orchlint.model import Platform
    from orchlint.rulekit import Rule


@record
class RunInfo(Frozen):
    """What every output format is told about the run."""

    as_of: _dt.date
    fail_on: str
    version: str
    platforms: tuple[Platform, ...]
    rules: tuple[Rule, ...] = field(default=())
    fail_on_unknown: bool = False

    def __init__(
        self, as_of: _dt.date, fail_on: str, version: str, platforms: tuple[Platform, ...], rules: tuple[Rule, ...] = (), fail_on_unknown: bool = False
    ) -> None:
        self.__dict__.update(as_of=as_of, fail_on=fail_on, version=version, platforms=platforms, rules=rules, fail_on_unknown=fail_on_unknown)

    @property
    def gate(self) -> Gate:
        """What makes a platform not viable in this run (--fail-on, --fail-on-unknown)."""
        from orchlint.engine.results import Gate
        from orchlint.support.exits import FAIL_ON

        return Gate(FAIL_ON[self.fail_on], self.fail_on_unknown)


class Formatter:
    name: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def __init__(self, stream: TextIO, *, color: bool = False, verbose: bool = False) -> None:
        self.stream = stream
        self.color = color
        self.verbose = verbose

    def start(self, run: RunInfo) -> None:
        self.run = run

    def write(self, report: FileReport) -> None:
        raise NotImplementedError

    # A format whose output for one report depends only on that report and the run may split
    # ``write`` in two: ``render`` (pure: text, and anything ``finish`` needs, picklable) and
    # ``take`` (writes them). Parallel workers then render where they lint, and only text
    # crosses between processes. ``write`` must equal ``take(*render(report))``.
    def render(self, report: FileReport) -> tuple[str, Any]:
        raise NotImplementedError

    def take(self, text: str, kept: Any) -> None:
        raise NotImplementedError

    @classmethod
    def renders_apart(cls) -> bool:
        return cls.render is not Formatter.render and cls.take is not Formatter.take

    def finish(self, summary: RunSummary) -> None:
        """Called once after the last file."""
