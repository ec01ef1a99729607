"""``storage.types`` lists the volume types the workload needs.

A type reachable only through an out-of-tree (CSI) driver or still in beta is a warning.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, items_rule

RULE = items_rule(
    id='storage.types',
    title='The platform supports every storage type needed',
    rationale=__doc__ or "",
    requirement='storage',
    subkey='types',
    prefix='storage',
    what='storage type',
    sources=cite('post-2 §Storage'),
    examples=(
        Example('pass', {'storage': {'types': ['nfs', 'aws-ebs']}}, {'storage.nfs': True, 'storage.aws-ebs': True}),
        Example('fail', {'storage': {'types': ['nfs', 'aws-ebs']}}, {'storage.nfs': True, 'storage.aws-ebs': False}),
        Example('warn', {'storage': {'types': ['nfs', 'aws-ebs']}}, {'storage.nfs': True, 'storage.aws-ebs': 'limited'}),
        Example('warn', {'storage': {'types': ['nfs', 'aws-ebs']}}, {'storage.nfs': True}),
    ),
)
