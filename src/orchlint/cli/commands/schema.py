"""`orchlint schema`: print a JSON Schema orchlint ships, the requirements' with the plugins' keys."""

from __future__ import annotations

import json
from typing import Any

import click

from orchlint.cli.settings import PLUGIN_SETTINGS, exit_status, load_setup, settings_options


@click.command()
@click.option("--config", "which", flag_value="config", help="Print the schema of the configuration file instead.")
@click.option("--rule", "which", flag_value="rule", help="Print the schema of a declarative rule file instead.")
@settings_options(*PLUGIN_SETTINGS, config_flag="--config-file")  # --config: the configuration's schema
def schema(which: str | None, settings: Any) -> None:
    """Print the JSON Schema of the requirements file (or of the configuration or rule files).

    The requirements schema includes the keys the loaded plugins add, each under
    ``requirements.<namespace>``.
    """
    from orchlint.schemas.validation import combined_requirements_schema, load_schema

    if which:
        click.echo(json.dumps(load_schema(which), indent=2))
        return
    setup = load_setup(settings)
    click.echo(json.dumps(combined_requirements_schema(setup.registry.requirement_schemas()), indent=2))
    exit_status(setup)


COMMAND = schema
