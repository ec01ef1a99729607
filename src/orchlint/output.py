"""Where formatted output goes: stdout, or files that appear whole or not at all."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import click

from orchlint import __version__
from orchlint.formatters.base import Formatter, RunInfo


@dataclass(frozen=True)
class FormatSpec:
    name: str
    path: str | None  # None: standard output


def parse_format_specs(specs: Sequence[str], known: Mapping[str, Any]) -> list[FormatSpec]:
    parsed = []
    for spec in specs:
        name, _, path = spec.partition(":")
        if name not in known:
            from orchlint.lint import did_you_mean

            raise click.BadParameter(
                f"unknown format {name!r}{did_you_mean(name, known)}; known: {', '.join(sorted(known))}",
                param_hint="--format",
            )
        parsed.append(FormatSpec(name, path or None))
    if sum(1 for s in parsed if s.path is None) > 1:
        raise click.BadParameter("only one format can go to standard output; give the others a :PATH", param_hint="--format")
    for spec in parsed:
        if spec.path is not None:
            _check_writable(spec.path)
    return parsed


def _check_writable(path: str) -> None:
    # Said before the work starts, so a long run does not end in a lost report.
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise click.BadParameter(f"{path} is a directory", param_hint="--format")
    if not os.path.isdir(directory) or not os.access(directory, os.W_OK):
        raise click.BadParameter(f"cannot write {path}: directory {directory} is missing or not writable", param_hint="--format")


class Outputs:
    def __init__(self, formatters: list[Formatter]) -> None:
        self.formatters = formatters

    def write(self, report: Any) -> None:
        for formatter in self.formatters:
            formatter.write(report)

    def finish(self, summary: Any) -> None:
        for formatter in self.formatters:
            formatter.finish(summary)


@contextlib.contextmanager
def open_outputs(
    specs: Sequence[FormatSpec], registry: Any, linter: Any, options: Any, *, color: bool, verbose: bool
) -> Iterator[Outputs]:
    info = RunInfo(
        as_of=options.as_of,
        fail_on=options.fail_on,
        version=__version__,
        platforms=tuple(registry.platforms[p] for p in linter.platforms),
        rules=tuple(linter.engine.rules),
    )
    with contextlib.ExitStack() as stack:
        formatters = []
        for spec in specs:
            if spec.path is None:
                stream = sys.stdout
                use_color = color and stream.isatty()
            else:
                stream = stack.enter_context(atomic_file(spec.path))
                use_color = False
            formatter = registry.formatters[spec.name](stream, color=use_color, verbose=verbose)
            formatter.start(info)
            formatters.append(formatter)
        yield Outputs(formatters)


@contextlib.contextmanager
def atomic_file(path: str) -> Iterator[io.TextIOWrapper]:
    """A file that replaces ``path`` only if the block completes; otherwise nothing changes."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".orchlint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            # mkstemp creates the file 0600; a report is an ordinary file, so it gets the mode
            # an ordinary file would: the existing file's, else 0666 less the umask.
            os.fchmod(handle.fileno(), _mode_for(path))
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_for(path: str) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write(path: str, text: str) -> None:
    with atomic_file(path) as handle:
        handle.write(text)
