"""`orchlint explain RULE`: why a rule exists, what it reads, its sources and examples."""

from __future__ import annotations

from typing import Any

import click

from orchlint.cli.settings import PLUGIN_SETTINGS, exit_status, load_setup, settings_options

@click.command()
@click.argument("rule_id")
@settings_options(*PLUGIN_SETTINGS)
def explain(rule_id: str, settings: Any) -> None:
    """Explain one rule: why it exists, what it reads, its sources and examples."""
    from orchlint.cli.describe import explain_rule
    from orchlint.support.suggest import did_you_mean

    setup = load_setup(settings)
    rule = setup.registry.rules.get(rule_id)
    if rule is None:
        raise click.BadParameter(f"unknown rule {rule_id!r}{did_you_mean(rule_id, setup.registry.rules)}", param_hint="RULE_ID")
    click.echo(explain_rule(rule, setup.registry))
    exit_status(setup)


COMMAND = explain
