"""orchlint's built-in rule pack, registered through the same hook as any third-party rule.

Most rules are declarative YAML files (one rule per file, see docs/rules.md). A rule whose
logic needs more than a condition language stays a small Python module defining ``RULE``:
``lifecycle.maintained`` compares dates with the evaluation day, ``scale.node-limit`` works out
how many clusters a split would take.

Installed as ``orchlint.rules``.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

from orchlint.hookspecs import hookimpl
from orchlint.rulekit import Rule


def builtin_rules() -> list[Rule]:
    from orchlint.declarative.rulefile import load_rule_file
    from orchlint.knowledge import source_resolver

    # The Python rules beside this file (os.listdir: pkgutil costs more to import than this).
    modules = sorted(n[:-3] for n in os.listdir(__path__[0]) if n.endswith(".py") and not n.startswith("_"))
    rules = [importlib.import_module(f"{__name__}.{name}").RULE for name in modules]
    # A broken built-in rule file is a bug in orchlint: it raises, and the registry reports
    # this plugin by name. Their conditions are checked by the test suite, not on every start.
    resolver = source_resolver()
    parsed = compiled_documents()
    for name in rule_file_names():
        doc = parsed.get(name)
        # A compiled file passed every check when it was compiled; any other one is checked,
        # all but its conditions (see tests/schema_checks/test_generated.py).
        path = os.path.join(__path__[0], name)
        rules.append(load_rule_file(path, resolver, check_conditions=False, doc=doc, checked=doc is not None))
    return sorted(rules, key=lambda r: r.id)


def rule_file_names() -> list[str]:
    """The rule files here, as ``rulefile.rule_files`` finds them in this flat directory
    (os.listdir: no pathlib on a plain check's path; a test holds the two to the same list)."""
    from orchlint.support.discover import SUFFIXES

    return sorted(n for n in os.listdir(__path__[0]) if n.endswith(SUFFIXES) and not n.startswith("."))


def compiled_documents() -> dict[str, Any]:
    """The rule files as parsed by ``python -m orchlint.generate`` (``_compiled.py``), for each
    file whose fingerprint still matches; any other file is parsed as usual. Parsing two dozen
    YAML files costs about 15 ms on every start."""
    try:
        from orchlint.rules import _compiled
    except ImportError:
        return {}
    from orchlint.support.fingerprint import unchanged
    from orchlint.support.yamlsource import Document

    directory = __path__[0]
    return {
        name: Document(data, dict(key_marks), dict(value_marks))
        for name, printed, data, key_marks, value_marks in _compiled.FILES
        if unchanged(os.path.join(directory, name), printed)
    }


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
