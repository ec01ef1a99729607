"""Plain-text descriptions of rules and platforms for ``orchlint explain`` and ``platforms``.

What they show comes from plugins: every line is cleaned (``_text``), so that no name, note or
source reaches the terminal as an escape sequence or a bidi override, nor forges a line.
"""

from __future__ import annotations

import datetime as _dt
import json
import textwrap
from collections.abc import Sequence

from orchlint.plugins.registry import Registry
from orchlint.rulekit import Rule
from orchlint.support.terminal import clean


def _text(lines: list[str]) -> str:
    return "\n".join(clean(line) for line in lines)


def explain_rule(rule: Rule, registry: Registry) -> str:
    lines = [f"{rule.id}: {rule.title}", f"plugin: {rule.plugin}" + (f" ({rule.origin.rsplit(':', 2)[0]})" if rule.origin else "")]
    lines.append(f"requirement: {rule.requirement_path or ('(always evaluated)' if rule.applies_to({}) else '(none: not judged from the requirements, see below)')}")
    if rule.facts:
        lines.append(f"reads facts: {', '.join(rule.facts)}")
    lines += ["", *textwrap.dedent(rule.rationale).strip().split("\n"), ""]
    lines.append(
        "severity: must -> unmet fails, degraded warns; should -> unmet warns; could -> never above pass; "
        "no fact -> unknown at every priority (gated by --fail-on-unknown)"
    )
    if rule.severity:
        own = ", ".join(f"{priority} -> unmet {level.label}s" for priority, level in sorted(rule.severity.items()))
        lines.append(f"  except, by this rule: {own}")
    if rule.sources:
        lines.append("sources:")
        lines += [f"  - {s.cite()}" for s in rule.sources]
    if rule.examples:
        lines.append("examples:")
        for example in rule.examples:
            lines.append(
                f"  {example.expect.upper():4}  requirements: {json.dumps(example.requirements)}"
                f"  facts: {json.dumps(example.facts, default=str)}"
            )
    return _text(lines)


def rule_facts(rule: Rule, registry: Registry, platform_id: str, day: _dt.date) -> str:
    """The facts a rule reads for one platform on a day, each with its window, note and sources:
    what the one-line findings leave out."""
    platform = registry.platforms[platform_id]
    lines = [f"facts it reads for {platform.id} ({platform.name}) on {day.isoformat()}:"]
    keys = sorted(
        {f.key for f in registry.knowledge.all() if f.platform == platform_id and any(_reads(read, f.key) for read in rule.facts)}
    )
    if not rule.facts:
        return _text(lines + ["  (the rule declares no fact it reads)"])
    shown = 0
    for key in keys:
        fact = registry.knowledge.at(platform_id, key, day)
        if fact is None:
            lines.append(f"  {key}: no fact on this day (unknown)")
            continue
        shown += 1
        value = "unknown (researched)" if fact.searched else json.dumps(fact.value, default=str)
        lines.append(f"  {key} = {value}  [{fact.window_basis()}; verified {fact.verified.isoformat()}]")
        if fact.searched:
            lines += [f"      searched: {place}" for place in fact.searched]
        if fact.note:
            lines.append(f"      note: {fact.note}")
        if fact.posts_said:
            lines.append(f"      the posts said: {fact.posts_said}")
        lines += [f"      source: {s.cite()}" for s in fact.sources]
    if not keys:
        lines.append(f"  no fact {', '.join(rule.facts)} at all: every finding is unknown")
    return _text(lines)


def _reads(read: str, key: str) -> bool:
    """A rule's declared fact, ``max_nodes`` or a prefix ending in a dot (``storage.``)."""
    return key == read or (read.endswith(".") and key.startswith(read))


def describe_platforms(
    registry: Registry,
    *,
    as_of: _dt.date | None,
    stale_years: float | None,
    today: _dt.date,
    only: Sequence[str] = (),
) -> str:
    out: list[str] = []
    cutoff = today - _dt.timedelta(days=round(stale_years * 365.25)) if stale_years is not None else None
    facts = registry.knowledge.all()
    for platform_id in sorted(registry.platforms):
        if only and platform_id not in only:
            continue
        platform = registry.platforms[platform_id]
        chosen = [
            f
            for f in facts
            if f.platform == platform_id
            and (as_of is None or f.holds_on(as_of))
            and (cutoff is None or f.verified < cutoff)
        ]
        if cutoff is not None and not chosen:
            continue
        out.append(f"{platform.id}: {platform.name}  (plugin {platform.plugin})")
        if platform.summary:
            out.append(f"  {platform.summary}")
        if platform.based_on:
            own = sorted({f.key for f in facts if f.platform == platform_id and not f.inherited_from})
            inherited = sorted({f.key for f in facts if f.platform == platform_id and f.inherited_from} - set(own))
            out.append(f"  based on {platform.based_on}: states {len(own)} key(s) itself, inherits {len(inherited)}")
            out.append(f"    its own: {', '.join(own)}")
        for fact in chosen:
            value = json.dumps(fact.value, default=str)
            out.append(f"  {fact.key} = {value}  [{fact.window_basis()}; verified {fact.verified.isoformat()}]")
            if fact.note:
                out.append(f"      note: {fact.note}")
            if fact.posts_said:
                out.append(f"      the posts said: {fact.posts_said}")
            out += [f"      source: {s.cite()}" for s in fact.sources]
        out.append("")
    if cutoff is not None and not out:
        out.append(f"no fact is older than {stale_years:g} years (verified before {cutoff.isoformat()})")
    return _text(out) + "\n"
