"""Networking mode.

``networking.mode`` is the container networking the workload is designed for: ``flat`` (every
container reaches every other by its own IP), ``host`` (containers use host ports, so ports can
conflict) or ``bridge`` (container ports mapped to host ports). The posts said Marathon offers
only host and bridge; Marathon 1.5 and later also give containers their own IP through CNI.
"""

from __future__ import annotations

from typing import Any

from orchlint.knowledge import cite
from orchlint.rulekit import Context, Example, Judgement, Rule, capability


def check(value: Any, ctx: Context) -> list[Judgement]:
    mode = value.get("mode")
    if mode is None:
        return []
    return [capability(ctx, f"network.{mode}", f"{mode} networking", ("mode",))]


RULE = Rule(
    id="networking.mode",
    title="The platform offers the networking mode needed",
    rationale=__doc__ or "",
    check=check,
    requirement="networking",
    facts=("network.",),
    sources=cite("post-2 §Networking"),
    examples=(
        Example("pass", {"networking": {"mode": "flat"}}, {"network.flat": True}),
        Example("fail", {"networking": {"mode": "flat"}}, {"network.flat": False}),
        Example("warn", {"networking": {"mode": "host"}}, {}),
    ),
)
