"""``vendor_neutral: true`` means no single commercial company may control the project.

post-1: Logz.io left DC/OS partly because it is ultimately controlled by a commercial company.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, flag_rule

RULE = flag_rule(
    id='vendor.neutral-governance',
    title='No single company controls the platform',
    rationale=__doc__ or "",
    requirement='vendor_neutral',
    fact='vendor_neutral',
    what='vendor-neutral governance',
    sources=cite('post-1 §6'),
    examples=(
        Example('pass', {'vendor_neutral': True}, {'vendor_neutral': True}),
        Example('fail', {'vendor_neutral': True}, {'vendor_neutral': False}),
        Example('warn', {'vendor_neutral': True}, {'vendor_neutral': 'limited'}),
        Example('pass', {'vendor_neutral': False}, {'vendor_neutral': False}),
    ),
)
