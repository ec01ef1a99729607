"""Nodes per cluster.

``requirements.nodes`` is the peak number of nodes the team expects in one cluster. A platform
whose documented per-cluster limit is lower fails, unless ``multi_cluster: true`` lets the
workload be split over several clusters, which is a warning: the team takes on running and
federating them. post-2 gives 5,000 nodes per cluster for Kubernetes and 10,000 for Mesos.
"""

from __future__ import annotations

from typing import Any

from orchlint.knowledge import cite
from orchlint.model import Outcome
from orchlint.rulekit import Context, Example, Judgement, Rule, unknown


def check(nodes: Any, ctx: Context) -> list[Judgement]:
    fact = ctx.fact("max_nodes")
    if fact is None:
        return [unknown(ctx, "max_nodes", f"{nodes:,} nodes per cluster")]
    limit = fact.value
    if nodes <= limit:
        return [Judgement(Outcome.MET, f"{nodes:,} nodes fit {ctx.platform.name}'s limit of {limit:,} nodes per cluster", fact)]
    if ctx.requirements.get("multi_cluster") is True:
        clusters = -(-nodes // limit)
        return [
            Judgement(
                Outcome.DEGRADED,
                f"{nodes:,} nodes exceed {ctx.platform.name}'s limit of {limit:,} nodes per cluster: "
                f"needs at least {clusters} clusters (multi_cluster allows it)",
                fact,
            )
        ]
    return [
        Judgement(
            Outcome.UNMET,
            f"{nodes:,} nodes exceed {ctx.platform.name}'s limit of {limit:,} nodes per cluster "
            "and multi_cluster is not allowed",
            fact,
        )
    ]


RULE = Rule(
    id="scale.node-limit",
    title="Peak nodes fit in one cluster",
    rationale=__doc__ or "",
    check=check,
    requirement="nodes",
    facts=("max_nodes",),
    sources=cite("post-2 §Performance and scalability"),
    examples=(
        Example("pass", {"nodes": 4000}, {"max_nodes": 5000}),
        Example("fail", {"nodes": 8000}, {"max_nodes": 5000}),
        Example("warn", {"nodes": 8000, "multi_cluster": True}, {"max_nodes": 5000}),
        Example("unknown", {"nodes": 8000}, {}),
    ),
)
