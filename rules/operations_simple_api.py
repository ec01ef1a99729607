"""``simple_api: true`` asks for a small API surface.

post-1: Marathon's API is simpler than Kubernetes', with fewer API resources.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, flag_rule

RULE = flag_rule(
    id='operations.simple-api',
    title='The platform has a small, simple API',
    rationale=__doc__ or "",
    requirement='simple_api',
    fact='simple_api',
    what='a simple API',
    sources=cite('post-1 §4'),
    examples=(
        Example('pass', {'simple_api': True}, {'simple_api': True}),
        Example('fail', {'simple_api': True}, {'simple_api': False}),
        Example('warn', {'simple_api': True}, {'simple_api': 'limited'}),
        Example('pass', {'simple_api': False}, {'simple_api': False}),
    ),
)
