"""Commands that describe rather than lint: rules, explain, platforms, plugins, config, schema, init."""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
from typing import Any

import click

from orchlint.cli_settings import PLUGIN_SETTINGS, RUN_SETTINGS, Setup, _parse_day, _today, load_setup, settings_options

EXIT_PLUGIN = 3


def _finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and value != value:  # NaN passes FloatRange's comparisons
        raise click.BadParameter("expected a number, got nan")
    return value


def _exit_status(setup: Setup) -> None:
    setup.warn()
    if setup.rule_file_errors:
        sys.exit(2)
    if setup.registry.errors:
        sys.exit(EXIT_PLUGIN)


@click.command("rules")
@settings_options(*PLUGIN_SETTINGS, "select", "ignore")
def rules_command(settings: Any) -> None:
    """List every rule: id, title, where it comes from and its sources.

    Rules left out by select/ignore are listed as off.
    """
    setup = load_setup(settings)
    policy = settings.policy
    for rule in sorted(setup.registry.rules.values(), key=lambda r: r.id):
        cited = "; ".join(s.cite() for s in rule.sources) or "-"
        state = "" if policy.enabled(rule.id) else "  [off: not selected or ignored]"
        click.echo(f"{rule.id:34} {rule.title}{state}\n{'':34} plugin: {rule.plugin}; sources: {cited}")
    _exit_status(setup)


@click.command()
@click.argument("rule_id")
@settings_options(*PLUGIN_SETTINGS)
def explain(rule_id: str, settings: Any) -> None:
    """Explain one rule: why it exists, what it reads, its sources and examples."""
    from orchlint.explain import explain_rule
    from orchlint.lint import did_you_mean

    setup = load_setup(settings)
    rule = setup.registry.rules.get(rule_id)
    if rule is None:
        raise click.BadParameter(f"unknown rule {rule_id!r}{did_you_mean(rule_id, setup.registry.rules)}", param_hint="RULE_ID")
    click.echo(explain_rule(rule, setup.registry))
    _exit_status(setup)


@click.command()
@click.option("--as-of", callback=_parse_day, metavar="YYYY-MM-DD", help="Only the facts that held on this date.")
@click.option("--stale", type=click.FloatRange(min=0, max=1000), callback=_finite, metavar="YEARS", help="Only facts not verified within this many years.")
@click.option("--platform", "only", multiple=True, metavar="ID", help="Only these platforms (repeatable).")
@click.option("--coverage", is_flag=True, help="Print the platform x fact-key matrix instead: known, researched-unknown or missing. Exit 1 if a cell is missing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format of --coverage.")
@settings_options(*PLUGIN_SETTINGS)
def platforms(as_of: _dt.date | None, stale: float | None, only: tuple[str, ...], coverage: bool, fmt: str, settings: Any) -> None:
    """List the platforms and their facts, with sources and dates.

    With --coverage, show for every platform and every fact key the built-in rules read
    whether a fact holds on the day (today unless --as-of): known, researched-unknown (searched,
    and no public source settles it) or missing.
    """
    setup = load_setup(settings)
    if coverage:
        _coverage(setup, as_of or _today(), only, fmt)
        return
    from orchlint.explain import describe_platforms

    click.echo(describe_platforms(setup.registry, as_of=as_of, stale_years=stale, today=_today(), only=only), nl=False)
    _exit_status(setup)


def _coverage(setup: Setup, day: _dt.date, only: tuple[str, ...], fmt: str) -> None:
    from orchlint import coverage
    from orchlint.lint import did_you_mean

    known = setup.registry.platforms
    for platform in only:
        if platform not in known:
            raise click.BadParameter(f"unknown platform {platform!r}{did_you_mean(platform, known)}; known: {', '.join(sorted(known))}", param_hint="--platform")
    chosen = [p for p in sorted(known) if not only or p in only]
    result = coverage.coverage(setup.registry, day, chosen)
    if fmt == "json":
        click.echo(json.dumps(coverage.render_json(result, day), indent=2))
    else:
        click.echo(coverage.render_text(result, day), nl=False)
    _exit_status(setup)
    if any(c.count(coverage.MISSING) for c in result):
        sys.exit(1)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@settings_options(*PLUGIN_SETTINGS)
def plugins(as_json: bool, settings: Any) -> None:
    """List the loaded plugins: where each came from, its version, and what it contributed."""
    from orchlint.plugin_info import describe, to_text

    setup = load_setup(settings)
    entries = describe(setup.pm, setup.registry)
    click.echo(json.dumps(entries, indent=2) if as_json else to_text(entries))
    _exit_status(setup)


@click.command("config")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@settings_options(*RUN_SETTINGS)
def config_command(as_json: bool, settings: Any) -> None:
    """Show the effective configuration and where each value came from.

    Give the same options as to check to see how they combine with the configuration file.
    """
    from orchlint.config import DEFAULTS

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
        click.echo(f"configuration file: {settings.path or '(none found)'}")
        for key in DEFAULTS:
            click.echo(f"{key:10} = {json.dumps(values[key])}  ({settings.origins[key]})")
        for notice in settings.notices:
            click.echo(f"no effect: {notice}")
    settings.notices.clear()  # shown above; not again on stderr
    _exit_status(setup)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: getattr(v, "label", v) for k, v in value.items()}
    if isinstance(value, tuple):
        return list(value)
    return value


@click.command()
@click.option("--config", "which", flag_value="config", help="Print the schema of the configuration file instead.")
@click.option("--rule", "which", flag_value="rule", help="Print the schema of a declarative rule file instead.")
def schema(which: str | None) -> None:
    """Print the JSON Schema of the requirements file (or of the configuration or rule files)."""
    from orchlint.validation import load_schema

    click.echo(json.dumps(load_schema(which or "requirements"), indent=2))


@click.command()
@click.argument("path", default="orchlint.yaml", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def init(path: str, force: bool) -> None:
    """Write a commented starter requirements file to PATH (default orchlint.yaml; - for stdout)."""
    from orchlint.output import atomic_write
    from orchlint.starter import STARTER

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


COMMANDS = (rules_command, explain, platforms, plugins, config_command, schema, init)
