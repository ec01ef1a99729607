"""``open_source_only: true`` means every feature the team relies on must be in the free edition.

post-1: the simple features Logz.io needed to automate deployment were only in DC/OS Enterprise.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, flag_rule

RULE = flag_rule(
    id='licence.free-edition',
    title='Every feature relied on is in the free edition',
    rationale=__doc__ or "",
    requirement='open_source_only',
    fact='free_edition_complete',
    what='all features in the free edition',
    sources=cite('post-1 §6'),
    examples=(
        Example('pass', {'open_source_only': True}, {'free_edition_complete': True}),
        Example('fail', {'open_source_only': True}, {'free_edition_complete': False}),
        Example('warn', {'open_source_only': True}, {'free_edition_complete': 'limited'}),
        Example('pass', {'open_source_only': False}, {'free_edition_complete': False}),
    ),
)
