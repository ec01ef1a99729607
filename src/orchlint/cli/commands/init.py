"""`orchlint init`: write a commented starter requirements file."""

from __future__ import annotations

import os

import click


@click.command()
@click.argument("path", default="orchlint.yaml", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def init(path: str, force: bool) -> None:
    """Write a commented starter requirements file to PATH (default orchlint.yaml; - for stdout)."""
    from orchlint.support.atomic import atomic_write
    from orchlint.cli.starter import STARTER

    if path == "-":
        click.echo(STARTER, nl=False)
        return
    if os.path.exists(path) and not force:
        raise click.UsageError(f"{path} already exists; use --force to overwrite it")
    try:
        atomic_write(path, STARTER)
    except OSError as exc:
        raise click.UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    click.echo(f"wrote {path}; edit it, then run: orchlint check {path}")


COMMAND = init
