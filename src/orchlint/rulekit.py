"""What a rule is, what it sees, and what it returns.

A rule judges one requirement against one platform's facts and returns judgements
(met / degraded / unmet / unknown). It never picks a severity: the engine derives that from
the requirement's priority, so a team's ``priorities:`` apply to every rule alike.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import field
from typing import Any

from orchlint.model import Fact, Frozen, Outcome, Platform, record, Severity, Source

RULE_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$"


@record
class Judgement(Frozen):
    """What a rule concluded about one value on one platform, and the fact it relied on.

    ``path`` says which value: a tuple of keys and list indexes below the rule's requirement,
    e.g. ``("types", 1)`` for ``requirements.storage.types[1]`` of a rule on ``storage``; ``()``
    (the default) is the requirement itself. The finding points at that line and column. A rule
    that returns several judgements gives each its own path: re-reviews and ``orchlint diff``
    match findings by it, never by the order the rule returned them in. For a rule
    that judges every file (``requirement=None``) the path names what was judged, e.g.
    ``("osi",)`` and ``("free-edition",)``; it is not looked up in the file (such findings sit
    at 1:1), only used to tell the judgements apart.
    """

    outcome: Outcome
    message: str
    fact: Fact | None = None
    path: tuple[str | int, ...] = ()  # below the rule's requirement, e.g. ("types", 1)

    def __init__(self, outcome: Outcome, message: str, fact: Fact | None = None, path: tuple[str | int, ...] = ()) -> None:
        self.__dict__.update(outcome=outcome, message=message, fact=fact, path=path)


@record
class Example(Frozen):
    """A PASS/FAIL case: ``requirements`` judged against a platform with ``facts``.

    ``expect`` is the verdict the engine must give with default priorities: pass, warn or fail,
    or unknown when nothing is worse than a pass but a fact is missing.
    """

    expect: str
    requirements: Mapping[str, Any]
    facts: Mapping[str, Any]
    priorities: Mapping[str, str] = field(default_factory=dict)
    line: int = 0  # where a rule file wrote it, for ``orchlint test``

    def __init__(
        self, expect: str, requirements: Mapping[str, Any], facts: Mapping[str, Any], priorities: Mapping[str, str] | None = None, line: int = 0
    ) -> None:
        priorities = {} if priorities is None else priorities  # the field's default_factory
        self.__dict__.update(expect=expect, requirements=requirements, facts=facts, priorities=priorities, line=line)


@record
class Context(Frozen):
    """What a rule may look at: the platform, its facts on the evaluation date, the requirements."""

    platform: Platform
    as_of: _dt.date
    requirements: Mapping[str, Any]
    lookup: Callable[[str], Fact | None] = field(repr=False)

    def __init__(self, platform: Platform, as_of: _dt.date, requirements: Mapping[str, Any], lookup: Callable[[str], Fact | None]) -> None:
        self.__dict__.update(platform=platform, as_of=as_of, requirements=requirements, lookup=lookup)

    def fact(self, key: str) -> Fact | None:
        """The fact to judge by, or None when there is none, researched unknowns included."""
        fact = self.lookup(key)
        return None if fact is None or fact.searched else fact

    def researched(self, key: str) -> Fact | None:
        """The researched-unknown fact for ``key`` on this day: searched, and nothing settles it."""
        fact = self.lookup(key)
        return fact if fact is not None and fact.searched else None


Check = Callable[[Any, Context], Iterable[Judgement]]


@record
class Rule(Frozen):
    """A rule as a plugin registers it: its id, why it exists, what it reads, and its check."""

    id: str
    title: str
    rationale: str
    check: Check = field(repr=False)
    requirement: str | None = None  # key under ``requirements:``; None: always evaluated
    sources: tuple[Source, ...] = ()
    examples: tuple[Example, ...] = ()
    facts: tuple[str, ...] = ()  # fact keys (or prefixes ending in ".") the rule reads
    plugin: str = ""  # set by the registry
    # The severity of an unmet requirement by priority, where the rule's author needs other
    # than the engine's default table, e.g. {"should": Severity.FAIL}. Unlisted priorities
    # keep the default.
    severity: Mapping[str, Severity] = field(default_factory=dict, compare=False)
    origin: str = ""  # where the rule was defined: a module, or file:line for a rule file

    def __init__(
        self,
        id: str,
        title: str,
        rationale: str,
        check: Check,
        requirement: str | None = None,
        sources: tuple[Source, ...] = (),
        examples: tuple[Example, ...] = (),
        facts: tuple[str, ...] = (),
        plugin: str = "",
        severity: Mapping[str, Severity] | None = None,
        origin: str = "",
    ) -> None:
        severity = {} if severity is None else severity  # the field's default_factory
        self.__dict__.update(
            id=id,
            title=title,
            rationale=rationale,
            check=check,
            requirement=requirement,
            sources=sources,
            examples=examples,
            facts=facts,
            plugin=plugin,
            severity=severity,
            origin=origin,
        )

    @property
    def requirement_path(self) -> str:
        return f"requirements.{self.requirement}" if self.requirement else ""

    def applies_to(self, requirements: Mapping[str, Any]) -> bool:
        return self.requirement is None or self.requirement in requirements


# -- helpers for the common shapes of rule --------------------------------------------------

def unknown(ctx: Context, key: str, what: str, path: tuple[str | int, ...] = ()) -> Judgement:
    """No fact to judge by: a researched unknown says so and cites where was searched."""
    researched = ctx.researched(key)
    if researched is not None:
        return Judgement(Outcome.UNKNOWN, researched_message(what, ctx.platform.name, researched), researched, path)
    return Judgement(
        Outcome.UNKNOWN,
        f"{what}: unverified — orchlint has no fact {key!r} for {ctx.platform.name} on {ctx.as_of.isoformat()}",
        None,
        path,
    )


def researched_message(what: str, platform: str, fact: Fact) -> str:
    return f"{what}: unknown — researched, and no public source settles it for {platform} (searched: {'; '.join(fact.searched)})"


def capability(ctx: Context, key: str, what: str, path: tuple[str | int, ...] = ()) -> Judgement:
    """Judge a capability fact valued true / false / "limited"."""
    fact = ctx.fact(key)
    if fact is None:
        return unknown(ctx, key, what, path)
    value = fact.value
    detail = f": {fact.note}" if fact.note else ""
    if value is True:
        return Judgement(Outcome.MET, f"{what}: supported by {ctx.platform.name}", fact, path)
    if value == "limited":
        return Judgement(Outcome.DEGRADED, f"{what}: only limited support in {ctx.platform.name}{detail}", fact, path)
    return Judgement(Outcome.UNMET, f"{what}: not supported by {ctx.platform.name}{detail}", fact, path)


def each_capability(ctx: Context, items: Iterable[str], prefix: str, what: str) -> list[Judgement]:
    """One judgement per requested item, read from facts ``prefix.item``."""
    return [capability(ctx, f"{prefix}.{item}", f"{what} {item!r}", (index,)) for index, item in enumerate(items)]


def flag_rule(*, fact: str, what: str, **kwargs: Any) -> Rule:
    """A rule for a yes/no requirement (``production: true``) judged by one capability fact.

    ``false`` asks for nothing, so it yields no finding.
    """

    def check(value: Any, ctx: Context) -> list[Judgement]:
        return [capability(ctx, fact, what)] if value is True else []

    return Rule(check=check, facts=(fact,), **kwargs)


def items_rule(*, prefix: str, what: str, subkey: str | None = None, **kwargs: Any) -> Rule:
    """A rule for a list requirement (``health_checks: [liveness, grpc]``): one judgement per item.

    ``subkey`` reads the list from a mapping requirement, e.g. ``storage.types``.
    """

    def check(value: Any, ctx: Context) -> list[Judgement]:
        if subkey is not None:
            value = value.get(subkey) if isinstance(value, Mapping) else None
            if value is None:
                return []
            judgements = each_capability(ctx, value, prefix, what)
            return [Judgement(j.outcome, j.message, j.fact, (subkey, *j.path)) for j in judgements]
        return each_capability(ctx, value, prefix, what)

    return Rule(check=check, facts=(prefix + ".",), **kwargs)
