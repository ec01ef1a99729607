"""``health_checks`` lists probe kinds (liveness, readiness, startup) and mechanisms (http, tcp,
command, grpc) the workload relies on. A deprecated mechanism is a warning.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, items_rule

RULE = items_rule(
    id='health.checks',
    title='The platform offers the health checks needed',
    rationale=__doc__ or "",
    requirement='health_checks',
    prefix='health_check',
    what='health check',
    sources=cite('post-2 §Health checks'),
    examples=(
        Example('pass', {'health_checks': ['liveness', 'grpc']}, {'health_check.liveness': True, 'health_check.grpc': True}),
        Example('fail', {'health_checks': ['liveness', 'grpc']}, {'health_check.liveness': True, 'health_check.grpc': False}),
        Example('warn', {'health_checks': ['liveness', 'grpc']}, {'health_check.liveness': True, 'health_check.grpc': 'limited'}),
        Example('warn', {'health_checks': ['liveness', 'grpc']}, {'health_check.liveness': True}),
    ),
)
