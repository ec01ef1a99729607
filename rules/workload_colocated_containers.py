"""``colocated_containers: true``: containers scheduled together, sharing network and storage.

post-2: pods are core to Kubernetes; Marathon added pods in 1.4, outside its core.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, flag_rule

RULE = flag_rule(
    id='workload.colocated-containers',
    title='Containers can be co-located as pods',
    rationale=__doc__ or "",
    requirement='colocated_containers',
    fact='colocated_containers',
    what='co-located containers (pods)',
    sources=cite('post-2 §Application definition'),
    examples=(
        Example('pass', {'colocated_containers': True}, {'colocated_containers': True}),
        Example('fail', {'colocated_containers': True}, {'colocated_containers': False}),
        Example('warn', {'colocated_containers': True}, {'colocated_containers': 'limited'}),
        Example('pass', {'colocated_containers': False}, {'colocated_containers': False}),
    ),
)
