"""``storage.multi_instance_external_volumes: true``: an app that uses external volumes must scale
out.

post-2: in Marathon a volume attaches to one task at a time, so such an app stays at one instance.
"""

from __future__ import annotations

from typing import Any

from orchlint.knowledge import cite
from orchlint.rulekit import Context, Example, Judgement, Rule, capability


def check(value: Any, ctx: Context) -> list[Judgement]:
    if value.get('multi_instance_external_volumes') is not True:
        return []
    j = capability(ctx, 'multi_instance_external_volumes', 'scaling an app with external volumes past one instance')
    return [Judgement(j.outcome, j.message, j.fact, ('multi_instance_external_volumes',))]


RULE = Rule(
    id='storage.external-volume-scaling',
    title='Apps with external volumes scale past one instance',
    rationale=__doc__ or "",
    check=check,
    requirement='storage',
    facts=('multi_instance_external_volumes',),
    sources=cite('post-2 §Storage'),
    examples=(
        Example('pass', {'storage': {'multi_instance_external_volumes': True}}, {'multi_instance_external_volumes': True}),
        Example('fail', {'storage': {'multi_instance_external_volumes': True}}, {'multi_instance_external_volumes': False}),
        Example('pass', {'storage': {'multi_instance_external_volumes': False}}, {'multi_instance_external_volumes': False}),
    ),
)
