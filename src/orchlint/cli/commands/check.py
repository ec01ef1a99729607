"""`orchlint check FILES`: lint requirements files, the command CI runs."""

from __future__ import annotations

import datetime as _dt
import sys
from typing import Any

import click

from orchlint.cli.run import run_files, run_options
from orchlint.cli.settings import RUN_SETTINGS, load_setup, parse_day, settings_options
from orchlint.support.exits import exit_codes_help

HELP = (
    "Lint requirements FILES (or - for standard input).\n\n"
    "Settings come from .orchlint.yaml or [tool.orchlint] in pyproject.toml (see orchlint config); "
    "options given here override them.\n\n"
    + exit_codes_help("With --write-baseline: 0 once the baseline is written (2 and 3 as above).")
)


@click.command(help=HELP)
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="FMT[:PATH]",
    help="Output format, optionally written to PATH (repeatable). Default: text to stdout.",
)
@click.option("--as-of", callback=parse_day, metavar="YYYY-MM-DD", help="Evaluate with the facts that held on this date (default: today).")
@click.option(
    "--since",
    callback=parse_day,
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
    from orchlint.cli.baseline import finish_baseline, open_baseline, open_writer

    writer = open_writer(write_baseline)
    setup = load_setup(settings)
    options = run_options(setup, as_of=as_of, since=since, baseline=open_baseline(baseline_path), explain_fail=explain_fail)
    summary = run_files(setup, files, formats or ("text",), options, color=not no_color, verbose=verbose, observer=writer, jobs=jobs)
    sys.exit(finish_baseline(writer, summary))


COMMAND = check
