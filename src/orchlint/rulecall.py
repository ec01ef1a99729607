"""How the engine calls a rule it does not trust: what the rule sees, and what it may return.

The requirements a rule sees are frozen (``freeze``) and watched (``Watched``), so that a rule
cannot change what the next rule sees and the engine knows whether a judgement depended on
more than the rule's own requirement; what comes back is checked (``malformed``).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from orchlint.model import Fact, Outcome
from orchlint.rulekit import Context, Judgement, Rule

MAX_JUDGEMENTS = 1_000  # per rule and platform: bounds a rule that yields without end
NO_KEY = object()  # memo_key's answer for a value too odd to reuse judgements for


def is_mutation(exc: BaseException) -> bool:
    # What Python raises on writing to the read-only views (mappingproxy, tuple) a rule is given.
    text = str(exc)
    if isinstance(exc, TypeError):
        return "item assignment" in text or "item deletion" in text
    return isinstance(exc, AttributeError) and text.startswith(("'mappingproxy' object", "'tuple' object"))


def malformed(j: Any, platform_id: str) -> str | None:
    """What is wrong with one returned judgement, in words; None when it is well-formed."""
    if not isinstance(j, Judgement):
        return f"returned {type(j).__name__} where a Judgement was expected"
    if not isinstance(j.outcome, Outcome):
        return f"returned a Judgement whose outcome is {type(j.outcome).__name__}, not an Outcome"
    if not isinstance(j.message, str):
        return f"returned a Judgement whose message is {type(j.message).__name__}, not str"
    if not isinstance(j.path, tuple) or not all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in j.path):
        return "returned a Judgement whose path is not a tuple of keys and indexes"
    if j.fact is not None and not isinstance(j.fact, Fact):
        return f"returned a Judgement citing {type(j.fact).__name__} where a Fact was expected"
    if j.fact is not None and j.fact.platform != platform_id:
        return f"cited a fact about platform {j.fact.platform!r}"
    return None


def task(rule: Rule, requirements: Mapping[str, Any], ctx: Context, timed_out: set[str]) -> Callable[[], list[Any] | None]:
    def run() -> list[Any] | None:
        if rule.id in timed_out:  # it hung on an earlier platform
            return None
        value = requirements.get(rule.requirement) if rule.requirement else None
        return list(itertools.islice(rule.check(value, ctx), MAX_JUDGEMENTS + 1))

    return run


class Watched(Mapping[str, Any]):
    """The read-only requirements one rule sees, noting which of them it looked at.

    ``read`` holds the keys read one by one (``get``, ``in`` and ``[]`` all come through
    ``__getitem__``); ``everything`` is set once the rule iterated or measured them all.
    """

    __slots__ = ("_data", "read", "everything")

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data
        self.read: set[str] = set()
        self.everything = False

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return self._data[key]

    def __iter__(self) -> Any:
        self.everything = True
        return iter(self._data)

    def __len__(self) -> int:
        self.everything = True
        return len(self._data)

    def __repr__(self) -> str:
        return repr(self._data)


class WatchedContext(Context):
    """A rule's context that notes whether the rule looked at the evaluation day itself.

    A rule that never did judges alike on every day with the same facts, so its judgements
    can be reused across days (re-reviews of files decided on many different days).
    """

    day_read = False

    def __getattribute__(self, name: str) -> Any:
        if name == "as_of":
            object.__setattr__(self, "day_read", True)
        return object.__getattribute__(self, name)


def memo_key(value: Any) -> Any:
    """A hashable key that tells apart values a rule could tell apart (1, 1.0 and True too)."""
    kind = type(value)
    if kind in (str, int, bool, float, type(None)):
        return (kind, value)
    if kind is tuple or kind is list:  # a rule is always given a list as a tuple
        parts = tuple(memo_key(v) for v in value)
        return NO_KEY if any(p is NO_KEY for p in parts) else (tuple, parts)
    if isinstance(value, Mapping):
        items = tuple((k, memo_key(v)) for k, v in value.items())
        return NO_KEY if any(v is NO_KEY for _k, v in items) else (dict, items)
    return NO_KEY  # anything else: not worth the risk of a wrong reuse


def freeze(value: Any) -> Any:
    """A read-only deep copy, so no rule can change what the next rule sees."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return copy.copy(value)
