"""A runnable example of every orchlint hook: a platform, its facts, requirement keys, a rule and
an output format.

    orchlint check examples/logzio.yaml --plugin docs/examples/tier1_policy.py --format tier1-summary

ACME runs its own Kubernetes distribution, "ACME Kubernetes", and its policy says a production
service needs a single accountable vendor behind its platform, unless the team files it as a
lower tier (``requirements: {acme: {tier: 2}}``; tier 1 when unsaid).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from orchlint.formatters import Formatter
from orchlint.hookspecs import hookimpl
from orchlint.model import Fact, Outcome, Platform, Source
from orchlint.rulekit import Context, Example, Judgement, Rule, unknown

__version__ = "1.0.0"
POLICY = Source("ACME policy AP-12: production services need an accountable vendor", "https://intranet.acme.example/ap-12")
PLATFORM = Platform("acme-k8s", "ACME Kubernetes", "ACME's in-house Kubernetes distribution")


@hookimpl
def orchlint_register_platforms(register: Callable[[Platform], None]) -> None:
    register(PLATFORM)


@hookimpl
def orchlint_register_facts(register: Callable[[Fact], None]) -> None:
    day = _dt.date(2026, 1, 1)
    register(Fact("acme-k8s", "max_nodes", 1000, (POLICY,), verified=day, valid_from=day, note="ACME's sizing limit"))
    register(Fact("acme-k8s", "vendor_support", "single-vendor", (POLICY,), verified=day, valid_from=day, note="ACME's platform team"))


@hookimpl
def orchlint_register_requirements(register: Callable[[str, dict[str, Any]], None]) -> None:
    # Validated like a built-in key: `tier: 4` or `teir: 1` is an error at its line and column.
    register("acme", {"type": "object", "properties": {"tier": {"type": "integer", "minimum": 1, "maximum": 3}}})


def check(production: Any, ctx: Context) -> list[Judgement]:
    if production is not True or ctx.requirements.get("acme", {}).get("tier", 1) != 1:
        return []
    fact = ctx.fact("vendor_support")
    if fact is None:
        return [unknown(ctx, "vendor_support", "an accountable vendor for a production service")]
    if fact.value == "single-vendor":
        return [Judgement(Outcome.MET, f"production service: one accountable vendor supports {ctx.platform.name}", fact)]
    return [Judgement(Outcome.UNMET, f"production service: no single accountable vendor supports {ctx.platform.name}", fact)]


RULE = Rule(
    id="acme.production-vendor",
    title="ACME policy: a production service has an accountable vendor",
    rationale="ACME policy AP-12: a production outage needs one vendor who must fix it.",
    check=check,
    requirement="production",
    facts=("vendor_support",),
    sources=(POLICY,),
    examples=(
        Example("pass", {"production": True}, {"vendor_support": "single-vendor"}),
        Example("fail", {"production": True}, {"vendor_support": "third-party"}),
        Example("pass", {"production": False}, {"vendor_support": "none"}),
        Example("pass", {"production": True, "acme": {"tier": 2}}, {"vendor_support": "third-party"}),
    ),
)


@hookimpl
def orchlint_register_rules(register: Callable[[Rule], None]) -> None:
    register(RULE)


class Tier1Summary(Formatter):
    """One line per file: which platforms are viable."""

    name = "tier1-summary"
    description = "one line per file: the viable platforms"

    def write(self, report: Any) -> None:
        if report.errors:
            self.stream.write(f"{report.path}: not evaluated ({len(report.errors)} errors)\n")
            return
        from orchlint.lint import FAIL_ON

        viable = report.viable(FAIL_ON[self.run.fail_on])
        self.stream.write(f"{report.path}: {', '.join(viable) or 'no viable platform'}\n")


@hookimpl
def orchlint_register_formatters(register: Callable[[type[Formatter]], None]) -> None:
    register(Tier1Summary)
