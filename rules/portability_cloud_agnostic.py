"""``cloud_agnostic: true`` means the team must be able to move between cloud providers.

post-1: Logz.io rejected Amazon ECS because it wanted a cloud-agnostic tool.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, flag_rule

RULE = flag_rule(
    id='portability.cloud-agnostic',
    title='The platform does not tie the team to one cloud',
    rationale=__doc__ or "",
    requirement='cloud_agnostic',
    fact='cloud_agnostic',
    what='cloud-agnostic operation',
    sources=cite('post-1 §1'),
    examples=(
        Example('pass', {'cloud_agnostic': True}, {'cloud_agnostic': True}),
        Example('fail', {'cloud_agnostic': True}, {'cloud_agnostic': False}),
        Example('warn', {'cloud_agnostic': True}, {'cloud_agnostic': 'limited'}),
        Example('pass', {'cloud_agnostic': False}, {'cloud_agnostic': False}),
    ),
)
