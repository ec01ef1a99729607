"""`orchlint rules`: list every rule with its sources."""

from __future__ import annotations

from typing import Any

import click

from orchlint.cli.settings import PLUGIN_SETTINGS, exit_status, load_setup, settings_options

@click.command("rules")
@settings_options(*PLUGIN_SETTINGS, "select", "ignore")
def rules_command(settings: Any) -> None:
    """List every rule: id, title, where it comes from and its sources.

    Rules left out by select/ignore are listed as off.
    """
    from orchlint.support.terminal import clean

    setup = load_setup(settings)
    policy = settings.policy
    for rule in sorted(setup.registry.rules.values(), key=lambda r: r.id):
        cited = "; ".join(s.cite() for s in rule.sources) or "-"
        state = "" if policy.enabled(rule.id) else "  [off: not selected or ignored]"
        click.echo(f"{clean(rule.id):34} {clean(rule.title)}{state}\n{'':34} plugin: {clean(rule.plugin)}; sources: {clean(cited)}")
    exit_status(setup)


COMMAND = rules_command
