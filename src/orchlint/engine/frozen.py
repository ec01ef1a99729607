"""What every rule is given and how its input is keyed: read-only copies (``freeze``), a view
that notes what a rule read (``Watched``), and the keys judgements are reused by (``memo_key``).

Plain Python with no orchlint imports, so the reuse memo and the rule caller can share it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

NO_KEY = object()  # memo_key's answer for a value too odd to reuse judgements for


def is_mutation(exc: BaseException) -> bool:
    # What Python raises on writing to the read-only views (mappingproxy, tuple) a rule is given.
    text = str(exc)
    if isinstance(exc, TypeError):
        return "item assignment" in text or "item deletion" in text
    return isinstance(exc, AttributeError) and text.startswith(("'mappingproxy' object", "'tuple' object"))


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
