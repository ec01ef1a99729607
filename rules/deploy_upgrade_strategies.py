"""``upgrades`` lists the deployment strategies needed.

post-2: Kubernetes offers rolling update and recreate; Marathon rolling update.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, items_rule

RULE = items_rule(
    id='deploy.upgrade-strategies',
    title='The platform offers the upgrade strategies needed',
    rationale=__doc__ or "",
    requirement='upgrades',
    prefix='upgrade',
    what='upgrade strategy',
    sources=cite('post-2 §Upgrade and rollback'),
    examples=(
        Example('pass', {'upgrades': ['rolling', 'recreate']}, {'upgrade.rolling': True, 'upgrade.recreate': True}),
        Example('fail', {'upgrades': ['rolling', 'recreate']}, {'upgrade.rolling': True, 'upgrade.recreate': False}),
        Example('warn', {'upgrades': ['rolling', 'recreate']}, {'upgrade.rolling': True, 'upgrade.recreate': 'limited'}),
        Example('warn', {'upgrades': ['rolling', 'recreate']}, {'upgrade.rolling': True}),
    ),
)
