"""``orchlint diff``: the pull-request gate. Which verdicts a change to the file moved, and why."""

from __future__ import annotations

import datetime as _dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from orchlint.cli.run import DIFF_FORMATS as FORMATS
from orchlint.cli.run import emit, final_code, output_path, require_rules, run_options
from orchlint.cli.settings import RUN_SETTINGS, load_setup, parse_day, settings_options

@click.command("diff")
@click.argument("files", nargs=-1, required=True, metavar="OLD NEW | FILE --git REV")
@click.option("--git", "rev", metavar="REV", help="Compare FILE with itself at git revision REV (e.g. origin/main).")
@click.option(
    "--base-config",
    is_flag=True,
    help="With --git: judge both sides with the configuration as it was at REV, so that a pull request cannot change how its own change is judged.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("-o", "--output", metavar="PATH", help="Write the output to PATH, atomically (default: standard output).")
@click.option("--as-of", callback=parse_day, metavar="YYYY-MM-DD", help="Judge both files with the facts of this date (default: today).")
@settings_options(*RUN_SETTINGS)
def diff_command(
    files: tuple[str, ...], rev: str | None, base_config: bool, fmt: str, output: str | None, as_of: _dt.date | None, settings: Any
) -> None:
    """Compare two requirements files: per platform, which verdicts and findings changed and which
    edit to the file caused each.

    \b
    Exit codes:
      0  no deciding platform got worse
      1  a deciding platform got worse (the target, the --platform ones, else every platform)
      2  a file or option could not be processed
      3  a plugin failed
    """
    from orchlint.compare.diff import compare_reports
    from orchlint.lint.linter import Linter

    if rev is not None and len(files) != 1:
        raise click.UsageError("with --git REV, give one FILE: it is compared with itself at REV")
    if rev is None and len(files) != 2:
        raise click.UsageError("give two files, OLD and NEW, or one FILE with --git REV")
    if base_config:
        if rev is None:
            raise click.UsageError("--base-config needs --git REV: it reads the configuration as it was at REV")
        settings = settings_at(rev, settings)
    output = output_path(output, files)
    setup = load_setup(settings)
    setup.warn(plugin_errors=False)
    options = run_options(setup, as_of=as_of, since=None)
    day = options.as_of
    linter = Linter(setup.registry, options)
    require_rules(linter)
    if rev is not None:
        old = linter.lint_bytes(f"{rev}:{files[0]}", git_show(rev, files[0]))
        new = linter.lint_path(files[0])
    else:
        old, new = linter.lint_path(files[0]), linter.lint_path(files[1])
    diff = compare_reports(old, new, day.isoformat())
    emit(diff, fmt, output)
    sys.exit(final_code(diff.exit_code, setup, old, new))


def settings_at(rev: str, settings: Any) -> Any:
    """The settings with the configuration file as it was at ``rev`` in place of today's: the
    first of the files orchlint would look for, from here up to the repository's top, that
    existed at ``rev`` (a pyproject.toml only with a [tool.orchlint] table). The command line
    still counts. Relative plugin and rule paths still point into the checkout."""
    import subprocess

    from orchlint.cli.configfile import CONFIG_NAMES, PYPROJECT, ConfigError, resolve
    from orchlint.cli.settings import fail_with

    if settings.isolated:
        raise click.UsageError("--base-config reads a configuration file; --isolated ignores them all")
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False).stdout.strip()
    found: tuple[Any, Any, str] = (None, None, "")
    start = Path.cwd().resolve()
    for directory in (start, *start.parents):
        for name in (*CONFIG_NAMES, PYPROJECT):
            raw = _git_show_or_none(rev, directory / name)
            if raw is not None and (name != PYPROJECT or b"orchlint" in raw):
                found = (directory / name, (raw, None), f"{rev}:{directory / name}")
                break
        if found[0] is not None or not top or str(directory) == top:
            break
    try:
        chosen = resolve(settings.given, config_path=None, cwd=start, found=found)
    except ConfigError as exc:
        fail_with(exc.messages)
    if found[0] is None:
        chosen.notices.append(f"--base-config: no configuration file at {rev}; the defaults apply")
    return chosen


def _git_show_or_none(rev: str, path: Path) -> bytes | None:
    """The file at REV, or None if it did not exist there (or git cannot say)."""
    try:
        return git_show(rev, str(path))
    except click.ClickException:
        return None


def git_show(rev: str, path: str) -> bytes:
    """FILE as it was at REV, read with ``git show REV:./FILE`` from FILE's own directory."""
    import subprocess

    if rev.startswith("-") or not rev.strip():
        raise click.BadParameter(f"{rev!r} is not a revision", param_hint="--git")
    directory, name = os.path.split(os.path.abspath(path))
    try:
        proc = subprocess.run(["git", "-C", directory, "show", f"{rev}:./{name}"], capture_output=True, check=False)
    except OSError as exc:
        raise click.UsageError(f"--git needs git: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise click.UsageError(f"cannot read {path} at {rev}: {reason[-1] if reason else 'git show failed'}")
    return proc.stdout


COMMAND = diff_command
