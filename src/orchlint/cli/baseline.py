"""The --baseline and --write-baseline options of ``orchlint check``."""

from __future__ import annotations

import sys
from typing import Any

import click

from orchlint.support.exits import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK


def open_baseline(path: str | None) -> Any:
    """The baseline to gate against, or exit 2 naming what is wrong with it, before any linting."""
    if path is None:
        return None
    from orchlint.adoption.baseline import Baseline, BaselineError
    from orchlint.support.terminal import clean

    try:
        return Baseline.load(path)
    except BaselineError as exc:
        for error in exc.errors:
            key = f" {error.path}:" if error.path and not error.message.startswith(error.path) else ""
            click.echo(clean(f"{path}:{error.line or 1}:{error.column or 1} error{key} {error.message}"), err=True)
        sys.exit(EXIT_INPUT)


def open_writer(path: str | None) -> Any:
    if path is None:
        return None
    from orchlint.adoption.baseline import BaselineWriter

    from orchlint.lint.output import check_writable

    # Said before the work starts, so a long run does not end in a lost baseline; a created
    # probe file, not os.access, which says yes to root even where it cannot write.
    check_writable(path, "--write-baseline")
    return BaselineWriter(path)


def finish_baseline(writer: Any, summary: Any) -> int:
    """Write the baseline if the run saw everything; the exit code the run ends with."""
    code = summary.exit_code
    if writer is None:
        return code
    if writer.incomplete or summary.plugin_errors:
        # A baseline missing a file's findings would report them all as new later: refuse.
        why = f"{len(writer.incomplete)} file(s) could not be evaluated" if writer.incomplete else "a plugin failed"
        click.echo(f"baseline not written: {why}", err=True)
        return code
    try:
        writer.write()
    except OSError as exc:
        click.echo(f"cannot write {writer.path}: {exc.strerror or exc}", err=True)
        return EXIT_INPUT
    click.echo(f"wrote {writer.path}: {len(writer.entries)} finding(s) accepted", err=True)
    return EXIT_OK if code == EXIT_FINDINGS else code
