"""A team that runs production traffic needs a platform judged production-ready.

post-1: Logz.io found Swarm fit for testing but not for production, and Nomad not mature
enough yet.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, flag_rule

RULE = flag_rule(
    id='maturity.production-ready',
    title='The platform is production-ready',
    rationale=__doc__ or "",
    requirement='production',
    fact='production_ready',
    what='production readiness',
    sources=cite('post-1 §1'),
    examples=(
        Example('pass', {'production': True}, {'production_ready': True}),
        Example('fail', {'production': True}, {'production_ready': False}),
        Example('warn', {'production': True}, {'production_ready': 'limited'}),
        Example('pass', {'production': False}, {'production_ready': False}),
    ),
)
