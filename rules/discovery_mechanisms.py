"""``service_discovery`` lists how services find each other: dns, env (environment variables),
vip (virtual IPs with load balancing).
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, items_rule

RULE = items_rule(
    id='discovery.mechanisms',
    title='The platform offers the service discovery needed',
    rationale=__doc__ or "",
    requirement='service_discovery',
    prefix='discovery',
    what='service discovery by',
    sources=cite('post-2 §Service discovery'),
    examples=(
        Example('pass', {'service_discovery': ['dns', 'vip']}, {'discovery.dns': True, 'discovery.vip': True}),
        Example('fail', {'service_discovery': ['dns', 'vip']}, {'discovery.dns': True, 'discovery.vip': False}),
        Example('warn', {'service_discovery': ['dns', 'vip']}, {'discovery.dns': True, 'discovery.vip': 'limited'}),
        Example('warn', {'service_discovery': ['dns', 'vip']}, {'discovery.dns': True}),
    ),
)
