"""The ``orchlint`` command. It names no platform and no rule: everything comes from plugins.

Heavy imports (the engine, jsonschema) happen inside commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
from typing import Any

import click

from orchlint import __version__

EXIT_INPUT = 2


def _parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _today() -> _dt.date:
    # ORCHLINT_TODAY pins "today" for reproducible runs (golden files, CI replays).
    pinned = os.environ.get("ORCHLINT_TODAY")
    if pinned:
        try:
            return _dt.date.fromisoformat(pinned)
        except ValueError:
            raise click.UsageError(f"ORCHLINT_TODAY: expected YYYY-MM-DD, got {pinned!r}") from None
    return _dt.date.today()


plugin_options = [
    click.option("--plugin", "plugins", multiple=True, metavar="MODULE|FILE.py", help="Load a plugin module or file (repeatable)."),
    click.option("--block", "blocked", multiple=True, metavar="NAME", help="Block a plugin by name, built-ins included (repeatable)."),
]


def with_plugins(func: Any) -> Any:
    for option in reversed(plugin_options):
        func = option(func)
    return func


def load_registry(plugins: tuple[str, ...], blocked: tuple[str, ...]) -> Any:
    from orchlint.plugins import get_plugin_manager
    from orchlint.registry import build_registry

    pm, failures = get_plugin_manager(block=blocked, extra=plugins)
    registry = build_registry(pm)
    for failure in failures:
        registry.error(failure.plugin, failure.message)
    return registry


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orchlint")
def main() -> None:
    """Lint a container-orchestrator requirements file against every known platform."""


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="FMT[:PATH]",
    help="Output format, optionally written to PATH (repeatable). Default: text to stdout.",
)
@click.option("--platform", "platforms", multiple=True, metavar="ID", help="Only these platforms (repeatable); they decide the exit code.")
@click.option("--fail-on", type=click.Choice(["fail", "warn", "never"]), default="fail", show_default=True, help="Lowest severity that makes a platform not viable.")
@click.option("--as-of", callback=_parse_day, metavar="YYYY-MM-DD", help="Evaluate with the facts that held on this date (default: today).")
@click.option(
    "--since",
    callback=_parse_day,
    metavar="YYYY-MM-DD",
    help="Re-review: show each platform's verdict on this date beside today's, and why it changed "
    "(default: the file's decided: date).",
)
@click.option("--baseline", "baseline_path", metavar="FILE", help="Report only findings that are not in this baseline file.")
@click.option("--write-baseline", metavar="FILE", help="Write every warn and fail finding to this baseline file (atomically); exit 0 once written.")
@click.option("--explain-fail", is_flag=True, help="For each platform that is not viable, name the fewest requirements to relax.")
@click.option("--no-color", is_flag=True, help="Never colour the text output (NO_COLOR is respected too).")
@click.option("-v", "--verbose", is_flag=True, help="Also show passing findings.")
@with_plugins
def check(
    files: tuple[str, ...],
    formats: tuple[str, ...],
    platforms: tuple[str, ...],
    fail_on: str,
    as_of: _dt.date | None,
    since: _dt.date | None,
    baseline_path: str | None,
    write_baseline: str | None,
    explain_fail: bool,
    no_color: bool,
    verbose: bool,
    plugins: tuple[str, ...],
    blocked: tuple[str, ...],
) -> None:
    """Lint requirements FILES (or - for standard input).

    \b
    Exit codes:
      0  no deciding platform has a finding at or above --fail-on
      1  some file has no viable deciding platform
      2  a file or option could not be processed
      3  a plugin failed (its error is reported; other rules still ran)
    With --write-baseline: 0 once the baseline is written (2 and 3 as above).
    """
    from orchlint.cli_baseline import finish_baseline, open_baseline, open_writer
    from orchlint.lint import RunOptions

    registry = load_registry(plugins, blocked)
    writer = open_writer(write_baseline)
    options = RunOptions(
        as_of=as_of or _today(),
        platforms=_known_platforms(registry, platforms),
        fail_on=fail_on,
        since=since,
        baseline=open_baseline(baseline_path),
        explain_fail=explain_fail,
    )
    summary = _run(registry, files, formats or ("text",), options, color=not no_color, verbose=verbose, observer=writer)
    sys.exit(finish_baseline(writer, summary))


def _known_platforms(registry: Any, platforms: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [p for p in platforms if p not in registry.platforms]
    if unknown:
        from orchlint.lint import did_you_mean

        raise click.BadParameter(
            f"unknown platform {unknown[0]!r}{did_you_mean(unknown[0], registry.platforms)}; "
            f"known: {', '.join(sorted(registry.platforms))}",
            param_hint="--platform",
        )
    return tuple(dict.fromkeys(platforms))


def _run(
    registry: Any, files: tuple[str, ...], formats: tuple[str, ...], options: Any, *, color: bool, verbose: bool, observer: Any = None
) -> Any:
    from orchlint.lint import Linter, RunSummary
    from orchlint.output import open_outputs, parse_format_specs

    specs = parse_format_specs(formats, registry.formatters)
    linter = Linter(registry, options)
    color = color and "NO_COLOR" not in os.environ
    summary = RunSummary(plugin_errors=list(registry.errors))
    with open_outputs(specs, registry, linter, options, color=color, verbose=verbose) as outputs:
        for report in linter.lint_paths(files):
            summary.add(report, options.threshold)
            if observer is not None:
                observer.add(report)
            outputs.write(report)
        outputs.finish(summary)
    return summary


@main.command()
@click.argument("file")
@click.option("--format", "fmt", default="markdown", show_default=True, metavar="FMT", help="Document format: markdown (or any registered format).")
@click.option("-o", "--output", metavar="PATH", help="Write the document to PATH, atomically (default: standard output).")
@click.option("--platform", "platforms", multiple=True, metavar="ID", help="Only these platforms (repeatable).")
@click.option("--as-of", callback=_parse_day, metavar="YYYY-MM-DD", help="Evaluate with the facts that held on this date (default: today).")
@click.option("--since", callback=_parse_day, metavar="YYYY-MM-DD", help="Show what changed since this date (default: the file's decided: date).")
@with_plugins
def report(
    file: str,
    fmt: str,
    output: str | None,
    platforms: tuple[str, ...],
    as_of: _dt.date | None,
    since: _dt.date | None,
    plugins: tuple[str, ...],
    blocked: tuple[str, ...],
) -> None:
    """Write an architecture-review document for FILE.

    Exit code 0 when the document was written, whatever the verdicts; 2 and 3 as for check.
    """
    from orchlint.lint import EXIT_FINDINGS, EXIT_OK, RunOptions

    registry = load_registry(plugins, blocked)
    options = RunOptions(as_of=as_of or _today(), platforms=_known_platforms(registry, platforms), since=since, explain_fail=True)
    spec = f"{fmt}:{output}" if output else fmt
    summary = _run(registry, (file,), (spec,), options, color=False, verbose=True)
    code = summary.exit_code
    sys.exit(EXIT_OK if code == EXIT_FINDINGS else code)


@main.command("rules")
@with_plugins
def rules_command(plugins: tuple[str, ...], blocked: tuple[str, ...]) -> None:
    """List every rule: id, title and sources."""
    registry = load_registry(plugins, blocked)
    for rule in sorted(registry.rules.values(), key=lambda r: r.id):
        cited = "; ".join(s.cite() for s in rule.sources) or "-"
        click.echo(f"{rule.id:34} {rule.title}\n{'':34} sources: {cited}")
    _exit_for_plugin_errors(registry)


@main.command()
@click.argument("rule_id")
@with_plugins
def explain(rule_id: str, plugins: tuple[str, ...], blocked: tuple[str, ...]) -> None:
    """Explain one rule: why it exists, what it reads, its sources and examples."""
    from orchlint.explain import explain_rule
    from orchlint.lint import did_you_mean

    registry = load_registry(plugins, blocked)
    rule = registry.rules.get(rule_id)
    if rule is None:
        raise click.BadParameter(f"unknown rule {rule_id!r}{did_you_mean(rule_id, registry.rules)}", param_hint="RULE_ID")
    click.echo(explain_rule(rule, registry))
    _exit_for_plugin_errors(registry)


@main.command()
@click.option("--as-of", callback=_parse_day, metavar="YYYY-MM-DD", help="Only the facts that held on this date.")
@click.option("--stale", type=click.FloatRange(min=0), metavar="YEARS", help="Only facts not verified within this many years.")
@click.option("--platform", "only", multiple=True, metavar="ID", help="Only these platforms (repeatable).")
@with_plugins
def platforms(
    as_of: _dt.date | None, stale: float | None, only: tuple[str, ...], plugins: tuple[str, ...], blocked: tuple[str, ...]
) -> None:
    """List the platforms and their facts, with sources and dates."""
    from orchlint.explain import describe_platforms

    registry = load_registry(plugins, blocked)
    click.echo(describe_platforms(registry, as_of=as_of, stale_years=stale, today=_today(), only=only), nl=False)
    _exit_for_plugin_errors(registry)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the requirements file."""
    import json

    from orchlint.validation import load_schema

    click.echo(json.dumps(load_schema("requirements"), indent=2))


@main.command()
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


def _exit_for_plugin_errors(registry: Any) -> None:
    for error in registry.errors:
        click.echo(f"plugin error: {error.plugin}: {error.message}", err=True)
    if registry.errors:
        sys.exit(3)


def _register_commands() -> None:
    # Each CI command lives in its own module, so that this one stays small.
    from orchlint.cli_diff import diff_command
    from orchlint.cli_whatif import what_if_command

    main.add_command(diff_command)
    main.add_command(what_if_command)


_register_commands()
