"""What a plugin hands over has the types ``orchlint.model`` declares, checked where it comes in.

A plugin is Python: its Fact may carry a ``verified`` that is a string, a ``datetime`` or an
object whose ``isoformat`` returns markup. Let in, such a fact breaks whichever part of orchlint
touches it first (a built-in rule, an output format, the knowledge's ordering), and that part is
blamed; or it writes what it likes into a report. So every field is checked when the plugin
registers it, and a malformed one is that plugin's error, naming the field.

Types are exact: a subclass of ``str`` or ``datetime.date`` can override what it prints, and a
``datetime.datetime`` is not a day.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from orchlint.model import Fact, Platform, Source

MAX_VALUE_DEPTH = 32  # a fact's value nested deeper than this is not data a rule reads


def kind(value: Any) -> str:
    """``str``, ``datetime.datetime``, ``mymodule.Evil``: a type as a message names it."""
    cls = type(value)
    module = getattr(cls, "__module__", "")
    name = getattr(cls, "__qualname__", cls.__name__)
    return name if module == "builtins" else f"{module}.{name}"


def _day(value: Any) -> bool:
    return type(value) is _dt.date


def _day_or_none(value: Any) -> bool:
    return value is None or type(value) is _dt.date


def _text(value: Any) -> bool:
    return type(value) is str


def _flag(value: Any) -> bool:
    return type(value) is bool


def _texts(value: Any) -> bool:
    return type(value) is tuple and all(type(v) is str for v in value)


# Every field of Fact, with what it must be (tests/engine/test_plugin_faults.py checks that none
# is missing). ``value`` and ``sources`` are checked apart, below.
FACT_FIELDS: dict[str, tuple[Callable[[Any], bool], str] | None] = {
    "platform": (_text, "str"),
    "key": (_text, "str"),
    "value": None,
    "sources": None,
    "verified": (_day, "datetime.date"),
    "valid_from": (_day_or_none, "datetime.date or None"),
    "valid_until": (_day_or_none, "datetime.date or None"),
    "note": (_text, "str"),
    "posts_said": (_text, "str"),
    "from_release": (_text, "str"),
    "from_as_of": (_flag, "bool"),
    "until_release": (_text, "str"),
    "searched": (_texts, "a tuple of str"),
    "inherited_from": (_text, "str"),
}

SOURCE_FIELDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "title": (_text, "str"),
    "url": (_text, "str"),
    "section": (_text, "str"),
    "date": (_day_or_none, "datetime.date or None"),
}

PLATFORM_FIELDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "id": (_text, "str"),
    "name": (_text, "str"),
    "summary": (_text, "str"),
    "based_on": (_text, "str"),
}


def _fields(item: Any, fields: dict[str, Any], prefix: str = "") -> str | None:
    for name, check in fields.items():
        if check is None:
            continue
        test, expected = check
        value = getattr(item, name)
        if not test(value):
            shown = kind(value)
            if name == "searched" and type(value) is tuple:
                bad = next(v for v in value if type(v) is not str)
                return f"{prefix}{name}[{value.index(bad)}] is {kind(bad)}, not str"
            return f"{prefix}{name} is {shown}, not {expected}"
    return None


def source_problem(source: Any, where: str = "source") -> str | None:
    """What is wrong with a Source's fields, in words; None when nothing is."""
    if type(source) is not Source:
        return f"{where} is {kind(source)}, not Source"
    return _fields(source, SOURCE_FIELDS, f"{where}.")


def sources_problem(sources: Any, where: str = "sources") -> str | None:
    """A tuple of well-formed Sources (a rule's, or a fact's)."""
    if type(sources) is not tuple:
        return f"{where} is {kind(sources)}, not a tuple of Source"
    for index, source in enumerate(sources):
        problem = source_problem(source, f"{where}[{index}]")
        if problem:
            return problem
    return None


def value_problem(value: Any, where: str = "value", depth: int = 0) -> str | None:
    """A fact's value is plain data, as a fact file would give it: None, bool, int, a finite
    float, str, datetime.date, and lists, tuples and mappings with str keys of those. (A
    rule is handed a read-only copy, whose mappings are mapping proxies.)"""
    cls = type(value)
    if value is None or cls is bool or cls is int or cls is str or cls is _dt.date:
        return None
    if cls is float:
        return None if math.isfinite(value) else f"{where} is {value!r}, not a finite number"
    if depth >= MAX_VALUE_DEPTH:
        return f"{where} is nested more than {MAX_VALUE_DEPTH} levels deep"
    if cls is list or cls is tuple:
        for index, item in enumerate(value):
            problem = value_problem(item, f"{where}[{index}]", depth + 1)
            if problem:
                return problem
        return None
    if cls is dict or cls is MappingProxyType:
        for key, item in value.items():
            if type(key) is not str:
                return f"{where} has a key that is {kind(key)}, not str"
            problem = value_problem(item, f"{where}[{key!r}]", depth + 1)
            if problem:
                return problem
        return None
    return f"{where} is {kind(value)}, not plain data (None, bool, int, float, str, datetime.date, list, tuple or dict)"


def plain_json(value: Any) -> Any:
    """A value that passed ``value_problem`` as JSON data: days as YYYY-MM-DD, tuples as lists."""
    if type(value) is _dt.date:
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain_json(v) for v in value]
    if isinstance(value, (dict, MappingProxyType)):
        return {k: plain_json(v) for k, v in value.items()}
    return value


def fact_problem(fact: Any) -> str | None:
    """What is wrong with a Fact a plugin handed over, in one sentence that names the fact and
    the field: ``fact atlantis/lifecycle: verified is str, not datetime.date``. None when
    every field has its declared type."""
    if type(fact) is not Fact:
        return f"registered {kind(fact)} where a Fact was expected"
    named = type(fact.platform) is str and type(fact.key) is str
    name = f"fact {fact.platform}/{fact.key}" if named else "a fact"
    problem = _fields(fact, FACT_FIELDS) or sources_problem(fact.sources) or value_problem(fact.value)
    if problem:
        return f"{name}: {problem}"
    if not fact.sources:
        return f"{name} has no source"
    if fact.searched and fact.value is not None:
        return f"{name}: a researched unknown (searched) has a value; it must be None"
    return None


def platform_problem(platform: Any) -> str | None:
    if type(platform) is not Platform:
        return f"registered {kind(platform)} where a Platform was expected"
    problem = _fields(platform, PLATFORM_FIELDS)
    if problem is None and not platform.id:
        problem = "id is empty"
    shown = platform.id if type(platform.id) is str else "?"
    return f"platform {shown}: {problem}" if problem else None
