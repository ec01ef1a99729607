"""``autoscaling.enabled: true``: the platform must scale instances on metrics by itself.

post-2: Kubernetes autoscales declaratively on metrics; Marathon only through extra components.
"""

from __future__ import annotations

from typing import Any

from orchlint.knowledge import cite
from orchlint.model import Outcome
from orchlint.rulekit import Context, Example, Judgement, Rule, unknown

OUTCOMES = {"built-in": Outcome.MET, "add-on": Outcome.DEGRADED, "none": Outcome.UNMET}


def _judge(ctx: Context) -> Judgement:
    fact = ctx.fact("autoscaling")
    if fact is None:
        return unknown(ctx, "autoscaling", "metric-based autoscaling")
    outcome = OUTCOMES.get(fact.value, Outcome.UNKNOWN)
    detail = f": {fact.note}" if fact.note else ""
    message = {
        Outcome.MET: f"metric-based autoscaling: built into {ctx.platform.name}",
        Outcome.DEGRADED: f"metric-based autoscaling: only through add-ons in {ctx.platform.name}{detail}",
        Outcome.UNMET: f"metric-based autoscaling: not available in {ctx.platform.name}{detail}",
        Outcome.UNKNOWN: f"metric-based autoscaling: unrecognised fact value {fact.value!r}",
    }[outcome]
    return Judgement(outcome, message, fact)


def check(value: Any, ctx: Context) -> list[Judgement]:
    if value.get('enabled') is not True:
        return []
    j = _judge(ctx)
    return [Judgement(j.outcome, j.message, j.fact, ('enabled',))]


RULE = Rule(
    id='autoscaling.metric-based',
    title='The platform autoscales on metrics by itself',
    rationale=__doc__ or "",
    check=check,
    requirement='autoscaling',
    facts=('autoscaling',),
    sources=cite('post-2 §Auto scaling'),
    examples=(
        Example('pass', {'autoscaling': {'enabled': True}}, {'autoscaling': 'built-in'}),
        Example('fail', {'autoscaling': {'enabled': True}}, {'autoscaling': 'none'}),
        Example('warn', {'autoscaling': {'enabled': True}}, {'autoscaling': 'add-on'}),
        Example('pass', {'autoscaling': {'enabled': False}}, {'autoscaling': 'none'}),
    ),
)
