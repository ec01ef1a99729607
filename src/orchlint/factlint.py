"""Checks that knowledge is researched, not written: the rules a fact file must keep.

The fact schema checks each entry's form; these checks span entries and read the dating
rules of docs/knowledge.md. orchlint's own test suite runs them on the built-in platforms, and a
plugin that ships a platform can run them on its own facts::

    from orchlint.factlint import problems
    assert problems(facts) == []
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from itertools import pairwise

from orchlint.model import Fact


def problems(facts: Iterable[Fact], today: _dt.date | None = None) -> list[str]:
    """Every breach of the dating and sourcing rules, one sentence each; [] when there is none."""
    today = today or _dt.date.today()
    out: list[str] = []
    by_key: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        by_key.setdefault((fact.platform, fact.key), []).append(fact)
        out += [f"{fact.platform}/{fact.key} ({fact.window()}): {text}" for text in entry_problems(fact, today)]
    for (platform, key), entries in sorted(by_key.items()):
        out += [f"{platform}/{key}: {text}" for text in history_problems(entries)]
    return out


def entry_problems(fact: Fact, today: _dt.date) -> list[str]:
    out = []
    if not any(s.url.startswith("https://") for s in fact.sources):
        out.append("cites no https URL: a fact rests on a primary source someone can open")
    if fact.verified > today:
        out.append(f"verified {fact.verified.isoformat()}, after today")
    if fact.searched:
        if not fact.note:
            out.append("researched unknown without a note saying why nothing settles it")
        if fact.valid_from is None:
            out.append("researched unknown with no 'from': it starts at the platform's first release at the earliest")
        return out
    if fact.valid_from is None:
        out.append("no 'from': every window starts on a dated release or event")
    elif fact.from_release and fact.from_as_of:
        out.append("both from_release and from_as_of: a start is tied to a release or, failing that, to an as-of date")
    elif not fact.from_release and not fact.from_as_of:
        out.append("'from' is tied to no release: give from_release, or from_as_of: true as a last resort")
    if fact.from_as_of and not fact.note:
        out.append("from_as_of without a note saying where the release was looked for")
    if fact.value == "limited" and not fact.note:
        out.append("'limited' without a note saying why")
    return out


def history_problems(entries: Sequence[Fact]) -> list[str]:
    """A key's windows follow one another without gaps: a change ends one where the next starts."""
    dated = sorted(entries, key=lambda f: f.valid_from or _dt.date.min)
    out = []
    for before, after in pairwise(dated):
        if before.valid_until is None:
            out.append(f"the window {before.window()} never ends, yet another starts {after.window()}")
        elif after.valid_from != before.valid_until:
            out.append(f"a gap or overlap between {before.window()} and {after.window()}")
    return out


def history_gaps(entries: Sequence[Fact], start: _dt.date, end: _dt.date) -> str | None:
    """Why the key is not known on every day from ``start`` to ``end``, or None when it is."""
    dated = sorted(entries, key=lambda f: f.valid_from or _dt.date.min)
    if not dated:
        return "no fact"
    first = dated[0].valid_from
    if first is not None and first > start:
        return f"first fact starts {first.isoformat()}, after {start.isoformat()}"
    last = dated[-1].valid_until
    if last is not None and last <= end:
        return f"last fact ends {last.isoformat()}"
    return None
