"""`orchlint plugins`: the loaded plugins and what each contributed."""

from __future__ import annotations

import json
from typing import Any

import click

from orchlint.cli.settings import PLUGIN_SETTINGS, exit_status, load_setup, settings_options

@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@settings_options(*PLUGIN_SETTINGS)
def plugins(as_json: bool, settings: Any) -> None:
    """List the loaded plugins: where each came from, its version, and what it contributed."""
    from orchlint.plugins.info import describe, to_text

    setup = load_setup(settings)
    entries = describe(setup.pm, setup.registry)
    click.echo(json.dumps(entries, indent=2) if as_json else to_text(entries))
    exit_status(setup)


COMMAND = plugins
