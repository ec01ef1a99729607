"""``rollback: true``: a deployment must be able to return to its previous version.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, flag_rule

RULE = flag_rule(
    id='deploy.rollback',
    title='Deployments can roll back',
    rationale=__doc__ or "",
    requirement='rollback',
    fact='rollback',
    what='rolling back a deployment',
    sources=cite('post-2 §Upgrade and rollback'),
    examples=(
        Example('pass', {'rollback': True}, {'rollback': True}),
        Example('fail', {'rollback': True}, {'rollback': False}),
        Example('warn', {'rollback': True}, {'rollback': 'limited'}),
        Example('pass', {'rollback': False}, {'rollback': False}),
    ),
)
