"""The options every command shares: configuration, plugins, rule directories and rule policy.

A command decorated with ``settings_options(...)`` receives one ``settings`` argument: the
configuration file merged with the options the user actually typed (click tells us which).
``load_setup`` then builds the plugin manager and the registry from those settings.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import re
import sys
from collections.abc import Callable
from typing import Any

import click
from click.core import ParameterSource

from orchlint.support.exits import EXIT_INPUT, EXIT_PLUGIN

# Exactly what requirements files accept: date.fromisoformat alone, since Python 3.11, also
# takes 20261123, 2026-W47-1 and 2026-11-23T00:00 (and non-ASCII digits before that).
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def strict_day(text: str) -> _dt.date:
    """A YYYY-MM-DD day, as files write it; ValueError for anything else."""
    if not _DAY.fullmatch(text):
        raise ValueError(text)
    return _dt.date.fromisoformat(text)


def parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return strict_day(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def today() -> _dt.date:
    """The run's day: ORCHLINT_TODAY if set, else today in UTC, never the machine's time zone,
    so that waivers expire and facts change on the same day on every machine and CI runner."""
    # ORCHLINT_TODAY pins "today" for reproducible runs (golden files, CI replays).
    pinned = os.environ.get("ORCHLINT_TODAY")
    if pinned:
        try:
            return strict_day(pinned)
        except ValueError:
            raise click.UsageError(f"ORCHLINT_TODAY: expected YYYY-MM-DD, got {pinned!r}") from None
    return _dt.datetime.now(_dt.timezone.utc).date()


_OPTIONS: dict[str, Callable[[Any], Any]] = {
    "plugins": click.option(
        "--plugin", "plugins", multiple=True, metavar="MODULE|FILE.py", help="Load a plugin module or file (repeatable; adds to the configuration's plugins)."
    ),
    "block": click.option(
        "--block", "block", multiple=True, metavar="NAME", help="Block a plugin by name, built-ins included (repeatable)."
    ),
    "rules": click.option(
        "--rules", "rules", multiple=True, metavar="DIR", help="Load the declarative rule files in DIR (repeatable)."
    ),
    "select": click.option(
        "--select", "select", multiple=True, metavar="IDS", help="Run only rules matching these ids or prefixes (comma-separated; replaces the configuration's)."
    ),
    "ignore": click.option(
        "--ignore", "ignore", multiple=True, metavar="IDS", help="Skip rules matching these ids or prefixes (comma-separated; replaces the configuration's)."
    ),
    "severity": click.option(
        "--severity", "severity", multiple=True, metavar="RULE=LEVEL", help="Set the severity (pass, warn, fail) of a rule's non-passing findings (repeatable)."
    ),
    "fail_on": click.option(
        "--fail-on", "fail_on", type=click.Choice(["fail", "warn", "never"]), default=None, help="Lowest severity that makes a platform not viable [default: fail]."
    ),
    "fail_on_unknown": click.option(
        "--fail-on-unknown/--no-fail-on-unknown",
        "fail_on_unknown",
        default=None,
        help="Whether a requirement orchlint cannot judge (no fact) makes a platform not viable [default: no].",
    ),
    "platforms": click.option(
        "--platform", "platforms", multiple=True, metavar="ID", help="Only these platforms (repeatable); they decide the exit code."
    ),
}
PLUGIN_SETTINGS = ("plugins", "block", "rules")
RUN_SETTINGS = (*PLUGIN_SETTINGS, "select", "ignore", "severity", "fail_on", "fail_on_unknown", "platforms")


def settings_options(*names: str, config_flag: str = "--config") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add ``--config`` (or ``config_flag``, where the command's own ``--config`` means
    something else) and the named setting options; pass the merged ``settings`` on."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(**kwargs: Any) -> Any:
            from orchlint.cli.configfile import ConfigError, resolve

            ctx = click.get_current_context()
            config_path = kwargs.pop("config_path")
            isolated = kwargs.pop("isolated")
            given = {}
            for name in names:
                value = kwargs.pop(name)
                if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
                    given[name] = _convert(name, value)
            try:
                settings = resolve(given, config_path=config_path, cwd=os.getcwd(), isolated=isolated)
            except ConfigError as exc:
                fail_with(exc.messages)
            return func(settings=settings, **kwargs)

        for name in reversed(names):
            wrapper = _OPTIONS[name](wrapper)
        wrapper = click.option(
            "--isolated",
            is_flag=True,
            help="Ignore every configuration file (.orchlint.yaml, pyproject.toml): only the command line counts, so no repository code is loaded through the configuration.",
        )(wrapper)
        return click.option(
            config_flag, "config_path", metavar="PATH", help="Use this configuration file instead of searching for .orchlint.yaml or pyproject.toml."
        )(wrapper)

    return decorate


def _convert(name: str, value: Any) -> Any:
    from orchlint.engine.policy import parse_severity_items, split_patterns

    if name in ("select", "ignore"):
        return split_patterns(value)
    if name == "severity":
        try:
            return parse_severity_items(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--severity") from None
    if isinstance(value, tuple):
        return tuple(dict.fromkeys(value))
    return value


def fail_with(messages: list[str]) -> None:
    from orchlint.support.terminal import clean

    for message in messages:
        click.echo(f"orchlint: error: {clean(message)}", err=True)
    sys.exit(EXIT_INPUT)


class Setup:
    """What a command runs with: settings, plugin manager, registry, broken rule files.
    (A plain class, not a dataclass: making one compiles its methods, about a millisecond on every start.)"""

    def __init__(self, settings: Any, pm: Any, registry: Any, rule_file_errors: list[str] | None = None) -> None:
        self.settings = settings
        self.pm = pm
        self.registry = registry
        self.rule_file_errors = [] if rule_file_errors is None else rule_file_errors

    def warn(self, *, plugin_errors: bool = True) -> None:
        """Settings without effect and broken rule files go to stderr, never silently.

        ``check`` and ``report`` leave plugin errors to the output formats, which carry them.
        Names and words from files and plugins never reach the terminal as escape sequences.
        """
        from orchlint.support.terminal import clean

        for notice in self.settings.notices:
            click.echo(f"orchlint: warning: {clean(notice)}", err=True)
        for error in self.rule_file_errors:
            click.echo(f"orchlint: error: {clean(error)}", err=True)
        for error in self.registry.errors if plugin_errors else ():
            click.echo(f"plugin error: {clean(error.plugin)}: {clean(error.message)}", err=True)


FAST_PROCESS = False  # set by cli.entry(): this process runs one command and ends


def resume_gc() -> None:
    """Called once start-up is over (by load_setup, which every command that loads plugins
    calls): objects made so far are frozen out of every later collection, and the collector
    runs again for what the command itself allocates."""
    global FAST_PROCESS
    if FAST_PROCESS:
        import gc

        FAST_PROCESS = False  # once: start-up is over
        gc.freeze()
        # The engine keeps reusable judgements for the whole run: with the
        # default thresholds the collector rescans them over and over (a third of the time of
        # --jobs 1 on 3,000 files). What a run makes is almost never cyclic, so collect rarely.
        gc.set_threshold(50_000, 20, 100)
        gc.enable()


def load_setup(settings: Any) -> Setup:
    from orchlint.cli.configfile import ConfigError, report_unused
    from orchlint.declarative.rulefile import load_rule_dir
    from orchlint.knowledge import source_resolver
    from orchlint.plugins.manager import RuleDirectory, get_plugin_manager
    from orchlint.plugins.registry import build_registry

    origins = {spec: settings.origin_of("plugins", spec) for spec in settings["plugins"]}
    pm, failures = get_plugin_manager(block=settings["block"], extra=settings["plugins"], origins=origins)
    errors: list[str] = []
    for directory in settings["rules"]:
        name = f"rules:{directory}"
        if pm.is_blocked(name):
            pm.skipped[name] = settings.origin_of("rules", directory)
            continue
        if not os.path.isdir(directory):
            errors.append(f"{settings.origin_of('rules', directory)}: rules: {directory}: no such directory")
            continue
        from pathlib import Path

        rules, problems = load_rule_dir(Path(directory), source_resolver())
        errors.extend(problems)
        pm.add(RuleDirectory(rules, directory), name, settings.origin_of("rules", directory))
    registry = build_registry(pm)
    for failure in failures:
        registry.error(failure.plugin, failure.message)
    known_plugins = [*pm.origins, *pm.skipped, *(f.plugin for f in failures)]
    try:
        report_unused(settings, list(registry.rules), known_plugins, list(registry.platforms))
    except ConfigError as exc:
        fail_with(exc.messages)
    resume_gc()
    return Setup(settings, pm, registry, errors)


def exit_status(setup: Setup) -> None:
    """How a describing command ends: warnings said; 2 for broken rule files, 3 for plugins."""
    setup.warn()
    if setup.rule_file_errors:
        sys.exit(EXIT_INPUT)
    if setup.registry.errors:
        sys.exit(EXIT_PLUGIN)
