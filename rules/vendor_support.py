"""Vendor support.

``vendor_support: required`` means one accountable vendor must provide fixes and patches;
support only through third-party distributions is a warning. ``preferred`` warns only when no
commercial support exists at all. post-2: Kubernetes has no single accountable vendor, while a
single vendor stood behind Mesos + Marathon (DC/OS).
"""

from __future__ import annotations

from typing import Any

from orchlint.knowledge import cite
from orchlint.model import Outcome
from orchlint.rulekit import Context, Example, Judgement, Rule, unknown

OUTCOMES = {
    "required": {"single-vendor": Outcome.MET, "third-party": Outcome.DEGRADED, "none": Outcome.UNMET},
    "preferred": {"single-vendor": Outcome.MET, "third-party": Outcome.MET, "none": Outcome.DEGRADED},
}
DESCRIBE = {
    "single-vendor": "one accountable vendor supports {name}",
    "third-party": "{name} is supported only through third-party distributions, with no single accountable vendor",
    "none": "no vendor offers support for {name}",
}


def check(wanted: Any, ctx: Context) -> list[Judgement]:
    if wanted not in OUTCOMES:
        return []
    fact = ctx.fact("vendor_support")
    if fact is None:
        return [unknown(ctx, "vendor_support", f"vendor support {wanted}")]
    outcome = OUTCOMES[wanted].get(fact.value, Outcome.UNKNOWN)
    described = DESCRIBE.get(fact.value, "unrecognised fact value {value!r}").format(name=ctx.platform.name, value=fact.value)
    note = f" ({fact.note})" if fact.note and outcome is not Outcome.MET else ""
    return [Judgement(outcome, f"vendor support {wanted}: {described}{note}", fact)]


RULE = Rule(
    id="vendor.support",
    title="An accountable vendor supports the platform",
    rationale=__doc__ or "",
    check=check,
    requirement="vendor_support",
    facts=("vendor_support",),
    sources=cite("post-2 §Weaknesses vs strengths", "post-2 §Conclusion"),
    examples=(
        Example("pass", {"vendor_support": "required"}, {"vendor_support": "single-vendor"}),
        Example("fail", {"vendor_support": "required"}, {"vendor_support": "none"}),
        Example("warn", {"vendor_support": "required"}, {"vendor_support": "third-party"}),
        Example("pass", {"vendor_support": "preferred"}, {"vendor_support": "third-party"}),
        Example("warn", {"vendor_support": "preferred"}, {"vendor_support": "none"}),
        Example("pass", {"vendor_support": "none"}, {"vendor_support": "none"}),
    ),
)
