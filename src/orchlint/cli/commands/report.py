"""`orchlint report FILE`: write the architecture-review document for one file."""

from __future__ import annotations

import datetime as _dt
import sys
from typing import Any

import click

from orchlint.cli.run import output_path, run_files, run_options
from orchlint.cli.settings import RUN_SETTINGS, load_setup, parse_day, settings_options

@click.command()
@click.argument("file")
@click.option("--format", "fmt", default="markdown", show_default=True, metavar="FMT", help="Document format: markdown or html (or any registered format).")
@click.option("-o", "--output", metavar="PATH", help="Write the document to PATH, atomically (default: standard output).")
@click.option("--as-of", callback=parse_day, metavar="YYYY-MM-DD", help="Evaluate with the facts that held on this date (default: today).")
@click.option("--since", callback=parse_day, metavar="YYYY-MM-DD", help="Show what changed since this date (default: the file's decided: date).")
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
    from orchlint.support.exits import EXIT_FINDINGS, EXIT_OK

    setup = load_setup(settings)
    options = run_options(setup, as_of=as_of, since=since, explain_fail=True)
    output = output_path(output, (file,))
    spec = f"{fmt}:{output}" if output else fmt
    summary = run_files(setup, (file,), (spec,), options, color=False, verbose=True)
    code = summary.exit_code
    sys.exit(EXIT_OK if code == EXIT_FINDINGS else code)


COMMAND = report
