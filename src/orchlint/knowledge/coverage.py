"""How much of the fact vocabulary each platform's knowledge covers on a given day.

The vocabulary is the list of fact keys in ``facts.schema.json`` (the keys the built-in rules
read), so a key added there is a key every built-in platform must research. Each platform x key
cell is one of:

- ``known``: a fact with a value holds that day;
- ``researched-unknown``: a fact holds that says no public source settles the value, and where
  was searched; it counts as covered, but reports still show the requirement as unknown;
- ``missing``: no fact holds that day, which for a built-in platform is a bug.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from orchlint.model import Fact
from orchlint.plugins.registry import Registry

KNOWN = "known"
RESEARCHED_UNKNOWN = "researched-unknown"
MISSING = "missing"


def vocabulary() -> tuple[str, ...]:
    """The fact keys the built-in rules read, in the schema's order."""
    from orchlint.schemas.validation import load_schema

    return tuple(load_schema("facts")["properties"]["facts"]["properties"])


@dataclass(frozen=True)
class PlatformCoverage:
    platform: str
    cells: tuple[tuple[str, str, Fact | None], ...]  # (key, status, the fact that holds)

    def count(self, status: str) -> int:
        return sum(1 for _key, s, _fact in self.cells if s == status)

    @property
    def covered(self) -> int:
        return len(self.cells) - self.count(MISSING)

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "keys": len(self.cells),
            "covered": self.covered,
            "known": self.count(KNOWN),
            "researched_unknown": self.count(RESEARCHED_UNKNOWN),
            "missing": self.count(MISSING),
            "cells": {key: status for key, status, _fact in self.cells},
        }


def coverage(registry: Registry, day: _dt.date, platforms: Sequence[str], keys: Sequence[str] | None = None) -> list[PlatformCoverage]:
    keys = vocabulary() if keys is None else tuple(keys)
    out = []
    for platform in platforms:
        cells = []
        for key in keys:
            fact = registry.knowledge.at(platform, key, day)
            status = MISSING if fact is None else RESEARCHED_UNKNOWN if fact.searched else KNOWN
            cells.append((key, status, fact))
        out.append(PlatformCoverage(platform, tuple(cells)))
    return out


_MARK = {KNOWN: "known", RESEARCHED_UNKNOWN: "unknown*", MISSING: "MISSING"}


def render_text(result: Sequence[PlatformCoverage], day: _dt.date) -> str:
    """The platform x key matrix, a per-platform total, and the researched unknowns listed."""
    if not result:
        return f"no platforms to show as of {day.isoformat()}\n"
    keys = [key for key, _s, _f in result[0].cells]
    width = max(len(k) for k in keys)
    columns = [max(len(c.platform), 8) for c in result]
    lines = [f"{'':{width}}  " + "  ".join(f"{c.platform:{w}}" for c, w in zip(result, columns))]
    for row, key in enumerate(keys):
        lines.append(f"{key:{width}}  " + "  ".join(f"{_MARK[c.cells[row][1]]:{w}}" for c, w in zip(result, columns)))
    lines.append("")
    for c in result:
        share = 100.0 * c.covered / len(c.cells) if c.cells else 100.0
        lines.append(
            f"{c.platform}: {c.covered}/{len(c.cells)} keys covered ({share:.0f}%): "
            f"{c.count(KNOWN)} known, {c.count(RESEARCHED_UNKNOWN)} researched-unknown, {c.count(MISSING)} missing"
        )
    unknowns = [(c.platform, key, fact.searched) for c in result for key, status, fact in c.cells if status == RESEARCHED_UNKNOWN and fact]
    if unknowns:
        lines += ["", "* researched-unknown: no public source settles the value; where was searched:"]
        lines += [f"  {platform} {key}: " + "; ".join(searched) for platform, key, searched in unknowns]
    lines.append(f"as of {day.isoformat()}")
    from orchlint.support.terminal import clean

    return "\n".join(clean(line) for line in lines) + "\n"  # platform ids and places from plugins


def render_json(result: Sequence[PlatformCoverage], day: _dt.date) -> dict[str, Any]:
    return {
        "as_of": day.isoformat(),
        "keys": [key for key, _s, _f in result[0].cells] if result else list(vocabulary()),
        "platforms": [c.to_json() for c in result],
        "researched_unknown": [
            {"platform": c.platform, "key": key, "searched": list(fact.searched), "note": fact.note or None}
            for c in result
            for key, status, fact in c.cells
            if status == RESEARCHED_UNKNOWN and fact is not None
        ],
    }
