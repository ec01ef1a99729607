"""`orchlint explain RULE`: why a rule exists, what it reads, its sources and examples."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import click

from orchlint.cli.settings import PLUGIN_SETTINGS, exit_status, load_setup, parse_day, settings_options, today


@click.command()
@click.argument("rule_id")
@click.option("--platform", "platforms", multiple=True, metavar="ID", help="Also show the facts the rule reads for this platform, with their notes and sources (repeatable).")
@click.option("--as-of", callback=parse_day, metavar="YYYY-MM-DD", help="The day whose facts --platform shows (default: today).")
@settings_options(*PLUGIN_SETTINGS)
def explain(rule_id: str, platforms: tuple[str, ...], as_of: _dt.date | None, settings: Any) -> None:
    """Explain one rule: why it exists, what it reads, its sources and examples.

    With --platform, also the facts it reads for that platform: the notes, dates and sources a
    one-line finding leaves out.
    """
    from orchlint.cli.describe import explain_rule, rule_facts
    from orchlint.cli.run import known_platforms
    from orchlint.support.suggest import did_you_mean

    setup = load_setup(settings)
    rule = setup.registry.rules.get(rule_id)
    if rule is None:
        raise click.BadParameter(f"unknown rule {rule_id!r}{did_you_mean(rule_id, setup.registry.rules)}", param_hint="RULE_ID")
    platforms = known_platforms(setup.registry, platforms)
    click.echo(explain_rule(rule, setup.registry))
    for platform in platforms:
        click.echo("\n" + rule_facts(rule, setup.registry, platform, as_of or today()))
    exit_status(setup)


COMMAND = explain
