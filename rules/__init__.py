"""orchlint's built-in rule pack: one small module per rule, each defining ``RULE``.

Installed as ``orchlint.rules`` and registered through the same hook as any third-party rule.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from orchlint.hookspecs import hookimpl
from orchlint.rulekit import Rule


def builtin_rules() -> list[Rule]:
    modules = sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}").RULE for name in modules]


@hookimpl
def orchlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in builtin_rules():
        register(rule)
