"""`orchlint config`: the effective configuration and where each value came from."""

from __future__ import annotations

import json
from typing import Any

import click

from orchlint.cli.settings import RUN_SETTINGS, exit_status, load_setup, settings_options

@click.command("config")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@settings_options(*RUN_SETTINGS)
def config_command(as_json: bool, settings: Any) -> None:
    """Show the effective configuration and where each value came from.

    Give the same options as to check to see how they combine with the configuration file.
    """
    from orchlint.cli.configfile import DEFAULTS

    setup = load_setup(settings)
    values = {key: _plain(settings[key]) for key in DEFAULTS}
    if as_json:
        payload = {
            "file": str(settings.path) if settings.path else None,
            "settings": {key: {"value": values[key], "from": settings.origins[key]} for key in DEFAULTS},
            "notices": list(settings.notices),
        }
        click.echo(json.dumps(payload, indent=2))
    else:
        # Paths and entries of the repository's files: never a terminal escape.
        from orchlint.support.terminal import clean

        click.echo(clean(f"configuration file: {settings.path or '(none found)'}"))
        for key in DEFAULTS:
            click.echo(clean(f"{key:10} = {json.dumps(values[key])}  ({settings.origins[key]})"))
    exit_status(setup)  # settings without effect (a shadowed pyproject.toml...) warned on stderr, as check does


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: getattr(v, "label", v) for k, v in value.items()}
    if isinstance(value, tuple):
        return list(value)
    return value


COMMAND = config_command
