"""``on_premises: true`` means the platform must run on hardware the team owns.

A hosted control plane that only manages on-premises workers is a limited yes.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, flag_rule

RULE = flag_rule(
    id='portability.on-premises',
    title="The platform runs on the team's own hardware",
    rationale=__doc__ or "",
    requirement='on_premises',
    fact='on_premises',
    what='running on premises',
    sources=cite('post-1 §1'),
    examples=(
        Example('pass', {'on_premises': True}, {'on_premises': True}),
        Example('fail', {'on_premises': True}, {'on_premises': False}),
        Example('warn', {'on_premises': True}, {'on_premises': 'limited'}),
        Example('pass', {'on_premises': False}, {'on_premises': False}),
    ),
)
