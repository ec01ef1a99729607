"""The ``orchlint`` command. It names no platform and no rule: everything comes from plugins.

Each command is a module of ``orchlint.cli.commands``, imported only when that command runs
(or ``--help`` lists them), so heavy imports (the engine, jsonschema) never slow another command.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from orchlint import __version__


def entry() -> None:
    """The ``orchlint`` console script: ``main`` run as a process of its own.

    Two things only a whole process can do, worth about a third of a short run's time:
    the cyclic garbage collector is paused while start-up builds tens of thousands of
    long-lived objects (it would scan them again and again for nothing) and resumes once they
    are built (``cli.settings.resume_gc``, for every command); and once everything is written the process ends without tearing down
    every module and object one by one (atexit handlers still run).
    """
    import gc

    from orchlint.cli import settings

    settings.FAST_PROCESS = True
    gc.disable()
    try:
        main()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    _exit(code)


def _exit(code: Any) -> None:
    import atexit

    if code is None:
        code = 0
    if not isinstance(code, int):
        sys.exit(code)  # a message: let Python print it as usual
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        sys.exit(code)  # let Python report it as it always does
    atexit._run_exitfuncs()
    os._exit(code)


class _Commands(click.Group):
    """Commands are the modules of ``orchlint.cli.commands``: module ``what_if`` is command
    ``what-if``, and its ``COMMAND`` is the click command. Listing them reads the package's
    directory; running one imports its module alone."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        import pkgutil

        from orchlint.cli import commands

        return sorted(m.name.replace("_", "-") for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_"))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            if not cmd_name.replace("-", "").isalnum() or cmd_name.startswith("-"):  # "what_if" is no name
                return None
            import importlib

            try:
                module = importlib.import_module(f"orchlint.cli.commands.{cmd_name.replace('-', '_')}")
            except ModuleNotFoundError as exc:
                if exc.name != f"orchlint.cli.commands.{cmd_name.replace('-', '_')}":
                    raise  # a missing dependency of a real command is a bug to show, not a typo
                return None
            self.add_command(module.COMMAND, cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orchlint")
def main() -> None:
    """Lint a container-orchestrator requirements file against every known platform."""


