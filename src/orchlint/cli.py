"""The ``orchlint`` command. It names no platform and no rule: everything comes from plugins.

Heavy imports (the engine, jsonschema) happen inside commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
import sys
from typing import Any

import click

from orchlint import __version__
from orchlint.cli_settings import RUN_SETTINGS, Setup, _parse_day, _today, load_setup, settings_options

EXIT_INPUT = 2


def entry() -> None:
    """The ``orchlint`` console script: ``main`` run as a process of its own.

    Two things only a whole process can do, worth about a third of a short run's time:
    the cyclic garbage collector is paused while start-up builds tens of thousands of
    long-lived objects (it would scan them again and again for nothing) and resumes once they
    are built (``cli_settings.resume_gc``, for every command); and once everything is written the process ends without tearing down
    every module and object one by one (atexit handlers still run).
    """
    import gc

    from orchlint import cli_settings

    cli_settings.FAST_PROCESS = True
    gc.disable()
    try:
        main()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    _exit(code)


def _exit(code: Any) -> None:
    import atexit

    if code is None:
        code = 0
    if not isinstance(code, int):
        sys.exit(code)  # a message: let Python print it as usual
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        sys.exit(code)  # let Python report it as it always does
    atexit._run_exitfuncs()
    os._exit(code)


class _Commands(click.Group):
    """The command families other than check and report live in modules of their own, imported
    only when one of their commands is asked for (or listed, by --help): a check never pays for
    them."""

    # command name -> module that defines it (in that module's COMMANDS)
    LAZY = {
        "rules": "cli_info",
        "explain": "cli_info",
        "platforms": "cli_info",
        "plugins": "cli_info",
        "config": "cli_info",
        "schema": "cli_info",
        "init": "cli_info",
        "test": "cli_test",
        "diff": "cli_diff",
        "what-if": "cli_whatif",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.LAZY:
            import importlib

            module = importlib.import_module(f"orchlint.{self.LAZY[cmd_name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return self.commands.get(cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orchlint")
def main() -> None:
    """Lint a container-orchestrator requirements file against every known platform."""


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="FMT[:PATH]",
    help="Output format, optionally written to PATH (repeatable). Default: text to stdout.",
)
@click.option("--as-of", callback=_parse_day, metavar="YYYY-MM-DD", help="Evaluate with the facts that held on this date (default: today).")
@click.option(
    "--since",
    callback=_parse_day,
    metavar="YYYY-MM-DD",
    help="Re-review: show each platform's verdict on this date beside today's, and why it changed "
    "(default: the file's decided: date).",
)
@click.option("--baseline", "baseline_path", metavar="FILE", help="Report only findings that are not in this baseline file.")
@click.option("--write-baseline", metavar="FILE", help="Write every warn and fail finding to this baseline file (atomically); exit 0 once written.")
@click.option("--explain-fail", is_flag=True, help="For each platform that is not viable, name the fewest requirements to relax.")
@click.option("--no-color", is_flag=True, help="Never colour the text output (NO_COLOR is respected too).")
@click.option("-v", "--verbose", is_flag=True, help="Also show passing findings.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Worker processes for many files [default: the number of CPUs]; output keeps file order.",
)
@settings_options(*RUN_SETTINGS)
def check(
    files: tuple[str, ...],
    formats: tuple[str, ...],
    as_of: _dt.date | None,
    since: _dt.date | None,
    baseline_path: str | None,
    write_baseline: str | None,
    explain_fail: bool,
    no_color: bool,
    verbose: bool,
    jobs: int | None,
    settings: Any,
) -> None:
    """Lint requirements FILES (or - for standard input).

    Settings come from .orchlint.yaml or [tool.orchlint] in pyproject.toml (see orchlint
    config); options given here override them.

    \b
    Exit codes:
      0  no deciding platform has a finding at or above --fail-on
      1  some file has no viable deciding platform
      2  a file, option, configuration or rule file could not be processed
      3  a plugin failed (its error is reported; other rules still ran)
    With --write-baseline: 0 once the baseline is written (2 and 3 as above).
    """
    from orchlint.cli_baseline import finish_baseline, open_baseline, open_writer

    writer = open_writer(write_baseline)
    setup = load_setup(settings)
    options = _run_options(setup, as_of=as_of, since=since, baseline=open_baseline(baseline_path), explain_fail=explain_fail)
    summary = _run(setup, files, formats or ("text",), options, color=not no_color, verbose=verbose, observer=writer, jobs=jobs)
    sys.exit(finish_baseline(writer, summary))


def _run_options(setup: Setup, *, as_of: _dt.date | None, since: _dt.date | None, **extra: Any) -> Any:
    from orchlint.lint import RunOptions

    settings = setup.settings
    return RunOptions(
        as_of=as_of or _today(),
        platforms=_known_platforms(setup.registry, settings["platforms"]),
        fail_on=settings["fail_on"],
        since=since,
        policy=settings.policy,
        **extra,
    )


def _known_platforms(registry: Any, platforms: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [p for p in platforms if p not in registry.platforms]
    if unknown:
        from orchlint.lint import did_you_mean

        raise click.BadParameter(
            f"unknown platform {unknown[0]!r}{did_you_mean(unknown[0], registry.platforms)}; "
            f"known: {', '.join(sorted(registry.platforms))}",
            param_hint="--platform",
        )
    return tuple(dict.fromkeys(platforms))


def _run(
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
    from orchlint.engine import rule_timeout_from_env
    from orchlint.lint import Linter, RunSummary
    from orchlint.output import open_outputs, parse_format_specs

    try:
        rule_timeout_from_env()  # the engine reads it; a typo is said here, not ignored
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    registry = setup.registry
    specs = parse_format_specs(formats, registry.formatters)
    setup.warn(plugin_errors=False)
    linter = Linter(registry, options)
    color = color and not os.environ.get("NO_COLOR")  # no-color.org: set and not empty
    summary = RunSummary(plugin_errors=list(registry.errors), config_errors=list(setup.rule_file_errors))
    from orchlint import parallel
    from orchlint.discover import expand
    from orchlint.progress import Progress

    paths, empty = expand(files)
    for message in empty:  # asked to lint something, linted nothing: never a silent pass
        click.echo(f"orchlint: error: {message}", err=True)
    summary.config_errors.extend(empty)
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
    except OSError as exc:  # a full disk, a vanished directory: reading errors never get here
        if exc.errno == errno.EPIPE:
            raise  # click exits quietly when the reader of a pipe has gone (`| head`)
        where = f" {exc.filename}" if exc.filename else ""
        raise OutputError(f"cannot write output{where}: {exc.strerror or exc}") from None
    return summary


class OutputError(click.ClickException):
    exit_code = EXIT_INPUT


@main.command()
@click.argument("file")
@click.option("--format", "fmt", default="markdown", show_default=True, metavar="FMT", help="Document format: markdown or html (or any registered format).")
@click.option("-o", "--output", metavar="PATH", help="Write the document to PATH, atomically (default: standard output).")
@click.option("--as-of", callback=_parse_day, metavar="YYYY-MM-DD", help="Evaluate with the facts that held on this date (default: today).")
@click.option("--since", callback=_parse_day, metavar="YYYY-MM-DD", help="Show what changed since this date (default: the file's decided: date).")
@settings_options(*RUN_SETTINGS)
def report(
    file: str,
    fmt: str,
    output: str | None,
    as_of: _dt.date | None,
    since: _dt.date | None,
    settings: Any,
) -> None:
    """Write an architecture-review document for FILE.

    Exit code 0 when the document was written, whatever the verdicts; 2 and 3 as for check.
    """
    from orchlint.lint import EXIT_FINDINGS, EXIT_OK

    setup = load_setup(settings)
    options = _run_options(setup, as_of=as_of, since=since, explain_fail=True)
    spec = f"{fmt}:{output}" if output else fmt
    summary = _run(setup, (file,), (spec,), options, color=False, verbose=True)
    code = summary.exit_code
    sys.exit(EXIT_OK if code == EXIT_FINDINGS else code)
