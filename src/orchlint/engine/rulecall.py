"""How the engine calls a rule it does not trust: what the rule sees, and what it may return.

The requirements a rule sees are frozen (``freeze``) and watched (``Watched``), so that a rule
cannot change what the next rule sees and the engine knows whether a judgement depended on
more than the rule's own requirement; what comes back is checked (``malformed``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

from orchlint.engine.frozen import NO_KEY, Watched, freeze, is_mutation, memo_key
from orchlint.model import Fact, Outcome
from orchlint.rulekit import Context, Judgement, Rule

__all__ = ["MAX_JUDGEMENTS", "NO_KEY", "FactReads", "Watched", "WatchedContext", "freeze", "is_mutation", "malformed", "memo_key", "task"]

MAX_JUDGEMENTS = 1_000  # per rule and platform: bounds a rule that yields without end



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


class FactReads:
    """A rule's fact lookup that notes the keys it read: only their facts' changes, not every
    change in the knowledge, make another day a different input for the rule."""

    __slots__ = ("lookup", "read")

    def __init__(self, lookup: Callable[[str], Fact | None]) -> None:
        self.lookup = lookup
        self.read: set[str] = set()

    def __call__(self, key: str) -> Fact | None:
        self.read.add(key)
        return self.lookup(key)


class WatchedContext(Context):
    """A rule's context that notes whether the rule looked at the evaluation day itself.

    A rule that never did judges alike on every day with the same facts, so its judgements
    can be reused across days (re-reviews of files decided on many different days).
    """

    day_read = False

    # A property, which wins over the instance's own ``as_of``: every other attribute is read
    # at C speed (a __getattribute__ here was called about 400 times per file).
    @property  # type: ignore[override]
    def as_of(self) -> Any:
        self.__dict__["day_read"] = True
        return self.__dict__["as_of"]
