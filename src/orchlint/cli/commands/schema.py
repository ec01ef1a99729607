"""`orchlint schema`: print a JSON Schema orchlint ships."""

from __future__ import annotations

import json

import click


@click.command()
@click.option("--config", "which", flag_value="config", help="Print the schema of the configuration file instead.")
@click.option("--rule", "which", flag_value="rule", help="Print the schema of a declarative rule file instead.")
def schema(which: str | None) -> None:
    """Print the JSON Schema of the requirements file (or of the configuration or rule files)."""
    from orchlint.schemas.validation import load_schema

    click.echo(json.dumps(load_schema(which or "requirements"), indent=2))


COMMAND = schema
