"""ACME's architecture policy as an orchlint plugin.

ACME runs everything in its own data centres, whatever a team's requirements file says, so
every platform must run on premises. Installing this package changes verdicts with no
configuration: orchlint finds it through the ``orchlint`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orchlint.hookspecs import hookimpl
from orchlint.model import Source
from orchlint.rulekit import Context, Example, Judgement, Rule, capability

POLICY = Source("ACME architecture policy AP-7: workloads run in ACME data centres", "https://intranet.acme.example/ap-7")


def check(_value: Any, ctx: Context) -> list[Judgement]:
    return [capability(ctx, "on_premises", "ACME policy AP-7, on-premises only")]


RULE = Rule(
    id="acme.on-premises-only",
    title="ACME policy: the platform runs in ACME's own data centres",
    rationale=__doc__ or "",
    check=check,
    requirement=None,  # company policy applies to every file
    facts=("on_premises",),
    sources=(POLICY,),
    examples=(
        Example("pass", {}, {"on_premises": True}),
        Example("fail", {}, {"on_premises": False}),
        Example("warn", {}, {"on_premises": "limited"}),
    ),
)


@hookimpl
def orchlint_register_rules(register: Callable[[Rule], None]) -> None:
    register(RULE)
