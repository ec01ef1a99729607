"""ACME's architecture policy as an orchlint plugin.

ACME runs everything in its own data centres, whatever a team's requirements file says, so
every platform must run on premises. Installing this package changes verdicts with no
configuration: orchlint finds it through the ``orchlint`` entry-point group.
"""

# The text above is rule acme.on-premises-only's rationale (and its declarative twin's); what
# follows in this comment is the rest of the plugin. It also adds requirement keys of ACME's
# own under ``requirements.acme`` (a service's ``tier`` and its data's ``data_residency``) and
# two rules that read them, acme.tier-one-vendor and acme.data-residency.

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orchlint.hookspecs import hookimpl
from orchlint.model import Outcome, Source
from orchlint.rulekit import Context, Example, Judgement, Rule, capability, unknown

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


TIERS = Source("ACME architecture policy AP-3: service tiers", "https://intranet.acme.example/ap-3")
RESIDENCY = Source("ACME architecture policy AP-9: data residency", "https://intranet.acme.example/ap-9")

# What a requirements file may write under ``requirements.acme``: orchlint validates it like a
# built-in key (line:col errors, did-you-mean for a misspelt key or value).
SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "ACME's own requirements (plugin orchlint-acme-policy).",
    "properties": {
        "tier": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3,
            "description": "The service's tier under ACME policy AP-3: 1 is business-critical, 3 best-effort.",
        },
        "data_residency": {
            "enum": ["eu", "us", "any"],
            "description": "Where the service's data must stay under ACME policy AP-9; any: no constraint.",
        },
    },
}


@hookimpl
def orchlint_register_requirements(register: Callable[[str, dict[str, Any]], None]) -> None:
    register("acme", SCHEMA)


def check_tier(acme: Any, ctx: Context) -> list[Judgement]:
    if acme.get("tier") != 1:
        return []  # tiers 2 and 3 may run on any support arrangement
    what = "ACME policy AP-3, a tier-1 service needs one accountable vendor"
    fact = ctx.fact("vendor_support")
    if fact is None:
        return [unknown(ctx, "vendor_support", what, ("tier",))]
    if fact.value == "single-vendor":
        return [Judgement(Outcome.MET, f"{what}: one vendor supports {ctx.platform.name}", fact, ("tier",))]
    return [Judgement(Outcome.UNMET, f"{what}: support for {ctx.platform.name} is {fact.value}, not from a single vendor", fact, ("tier",))]


TIER_ONE_VENDOR = Rule(
    id="acme.tier-one-vendor",
    title="ACME policy: a tier-1 service runs on a platform one vendor supports",
    rationale=(
        "ACME policy AP-3: an outage of a tier-1 (business-critical) service needs one vendor who "
        "must fix it, so its platform has single-vendor support. Tiers 2 and 3 are not judged."
    ),
    check=check_tier,
    requirement="acme",  # the plugin's own namespace: the check gets the mapping under requirements.acme
    facts=("vendor_support",),
    sources=(TIERS,),
    examples=(
        Example("pass", {"acme": {"tier": 1}}, {"vendor_support": "single-vendor"}),
        Example("fail", {"acme": {"tier": 1}}, {"vendor_support": "third-party"}),
        Example("pass", {"acme": {"tier": 2}}, {"vendor_support": "none"}),
    ),
)


def check_residency(acme: Any, ctx: Context) -> list[Judgement]:
    region = acme.get("data_residency")
    if region not in ("eu", "us"):
        return []  # absent or "any": no constraint
    return [capability(ctx, "on_premises", f"ACME policy AP-9, {region.upper()} data stays in ACME's {region.upper()} data centres", ("data_residency",))]


DATA_RESIDENCY = Rule(
    id="acme.data-residency",
    title="ACME policy: data bound to a region stays in ACME's data centres there",
    rationale=(
        "ACME policy AP-9: data that must stay in the EU or the US is kept in ACME's own data "
        "centres in that region, never with a provider, so the platform must run on premises. "
        "data_residency: any puts no constraint."
    ),
    check=check_residency,
    requirement="acme",
    facts=("on_premises",),
    sources=(RESIDENCY,),
    examples=(
        Example("pass", {"acme": {"data_residency": "eu"}}, {"on_premises": True}),
        Example("fail", {"acme": {"data_residency": "us"}}, {"on_premises": False}),
        Example("warn", {"acme": {"data_residency": "eu"}}, {"on_premises": "limited"}),
        Example("pass", {"acme": {"data_residency": "any"}}, {"on_premises": False}),
    ),
)


@hookimpl
def orchlint_register_rules(register: Callable[[Rule], None]) -> None:
    register(RULE)
    register(TIER_ONE_VENDOR)
    register(DATA_RESIDENCY)
