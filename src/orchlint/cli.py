"""The ``orchlint`` command. It names no platform and no rule: everything comes from plugins.

Heavy imports (the engine, jsonschema) happen inside commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
from typing import Any

import click

from orchlint import __version__
from orchlint.cli_settings import RUN_SETTINGS, Setup, load_setup, settings_options

EXIT_INPUT = 2


def _parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _today() -> _dt.date:
    # ORCHLINT_TODAY pins "today" for reproducible runs (golden files, CI replays).
    pinned = os.environ.get("ORCHLINT_TODAY")
    if pinned:
        try:
            return _dt.date.fromisoformat(pinned)
        except ValueError:
            raise click.UsageError(f"ORCHLINT_TODAY: expected YYYY-MM-DD, got {pinned!r}") from None
    return _dt.date.today()


def entry() -> None:
    """The ``orchlint`` console script: ``main`` run as a process of its own.

    Two things only a whole process can do, worth about a third of a short run's time:
    the cyclic garbage collector is paused while start-up builds tens of thousands of
    long-lived objects (it would scan them again and again for nothing) and resumes before the
    files are linted; and once everything is written the process ends without tearing down
    every module and object one by one (atexit handlers still run).
    """
    import gc

    global _FAST_PROCESS
    _FAST_PROCESS = True
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


_FAST_PROCESS = False  # set by entry(): this process runs one command and ends


def resume_gc() -> None:
    """Called once start-up is over: objects made so far are frozen out of every later
    collection, and the collector runs again for what the run itself allocates."""
    if _FAST_PROCESS:
        import gc

        gc.freeze()
        gc.enable()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--no-color", is_flag=True, help="Never colour the text output (NO_COLOR is respected too).")
@click.option("-v", "--verbose", is_flag=True, help="Also show passing findings.")
@click.option(
    "--include",
    "include",
    multiple=True,
    metavar="GLOB",
    help="File names to lint in a DIR (repeatable) [default: orchlint.yaml, orchlint.yml, *.orchlint.yaml, *.orchlint.yml].",
)
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
    no_color: bool,
    verbose: bool,
    include: tuple[str, ...],
    jobs: int | None,
    settings: Any,
) -> None:
    """Lint requirements FILES, directories and globs (or - for standard input).

    A directory is searched recursively, in a stable order, for orchlint.yaml, orchlint.yml,
    *.orchlint.yaml and *.orchlint.yml (or the --include names), skipping hidden files and
    directories. A progress bar is shown on standard error when it is a terminal.

    Settings come from .orchlint.yaml or [tool.orchlint] in pyproject.toml (see orchlint
    config); options given here override them.

    \b
    Exit codes:
      0  no deciding platform has a finding at or above --fail-on
      1  some file has no viable deciding platform
      2  a file, option, configuration or rule file could not be processed
      3  a plugin failed (its error is reported; other rules still ran)
    """
    setup = load_setup(settings)
    options = _run_options(setup, as_of=as_of, since=since)
    summary = _run(
        setup, files, formats or ("text",), options, color=not no_color, verbose=verbose, include=include, jobs=jobs
    )
    sys.exit(summary.exit_code)


def _run_options(setup: Setup, *, as_of: _dt.date | None, since: _dt.date | None) -> Any:
    from orchlint.lint import RunOptions

    settings = setup.settings
    return RunOptions(
        as_of=as_of or _today(),
        platforms=_known_platforms(setup.registry, settings["platforms"]),
        fail_on=settings["fail_on"],
        since=since,
        policy=settings.policy,
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
    include: tuple[str, ...] = (),
    jobs: int | None = 1,
) -> Any:
    from orchlint import discover, parallel
    from orchlint.lint import Linter, RunSummary
    from orchlint.output import open_outputs, parse_format_specs

    registry = setup.registry
    specs = parse_format_specs(formats, registry.formatters)
    setup.warn(plugin_errors=False)
    linter = Linter(registry, options)
    color = color and not os.environ.get("NO_COLOR")  # no-color.org: set and not empty
    summary = RunSummary(plugin_errors=list(registry.errors), config_errors=len(setup.rule_file_errors))
    names = include or discover.DEFAULT_INCLUDE
    bar = _progress_bar(files, names)
    resume_gc()
    with open_outputs(specs, registry, linter, options, color=color, verbose=verbose) as outputs:
        job = parallel.Job(linter, outputs.formatters, options.threshold)
        for done in parallel.lint_all(job, discover.expand(files, names), jobs or parallel.default_jobs()):
            summary.record(done.verdicts)
            if bar is not None and bar.shares_terminal:
                bar.clear()
            outputs.write_done(done)
            if bar is not None:
                bar.advance()
        if bar is not None:
            bar.clear()
        outputs.finish(summary)
    return summary


def _progress_bar(files: tuple[str, ...], names: tuple[str, ...]) -> Any:
    """A progress bar on stderr, only when it is a terminal and there is more than one file."""
    from orchlint import progress

    if not progress.wanted(sys.stderr) or (len(files) == 1 and not os.path.isdir(files[0]) and "*" not in files[0]):
        return None
    from orchlint import discover

    total = discover.count(files, names)
    if total < 2:
        return None
    bar = progress.Progress(sys.stderr, total)
    bar.shares_terminal = progress.wanted(sys.stdout)
    return bar


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
    options = _run_options(setup, as_of=as_of, since=since)
    spec = f"{fmt}:{output}" if output else fmt
    summary = _run(setup, (file,), (spec,), options, color=False, verbose=True)
    code = summary.exit_code
    sys.exit(EXIT_OK if code == EXIT_FINDINGS else code)



def _register_commands() -> None:
    # Each command family lives in its own module; they attach themselves to ``main`` here.
    from orchlint import cli_info, cli_test

    for command in (*cli_info.COMMANDS, *cli_test.COMMANDS):
        main.add_command(command)


_register_commands()
