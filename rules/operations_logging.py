"""Logging.

``logging: built-in`` asks the platform to aggregate container logs itself; ``external`` means
the team brings its own stack and asks nothing of the platform. post-2: Mesos + Marathon has
built-in aggregated logs; Kubernetes relies on external tools (ELK, sysdig, ...).
"""

from __future__ import annotations

from typing import Any

from orchlint.knowledge import cite
from orchlint.model import Outcome
from orchlint.rulekit import Context, Example, Judgement, Rule, unknown


def check(wanted: Any, ctx: Context) -> list[Judgement]:
    if wanted != "built-in":
        return []
    fact = ctx.fact("logging")
    if fact is None:
        return [unknown(ctx, "logging", "built-in log aggregation")]
    if fact.value == "built-in":
        return [Judgement(Outcome.MET, f"built-in log aggregation: provided by {ctx.platform.name}", fact)]
    return [Judgement(Outcome.UNMET, f"built-in log aggregation: {ctx.platform.name} relies on external tools", fact)]


RULE = Rule(
    id="operations.logging",
    title="The platform aggregates logs itself",
    rationale=__doc__ or "",
    check=check,
    requirement="logging",
    facts=("logging",),
    sources=cite("post-2 §Logging/monitoring"),
    examples=(
        Example("pass", {"logging": "built-in"}, {"logging": "built-in"}),
        Example("fail", {"logging": "built-in"}, {"logging": "external"}),
        Example("pass", {"logging": "external"}, {"logging": "external"}),
    ),
)
