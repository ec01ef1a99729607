"""The platform is still maintained.

Always evaluated, whatever the requirements say: advice to adopt a platform that has reached
its end of life is wrong advice. A platform fails once its end-of-life, unmaintained or retired
date has passed, and warns while that end is announced but not yet reached.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from orchlint.knowledge import cite
from orchlint.model import Outcome
from orchlint.rulekit import Context, Example, Judgement, Rule, unknown


def check(_value: Any, ctx: Context) -> list[Judgement]:
    fact = ctx.fact("lifecycle")
    if fact is None:
        return [unknown(ctx, "lifecycle", "maintenance status")]
    status = fact.value.get("status", "active")
    if status == "active":
        return [Judgement(Outcome.MET, f"{ctx.platform.name} is actively maintained", fact)]
    end = _dt.date.fromisoformat(str(fact.value["end"]))
    detail = f": {fact.note}" if fact.note else ""
    if ctx.as_of >= end:
        return [Judgement(Outcome.UNMET, f"{ctx.platform.name} is {status} since {end.isoformat()}{detail}", fact)]
    return [
        Judgement(Outcome.DEGRADED, f"{ctx.platform.name} is announced {status} from {end.isoformat()}{detail}", fact)
    ]


RULE = Rule(
    id="lifecycle.maintained",
    title="The platform is maintained",
    rationale=__doc__ or "",
    check=check,
    requirement=None,
    facts=("lifecycle",),
    sources=cite("post-1 §3"),
    examples=(
        Example("pass", {}, {"lifecycle": {"status": "active"}}),
        Example("fail", {}, {"lifecycle": {"status": "end-of-life", "end": "2021-10-31"}}),
        Example("warn", {}, {"lifecycle": {"status": "end-of-life", "end": "2999-12-31"}}),
    ),
)
