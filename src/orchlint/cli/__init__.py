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
from orchlint.support.exits import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_TERMINATED


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
    _on_terminate()
    try:
        main()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    except (KeyboardInterrupt, Terminated) as exc:  # between commands' own handling (parsing options)
        code = EXIT_INTERRUPTED if isinstance(exc, KeyboardInterrupt) else EXIT_TERMINATED
    _exit(code)


def _on_terminate() -> None:
    """SIGTERM (what CI cancellation and ``timeout`` send) unwinds like Ctrl-C: files being
    written are removed rather than left as hidden temp files, and the exit code is 143."""
    # _signal, the C module that signal wraps: signal's import builds enums of every signal
    # and handler (0.3 ms of every start), and nothing here needs them.
    import _signal

    def terminated(signum: int, frame: Any) -> None:
        _signal.signal(_signal.SIGTERM, _signal.SIG_DFL)  # a second SIGTERM ends it at once
        raise Terminated

    try:
        _signal.signal(_signal.SIGTERM, terminated)
    except (ValueError, OSError):  # pragma: no cover - not the main thread, or no such signal
        pass


class Terminated(BaseException):
    """Raised in the main thread by SIGTERM; a BaseException so that no ``except Exception``
    on the way mistakes it for a fault."""


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

    def invoke(self, ctx: click.Context) -> Any:
        """Every way a command can end maps to an exit code: click's own errors and exits as
        click has them, Ctrl-C to 130, SIGTERM to 143, a full disk to 2, and anything unforeseen
        to one line and 2 (bad input or a bug, never 1, which is a verdict)."""
        import errno

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("orchlint: interrupted", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except Terminated:
            click.echo("orchlint: terminated", err=True)
            raise click.exceptions.Exit(EXIT_TERMINATED) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # click exits quietly when the reader of a pipe has gone (`| head`)
            where = f" {exc.filename}" if exc.filename else ""
            click.echo(f"orchlint: error: cannot write output{where}: {exc.strerror or exc}", err=True)
            raise click.exceptions.Exit(EXIT_INPUT) from None
        except RecursionError:
            click.echo("orchlint: error: input nested too deeply to process", err=True)
            raise click.exceptions.Exit(EXIT_INPUT) from None
        except MemoryError:
            click.echo("orchlint: error: out of memory", err=True)
            raise click.exceptions.Exit(EXIT_INPUT) from None
        except Exception as exc:  # the last resort: a bug, said in one line
            from orchlint.support.terminal import clean

            click.echo(clean(f"orchlint: internal error: {type(exc).__name__}: {exc} (please report this with the command that caused it)"), err=True)
            raise click.exceptions.Exit(EXIT_INPUT) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orchlint")
def main() -> None:
    """Lint a container-orchestrator requirements file against every known platform."""


