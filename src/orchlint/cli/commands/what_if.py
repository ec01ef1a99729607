"""``orchlint what-if``: judge a variant of a file without editing it, and show the verdict changes."""

from __future__ import annotations

import datetime as _dt
import sys

import click

from typing import Any

from orchlint.cli.run import DIFF_FORMATS as FORMATS
from orchlint.cli.run import emit, final_code, output_path, require_rules, run_options
from orchlint.cli.settings import RUN_SETTINGS, load_setup, parse_day, settings_options
from orchlint.support.exits import EXIT_INPUT


@click.command("what-if")
@click.argument("file")
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE", help="Set a key, e.g. requirements.nodes=4000 (a YAML value; repeatable).")
@click.option("--unset", "unsets", multiple=True, metavar="PATH", help="Drop a key, e.g. requirements.autoscaling (repeatable).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("-o", "--output", metavar="PATH", help="Write the output to PATH, atomically (default: standard output).")
@click.option("--as-of", callback=parse_day, metavar="YYYY-MM-DD", help="Evaluate with the facts of this date (default: today).")
@settings_options(*RUN_SETTINGS)
def what_if_command(
    file: str,
    sets: tuple[str, ...],
    unsets: tuple[str, ...],
    fmt: str,
    output: str | None,
    as_of: _dt.date | None,
    settings: Any,
) -> None:
    """Evaluate FILE with some keys changed (--set, --unset) and show which verdicts move and why.

    \b
    Exit codes: as `check` would give for the variant
      0  the variant has a viable deciding platform
      1  it has none
      2  the file, a --set or an option could not be processed
      3  a plugin failed
    """
    from orchlint.support import yamlsource
    from orchlint.compare.diff import compare_reports
    from orchlint.lint.linter import Linter
    from orchlint.support.exits import EXIT_FINDINGS, EXIT_OK
    from orchlint.compare.whatif import SetError, errors_for_assignments, parse_set, parse_unset, variant

    if not sets and not unsets:
        raise click.UsageError("nothing to change: give --set PATH=VALUE or --unset PATH")
    try:
        assignments = [parse_unset(u) for u in unsets] + [parse_set(s) for s in sets]
    except SetError as exc:
        raise click.UsageError(str(exc)) from None
    output = output_path(output, (file,))
    setup = load_setup(settings)
    setup.warn(plugin_errors=False)
    options = run_options(setup, as_of=as_of, since=None)
    day = options.as_of
    linter = Linter(setup.registry, options)
    require_rules(linter)
    display = "<stdin>" if file == "-" else file
    try:
        data = yamlsource.read_bounded(file)
        doc = yamlsource.load(data, dates_as_strings=True)
    except OSError as exc:
        _fail([f"{display}:1:1 error cannot read file: {exc.strerror or exc}"])
    except yamlsource.LoadError as exc:
        _fail([f"{display}:{exc.error.line or 1}:{exc.error.column or 1} error {exc.error.message}"])
    original = linter.lint_document(display, doc)
    if original.errors:
        _fail([f"{display}:{e.line or 1}:{e.column or 1} error {e.message}" for e in original.errors])
    try:
        changed = linter.lint_document(display, variant(doc, assignments))
    except SetError as exc:
        raise click.UsageError(str(exc)) from None
    if changed.errors:
        mine, theirs = errors_for_assignments(changed.errors, assignments)
        _fail([f"error {m}" for m in mine] + [f"{display}:{e.line or 1}:{e.column or 1} error {e.message}" for e in theirs])
    diff = compare_reports(original, changed, day.isoformat())
    title = f"what-if {display} with " + " ".join(a.option for a in assignments) + f" (as of {day.isoformat()})"
    emit(diff, fmt, output, title)
    code = EXIT_FINDINGS if changed.blocks(options.threshold) else EXIT_OK
    sys.exit(final_code(code, setup, original, changed))


def _fail(lines: list[str]) -> None:
    from orchlint.support.terminal import clean

    for line in lines:
        click.echo(clean(line), err=True)  # the file's name and words: never a terminal escape
    sys.exit(EXIT_INPUT)


COMMAND = what_if_command
