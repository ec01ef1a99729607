"""What check, report, diff and what-if share: the run's options and linting files to outputs."""

from __future__ import annotations

import datetime as _dt
import errno
import os
import sys
from typing import Any

import click

from orchlint.cli.settings import Setup, today
from orchlint.support.exits import EXIT_INPUT, EXIT_PLUGIN
from orchlint.support.terminal import clean

def run_options(setup: Setup, *, as_of: _dt.date | None, since: _dt.date | None, **extra: Any) -> Any:
    from orchlint.lint.linter import RunOptions

    settings = setup.settings
    return RunOptions(
        as_of=as_of or today(),
        platforms=known_platforms(setup.registry, settings["platforms"]),
        fail_on=settings["fail_on"],
        fail_on_unknown=settings["fail_on_unknown"],
        since=since,
        policy=settings.policy,
        rule_timeout=settings["rule_timeout"],
        **extra,
    )


def known_platforms(registry: Any, platforms: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [p for p in platforms if p not in registry.platforms]
    if unknown:
        from orchlint.support.suggest import did_you_mean

        raise click.BadParameter(
            f"unknown platform {unknown[0]!r}{did_you_mean(unknown[0], registry.platforms)}; "
            f"known: {', '.join(sorted(registry.platforms))}",
            param_hint="--platform",
        )
    return tuple(dict.fromkeys(platforms))


def run_files(
    setup: Setup,
    files: tuple[str, ...],
    formats: tuple[str, ...],
    options: Any,
    *,
    color: bool,
    verbose: bool,
    observer: Any = None,
    jobs: int | None = 1,
) -> Any:
    from orchlint.lint.linter import Linter
    from orchlint.lint.report import RunSummary
    from orchlint.lint.output import FormatterFailed, open_outputs, parse_format_specs

    registry = setup.registry
    specs = parse_format_specs(formats, registry.formatters)
    setup.warn(plugin_errors=False)
    linter = Linter(registry, options)
    require_rules(linter)
    color = color and not os.environ.get("NO_COLOR")  # no-color.org: set and not empty
    summary = RunSummary(plugin_errors=list(registry.errors), config_errors=list(setup.rule_file_errors))
    from orchlint.lint import parallel
    from orchlint.support.discover import expand
    from orchlint.lint.progress import Progress

    paths, empty = expand(files)
    from orchlint.lint.output import refuse_overwriting_inputs

    writes = [("--format", spec.path) for spec in specs] + [("--write-baseline", getattr(observer, "path", None))]
    refuse_overwriting_inputs(writes, paths)
    baseline_path = getattr(options.baseline, "path", None)
    if baseline_path is not None:
        refuse_overwriting_inputs([("--format", spec.path) for spec in specs], [baseline_path])
    for message in empty:  # asked to lint something, linted nothing: never a silent pass
        click.echo(f"orchlint: error: {clean(message)}", err=True)
    summary.discovery_errors.extend(empty)
    progress = Progress(sys.stderr, len(paths))
    try:
        with open_outputs(specs, registry, linter, options, color=color, verbose=verbose) as outputs:
            # With a baseline being written every report is needed here: workers do not render.
            for report in parallel.lint_all(
                linter, paths, jobs or parallel.default_jobs(), outputs=outputs if observer is None else None, threshold=options.threshold
            ):
                progress.step(report.path)
                if isinstance(report, parallel.Rendered):
                    outputs.take(report)
                    if report.summary is not None:
                        summary.merge(report.summary)
                    continue
                summary.add(report, options.threshold)
                if observer is not None:
                    observer.add(report)
                outputs.write(report)
            progress.done()
            outputs.finish(summary)
    except FormatterFailed as exc:
        raise RunAborted(str(exc), EXIT_PLUGIN) from None
    except parallel.WorkerDied as exc:
        raise RunAborted(str(exc), EXIT_PLUGIN if exc.suspects else EXIT_INPUT) from None
    except OSError as exc:  # a full disk, a vanished directory: reading errors never get here
        if exc.errno == errno.EPIPE:
            raise  # click exits quietly when the reader of a pipe has gone (`| head`)
        where = f" {exc.filename}" if exc.filename else ""
        raise OutputError(f"cannot write output{where}: {exc.strerror or exc}") from None
    return summary


def require_rules(linter: Any) -> None:
    """A run with no rule left (``block: [orchlint.rules]``, a ``select`` that matches nothing)
    would print "0 fail" and pass every file: the gate switched off without a word. Refused."""
    if not linter.engine.rules:
        raise click.UsageError(
            "no rule is enabled: the plugins blocked and the select/ignore settings leave nothing to run "
            "(see orchlint config and orchlint rules)"
        )


class OutputError(click.ClickException):
    exit_code = EXIT_INPUT


class RunAborted(click.ClickException):
    """The run could not finish: nothing it wrote is left half-done, and the message says
    which files went unlinted."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.exit_code = code

    def show(self, file: Any = None) -> None:
        message = clean(self.message)
        click.echo(message if message.startswith("plugin error: ") else f"orchlint: error: {message}", err=True)


# What diff and what-if compare, and how they end.
DIFF_FORMATS = ("text", "json", "markdown")


def output_path(output: str | None, inputs: tuple[str, ...]) -> str | None:
    """A command's ``-o PATH``, checked before any work: ``-`` is standard output; an input
    file, a directory or an unwritable place is refused."""
    if output is None or output == "-":
        return None
    from orchlint.lint.output import check_writable, refuse_overwriting_inputs

    check_writable(output, "--output")
    refuse_overwriting_inputs([("--output", output)], inputs)
    return output


def emit(diff: Any, fmt: str, output: str | None, title: str = "") -> None:
    from orchlint.compare.render import render
    from orchlint.support.atomic import atomic_write

    text = render(diff, fmt, title)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        atomic_write(output, text)
    except OSError as exc:
        raise click.UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


def final_code(code: int, setup: Any, *reports: Any) -> int:
    """2 wins over 3, and 3 over 1, as for check; broken rule files are input errors."""
    if setup.rule_file_errors:
        code = EXIT_INPUT
    errors = list(setup.registry.errors)
    for report in reports:
        if report.evaluation is not None:
            errors += [e for e in report.evaluation.plugin_errors if e not in errors]
    for error in errors:
        click.echo(f"plugin error: {clean(error.plugin)}: {clean(error.message)}", err=True)
    if code == EXIT_INPUT or not errors:
        return code
    return EXIT_PLUGIN
