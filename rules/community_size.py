"""Community size.

``large_community: true`` asks for a large contributor and user community: people to hire,
answers to find, integrations that exist. post-1: Kubernetes' community is overwhelmingly
larger than Mesos'. A moderate community is a warning.
"""

from __future__ import annotations

from typing import Any

from orchlint.knowledge import cite
from orchlint.model import Outcome
from orchlint.rulekit import Context, Example, Judgement, Rule, unknown

OUTCOMES = {"large": Outcome.MET, "moderate": Outcome.DEGRADED, "small": Outcome.UNMET}


def check(wanted: Any, ctx: Context) -> list[Judgement]:
    if wanted is not True:
        return []
    fact = ctx.fact("community")
    if fact is None:
        return [unknown(ctx, "community", "a large community")]
    outcome = OUTCOMES.get(fact.value, Outcome.UNKNOWN)
    return [Judgement(outcome, f"a large community: {ctx.platform.name}'s community is {fact.value}", fact)]


RULE = Rule(
    id="community.size",
    title="The platform has a large community",
    rationale=__doc__ or "",
    check=check,
    requirement="large_community",
    facts=("community",),
    sources=cite("post-1 §5"),
    examples=(
        Example("pass", {"large_community": True}, {"community": "large"}),
        Example("fail", {"large_community": True}, {"community": "small"}),
        Example("warn", {"large_community": True}, {"community": "moderate"}),
    ),
)
