"""``high_availability: true``: the control plane must survive the loss of a master.

post-2: Kubernetes replicates masters and etcd; Mesos and Marathon elect leaders through ZooKeeper.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, flag_rule

RULE = flag_rule(
    id='availability.high-availability',
    title='The control plane is highly available',
    rationale=__doc__ or "",
    requirement='high_availability',
    fact='high_availability',
    what='a highly available control plane',
    sources=cite('post-2 §High availability'),
    examples=(
        Example('pass', {'high_availability': True}, {'high_availability': True}),
        Example('fail', {'high_availability': True}, {'high_availability': False}),
        Example('warn', {'high_availability': True}, {'high_availability': 'limited'}),
        Example('pass', {'high_availability': False}, {'high_availability': False}),
    ),
)
