"""In-house expertise.

``in_house_expertise: false`` says the team has nobody to run the platform itself, so a
platform that needs such people fails. post-2's conclusion: without in-house expertise and with
a budget for vendor accountability, Mesos + Marathon (DC/OS); otherwise Kubernetes.
"""

from __future__ import annotations

from typing import Any

from orchlint.knowledge import cite
from orchlint.model import Outcome
from orchlint.rulekit import Context, Example, Judgement, Rule, unknown


def check(has_expertise: Any, ctx: Context) -> list[Judgement]:
    if has_expertise is not False:
        return []
    fact = ctx.fact("needs_in_house_expertise")
    if fact is None:
        return [unknown(ctx, "needs_in_house_expertise", "running without in-house expertise")]
    detail = f" ({fact.note})" if fact.note else ""
    if fact.value is False:
        return [Judgement(Outcome.MET, f"{ctx.platform.name} can be run without in-house expertise{detail}", fact)]
    return [
        Judgement(Outcome.UNMET, f"{ctx.platform.name} needs in-house expertise to run, and the team has none{detail}", fact)
    ]


RULE = Rule(
    id="operations.in-house-expertise",
    title="The team can run the platform without in-house expertise",
    rationale=__doc__ or "",
    check=check,
    requirement="in_house_expertise",
    facts=("needs_in_house_expertise",),
    sources=cite("post-2 §Conclusion"),
    examples=(
        Example("pass", {"in_house_expertise": False}, {"needs_in_house_expertise": False}),
        Example("fail", {"in_house_expertise": False}, {"needs_in_house_expertise": True}),
        Example("pass", {"in_house_expertise": True}, {"needs_in_house_expertise": True}),
    ),
)
