"""orchlint's built-in rule pack, registered through the same hook as any third-party rule.

Most rules are declarative YAML files (one rule per file, see docs/rules.md). A rule whose
logic needs more than a condition language stays a small Python module defining ``RULE``:
``lifecycle.maintained`` compares dates with the evaluation day, ``scale.node-limit`` works out
how many clusters a split would take.

Installed as ``orchlint.rules``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path

from orchlint.hookspecs import hookimpl
from orchlint.rulekit import Rule


def builtin_rules() -> list[Rule]:
    from orchlint.declarative import load_rule_file, rule_files
    from orchlint.knowledge import source_resolver

    modules = sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))
    rules = [importlib.import_module(f"{__name__}.{name}").RULE for name in modules]
    # A broken built-in rule file is a bug in orchlint: it raises, and the registry reports
    # this plugin by name.
    rules += [load_rule_file(path, source_resolver()) for path in rule_files(Path(__path__[0]))]
    return sorted(rules, key=lambda r: r.id)


def builtin_rule(rule_id: str) -> Rule:
    """One built-in rule by id, for tests and for plugins that build on a built-in rule."""
    for rule in builtin_rules():
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)


@hookimpl
def orchlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in builtin_rules():
        register(rule)
