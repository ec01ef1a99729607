"""OSI-approved licence.

``osi_approved_license: true`` requires the platform's current release to be under an
OSI-approved open-source licence. Licences change: Nomad releases after 2023-08-10 are under
the Business Source License 1.1, which is not OSI-approved.
"""

from __future__ import annotations

from typing import Any

from orchlint.knowledge import cite
from orchlint.model import Outcome
from orchlint.rulekit import Context, Example, Judgement, Rule, unknown


def check(wanted: Any, ctx: Context) -> list[Judgement]:
    if wanted is not True:
        return []
    fact = ctx.fact("license")
    if fact is None:
        return [unknown(ctx, "license", "an OSI-approved licence")]
    spdx = fact.value.get("spdx", "unknown")
    if fact.value.get("osi_approved") is True:
        return [Judgement(Outcome.MET, f"{ctx.platform.name} is licensed {spdx}, OSI-approved", fact)]
    detail = f" ({fact.note})" if fact.note else ""
    return [Judgement(Outcome.UNMET, f"{ctx.platform.name} is licensed {spdx}, which is not OSI-approved{detail}", fact)]


RULE = Rule(
    id="licence.osi-approved",
    title="The platform is under an OSI-approved licence",
    rationale=__doc__ or "",
    check=check,
    requirement="osi_approved_license",
    facts=("license",),
    sources=cite("https://opensource.org/licenses"),
    examples=(
        Example("pass", {"osi_approved_license": True}, {"license": {"spdx": "Apache-2.0", "osi_approved": True}}),
        Example("fail", {"osi_approved_license": True}, {"license": {"spdx": "BUSL-1.1", "osi_approved": False}}),
        Example("warn", {"osi_approved_license": True}, {}),
    ),
)
