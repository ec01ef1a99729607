"""Every extension point of orchlint. Built-in platforms, rules and formats use these same hooks.

Each hook receives a ``register`` callback and calls it once per thing it contributes, as in
simonw/llm. orchlint calls each plugin's implementation separately, so a plugin that raises
is reported by name and the others still contribute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from orchlint.formatters.base import Formatter
    from orchlint.model import Fact, Platform
    from orchlint.rulekit import Rule

PROJECT = "orchlint"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def orchlint_register_platforms(register: Callable[[Platform], None]) -> None:
    """Register platforms (orchestrators) by calling ``register(Platform(id, name, summary))``.

    Platform ids are unique across all plugins; a duplicate is a plugin error.
    """


@hookspec
def orchlint_register_facts(register: Callable[[Fact], None]) -> None:
    """Register facts about any registered platform by calling ``register(Fact(...))``.

    Each fact carries its sources, the date it was last verified and the window in which it
    held. Facts for the same platform and key must not overlap in time. ``register`` also takes
    a ``FactHistory`` (``orchlint.model``): one key's facts, made when first needed.
    """


@hookspec
def orchlint_register_requirements(register: Callable[[str, dict[str, Any]], None]) -> None:
    """Add requirement keys under a namespace by calling ``register(namespace, schema)``.

    ``schema`` is a JSON Schema (draft 2020-12) fragment for the mapping a requirements file
    writes under ``requirements.<namespace>``, e.g. ``register("acme", {"type": "object",
    "properties": {"tier": {"type": "integer", "minimum": 1, "maximum": 3}}})``. It must be a
    valid schema of ``"type": "object"``, self-contained (no ``$ref``, ``$id`` or anchors); an
    unlisted key inside the namespace is an error unless the fragment sets
    ``additionalProperties`` itself. The namespace is a lowercase identifier (``[a-z][a-z0-9_]*``)
    that is neither a built-in requirement key nor another plugin's namespace. Anything else is a
    plugin error (exit 3). Requirements files are then validated against the fragment like the
    built-in keys; ``priorities:`` and waivers may name the namespace, and a rule with
    ``requirement="<namespace>"`` gets the mapping.
    """


@hookspec
def orchlint_register_rules(register: Callable[[Rule], None]) -> None:
    """Register rules by calling ``register(Rule(...))``. Rule ids are unique (``area.kebab-name``).

    A rule's check gets read-only requirements and facts, runs on a worker thread with a time
    limit per platform (rule_timeout in the configuration, ORCHLINT_RULE_TIMEOUT overriding it;
    default 10 s), and may return at most 1,000
    judgements. A check that raises, hangs, returns anything but Judgements or tries to change
    what it was given is a plugin error (exit 3) and contributes no finding.
    """


@hookspec
def orchlint_register_formatters(register: Callable[[type[Formatter]], None]) -> None:
    """Register output formats by calling ``register(FormatterClass)``; the class names itself in ``name``."""
