"""``orchlint test``: run the PASS/FAIL examples rules carry, as conftest's ``verify`` does for Rego."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from orchlint.cli.settings import PLUGIN_SETTINGS, load_setup, resume_gc, settings_options
from orchlint.support.exits import EXIT_FINDINGS as EXIT_FAILED
from orchlint.support.exits import EXIT_INPUT, EXIT_OK, EXIT_PLUGIN
from orchlint.support.terminal import clean



@click.command("test")
@click.argument("directories", nargs=-1, type=click.Path(exists=True, file_okay=True, dir_okay=True))
@settings_options(*PLUGIN_SETTINGS, "select", "ignore")
def test_command(directories: tuple[str, ...], settings: Any) -> None:
    """Run the examples embedded in rules and report each that does not behave as it says.

    With DIRECTORIES (or rule files), test the declarative rule files there. Without, test every
    loaded rule (built-in, installed plugins, --plugin and --rules) that --select and --ignore
    leave in. Finding no rule to test is an error, as pytest's "no tests ran" is.

    \b
    Exit codes:
      0  every example behaves as it says
      1  some example does not
      2  a rule file is invalid (file:line:column is printed), or no rule was found
      3  a plugin failed to load
    """
    from orchlint.testing import check_example

    if directories:
        rules, errors, empty = _load_paths(directories)
        resume_gc()  # start-up is over (load_setup does this in the other branch)
        plugin_errors: list[str] = []
        for error in errors:
            click.echo(clean(error), err=True)
        given = sorted(k for k, origin in settings.origins.items() if "--" in origin)
        if given:
            options = ", ".join(settings.origins[k].split(" + ")[-1] for k in given)
            click.echo(f"orchlint: warning: {options}: no effect when rule files are named; they are tested as they are", err=True)
    else:
        setup = load_setup(settings)
        policy = settings.policy
        rules = sorted((r for r in setup.registry.rules.values() if policy.enabled(r.id)), key=lambda r: r.id)
        errors = list(setup.rule_file_errors)
        empty = []
        plugin_errors = [f"{e.plugin}: {e.message}" for e in setup.registry.errors]
        setup.warn()
    failed = examples = 0
    for rule in rules:
        for index, example in enumerate(rule.examples):
            examples += 1
            problem = check_example(rule, example)
            if problem:
                failed += 1
                click.echo(clean(f"{_where(rule, example)}: FAIL example {index + 1} ({example.expect}): {problem}"))
        if not rule.examples:
            click.echo(clean(f"{_where(rule, None)}: {rule.id} has no examples"))
            failed += 1
    click.echo(f"{len(rules)} rules, {examples} examples, {failed} failed" + (f", {len(errors)} rule file errors" if errors else ""))
    # Asked to test, tested nothing: never a silent pass (pytest's "no tests ran").
    for message in empty:
        click.echo(f"orchlint: error: {clean(message)}", err=True)
    if not rules and not errors and not empty:
        click.echo("orchlint: error: no rule to test: --select and --ignore leave none of the loaded rules", err=True)
    if errors or empty or not rules:
        sys.exit(EXIT_INPUT)
    if plugin_errors:
        sys.exit(EXIT_PLUGIN)
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


def _where(rule: Any, example: Any) -> str:
    origin = rule.origin or rule.plugin or rule.id
    if example is not None and example.line and ":" in origin:
        return f"{origin.split(':')[0]}:{example.line}:1"
    return origin


def _load_paths(paths: tuple[str, ...]) -> tuple[list[Any], list[str], list[str]]:
    """The rules in ``paths``, each problem of their files, and each directory with no rule file."""
    from orchlint.declarative.rulefile import RuleFileError, format_error, load_rule_dir, load_rule_file, rule_files
    from orchlint.knowledge import source_resolver

    rules, errors, empty = [], [], []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            if not rule_files(path):
                empty.append(f"{given}: no rule files (*.yaml, *.yml) found in this directory")
                continue
            found, problems = load_rule_dir(path, source_resolver())
            rules.extend(found)
            errors.extend(problems)
            continue
        try:
            rules.append(load_rule_file(path, source_resolver()))
        except RuleFileError as exc:
            errors.extend(format_error(exc.path, e) for e in exc.errors)
    return sorted(rules, key=lambda r: r.id), errors, empty


COMMAND = test_command
