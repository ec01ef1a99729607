"""`orchlint platforms`: the platforms and their dated facts, or the coverage of the fact vocabulary."""

from __future__ import annotations

import datetime as _dt
import json
import sys
from typing import Any

import click

from orchlint.cli.settings import PLUGIN_SETTINGS, Setup, exit_status, load_setup, parse_day, settings_options, today
from orchlint.support.exits import EXIT_FINDINGS

def _finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and value != value:  # NaN passes FloatRange's comparisons
        raise click.BadParameter("expected a number, got nan")
    return value


@click.command()
@click.option("--as-of", callback=parse_day, metavar="YYYY-MM-DD", help="Only the facts that held on this date.")
@click.option("--stale", type=click.FloatRange(min=0, max=1000), callback=_finite, metavar="YEARS", help="Only facts not verified within this many years.")
@click.option("--platform", "only", multiple=True, metavar="ID", help="Only these platforms (repeatable).")
@click.option("--coverage", is_flag=True, help="Print the platform x fact-key matrix instead: known, researched-unknown or missing. Exit 1 if a cell is missing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format of --coverage.")
@settings_options(*PLUGIN_SETTINGS)
def platforms(as_of: _dt.date | None, stale: float | None, only: tuple[str, ...], coverage: bool, fmt: str, settings: Any) -> None:
    """List the platforms and their facts, with sources and dates.

    With --coverage, show for every platform and every fact key the built-in rules read
    whether a fact holds on the day (today unless --as-of): known, researched-unknown (searched,
    and no public source settles it) or missing.
    """
    setup = load_setup(settings)
    if coverage:
        _coverage(setup, as_of or today(), only, fmt)
        return
    from orchlint.cli.describe import describe_platforms

    click.echo(describe_platforms(setup.registry, as_of=as_of, stale_years=stale, today=today(), only=only), nl=False)
    exit_status(setup)


def _coverage(setup: Setup, day: _dt.date, only: tuple[str, ...], fmt: str) -> None:
    from orchlint.cli.run import known_platforms
    from orchlint.knowledge import coverage

    only = known_platforms(setup.registry, only)
    chosen = [p for p in sorted(setup.registry.platforms) if not only or p in only]
    result = coverage.coverage(setup.registry, day, chosen)
    if fmt == "json":
        click.echo(json.dumps(coverage.render_json(result, day), indent=2))
    else:
        click.echo(coverage.render_text(result, day), nl=False)
    exit_status(setup)
    if any(c.count(coverage.MISSING) for c in result):
        sys.exit(EXIT_FINDINGS)  # a missing cell fails like a finding


COMMAND = platforms
