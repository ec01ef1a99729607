"""``load_balancing: true``: the platform must balance traffic across instances by itself.

post-2: Kubernetes Services front pods; Marathon maps host ports to container ports.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, flag_rule

RULE = flag_rule(
    id='networking.load-balancing',
    title='The platform balances load across instances',
    rationale=__doc__ or "",
    requirement='load_balancing',
    fact='load_balancing',
    what='built-in load balancing',
    sources=cite('post-2 §Load balancing'),
    examples=(
        Example('pass', {'load_balancing': True}, {'load_balancing': True}),
        Example('fail', {'load_balancing': True}, {'load_balancing': False}),
        Example('warn', {'load_balancing': True}, {'load_balancing': 'limited'}),
        Example('pass', {'load_balancing': False}, {'load_balancing': False}),
    ),
)
