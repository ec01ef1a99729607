"""The engine judges each distinct input once: what makes two files or two days "the same" for a
rule, and what never does. Each test counts how often a rule's check really ran."""

from __future__ import annotations

import datetime as _dt

from orchlint.declarative import conditions
from orchlint.engine.core import Engine
from orchlint.model import Fact, Outcome
from orchlint.rulekit import Judgement, Rule
from orchlint.testing import EXAMPLE_PLATFORM, EXAMPLE_SOURCE, make_registry
from orchlint.support.yamlsource import load

DAY = _dt.date(2026, 1, 1)


def _engine(check, facts=None, requirement="logging"):
    rule = Rule(id="t.count", title="t", rationale="t", check=check, requirement=requirement)
    return Engine(make_registry(rule, facts or {"lifecycle": "active"}))


def _evaluate(engine, requirements, day=DAY):
    text = "orchlint: 1\nname: a\nrequirements:\n" + "".join(f"  {k}: {v}\n" for k, v in requirements.items())
    evaluation = engine.evaluate(load(text, dates_as_strings=True), [EXAMPLE_PLATFORM.id], day)
    assert evaluation.plugin_errors == []
    return [(f.message, f.line) for f in evaluation.results[0].findings]


def test_a_rule_reading_one_other_requirement_is_reused_unless_that_one_differs():
    calls = []

    def check(value, ctx):
        calls.append(value)
        return [Judgement(Outcome.MET, f"{value} with {ctx.requirements.get('nodes')}", ctx.fact("lifecycle"))]

    engine = _engine(check)
    first = _evaluate(engine, {"logging": "built-in", "nodes": 10})
    assert _evaluate(engine, {"logging": "built-in", "nodes": 10, "production": "true"}) == first  # not read
    assert len(calls) == 1
    assert _evaluate(engine, {"logging": "built-in", "nodes": 20}) == [("built-in with 20", 4)]  # read: judged again
    assert _evaluate(engine, {"logging": "built-in"}) == [("built-in with None", 4)]  # absent is not null
    assert _evaluate(engine, {"logging": "built-in", "nodes": "null"}) == [("built-in with None", 4)]
    assert len(calls) == 4


def test_a_rule_iterating_the_requirements_is_never_reused():
    calls = []

    def check(value, ctx):
        calls.append(sorted(ctx.requirements))
        return [Judgement(Outcome.MET, "ok")]

    engine = _engine(check)
    for _ in range(3):
        _evaluate(engine, {"logging": "built-in"})
    assert len(calls) == 3


def test_judgements_are_reused_across_days_with_the_same_facts_unless_the_rule_reads_the_day():
    blind, dated = [], []

    def check_blind(value, ctx):
        blind.append(value)
        return [Judgement(Outcome.MET, f"{value}", ctx.fact("lifecycle"))]

    def check_dated(value, ctx):
        dated.append(value)
        return [Judgement(Outcome.MET, f"{value} on {ctx.as_of.isoformat()}")]

    days = [DAY, DAY + _dt.timedelta(days=30), DAY + _dt.timedelta(days=300)]
    engine = _engine(check_blind)
    assert {tuple(_evaluate(engine, {"logging": "built-in"}, day)) for day in days} == {(("built-in", 4),)}
    assert blind == ["built-in"]  # one epoch: the facts are the same on every one of these days
    engine = _engine(check_dated)
    messages = [_evaluate(engine, {"logging": "built-in"}, day)[0][0] for day in days + days]
    assert messages == [f"built-in on {day.isoformat()}" for day in days + days]
    assert len(dated) == 3  # judged once per day, then reused for that day


def test_a_fact_that_starts_or_ends_between_two_days_makes_them_different():
    calls = []

    def check(value, ctx):
        calls.append(value)
        fact = ctx.fact("lifecycle")
        return [Judgement(Outcome.MET, f"{value}: {fact.value if fact else 'no fact'}", fact)]

    rule = Rule(id="t.count", title="t", rationale="t", check=check, requirement="logging")
    registry = make_registry(rule, {})
    for value, start, end in (("active", None, DAY), ("maintenance", DAY, None)):
        registry.knowledge.add(Fact(EXAMPLE_PLATFORM.id, "lifecycle", value, (EXAMPLE_SOURCE,), DAY, start, end))
    engine = Engine(registry)
    before = _evaluate(engine, {"logging": "x"}, DAY - _dt.timedelta(days=1))
    after = _evaluate(engine, {"logging": "x"}, DAY)
    assert (before, after) == ([("x: active", 4)], [("x: maintenance", 4)])
    assert len(calls) == 2


def test_a_condition_on_named_requirements_reads_only_those():
    requirements = {"vendor_support": "required", "nodes": 3}
    named = {"properties": {"vendor_support": {"const": "required"}}, "required": ["region"]}
    assert conditions.projection(named, requirements) == {"vendor_support": "required"}
    for open_ended in ({"additionalProperties": False}, {"minProperties": 2}, {"anyOf": [named]}, True):
        assert conditions.projection(open_ended, requirements) is requirements
    # Validating the projection agrees with validating everything, for what the schema names.
    assert conditions.matches(named, conditions.projection(named, requirements)) is conditions.matches(named, requirements)


def test_a_change_in_a_fact_the_rule_never_reads_does_not_make_another_day_different():
    calls = []

    def check(value, ctx):
        fact = ctx.lookup("licence")  # read straight through the context's lookup, not ctx.fact
        calls.append(fact.value)
        return [Judgement(Outcome.MET, f"{value}: {fact.value}", fact)]

    rule = Rule(id="t.count", title="t", rationale="t", check=check, requirement="logging")
    later = DAY + _dt.timedelta(days=200)

    def engine(licences):
        registry = make_registry(rule, {})
        for key, value, start, end in (("lifecycle", "active", None, later), ("lifecycle", "maintenance", later, None), *licences):
            assert registry.knowledge.add(Fact(EXAMPLE_PLATFORM.id, key, value, (EXAMPLE_SOURCE,), DAY, start, end)) is None
        return Engine(registry)

    # Only "lifecycle" changes (on ``later``): the fact the rule reads is the same on all four days.
    days = [DAY, later, later + _dt.timedelta(days=1), DAY - _dt.timedelta(days=1)]
    apache = engine([("licence", "Apache-2.0", None, None)])
    assert {tuple(_evaluate(apache, {"logging": "x"}, day)) for day in days} == {(("x: Apache-2.0", 4),)}
    assert calls == ["Apache-2.0"]
    # Once the key it reads changes, the days on either side are judged apart.
    switch = later + _dt.timedelta(days=30)
    changed = engine([("licence", "Apache-2.0", None, switch), ("licence", "BSL-1.1", switch, None)])
    assert _evaluate(changed, {"logging": "x"}, DAY) == [("x: Apache-2.0", 4)]
    assert _evaluate(changed, {"logging": "x"}, switch) == [("x: BSL-1.1", 4)]
    assert _evaluate(changed, {"logging": "x"}, later) == [("x: Apache-2.0", 4)]
    assert calls == ["Apache-2.0", "Apache-2.0", "BSL-1.1"]


def test_a_whole_row_of_platforms_is_reused_only_when_every_platform_would_be():
    from orchlint.model import Platform

    calls = []

    def check(value, ctx):
        calls.append(ctx.platform.id)
        if ctx.platform.id == "other":  # only here does the rule look at another requirement
            return [Judgement(Outcome.MET, f"{value} on {ctx.requirements.get('nodes')} nodes")]
        return [Judgement(Outcome.MET, f"{value}", ctx.fact("lifecycle"))]

    rule = Rule(id="t.count", title="t", rationale="t", check=check, requirement="logging")
    registry = make_registry(rule, {"lifecycle": "active"})
    registry.platforms["other"] = Platform("other", "Other")
    engine = Engine(registry)

    def judged(nodes):
        text = f"orchlint: 1\nname: a\nrequirements:\n  logging: x\n  nodes: {nodes}\n"
        evaluation = engine.evaluate(load(text, dates_as_strings=True), [EXAMPLE_PLATFORM.id, "other"], DAY)
        return {r.platform.id: [f.message for f in r.findings] for r in evaluation.results}

    assert judged(1) == {EXAMPLE_PLATFORM.id: ["x"], "other": ["x on 1 nodes"]}
    assert calls == [EXAMPLE_PLATFORM.id, "other"]
    assert judged(2) == {EXAMPLE_PLATFORM.id: ["x"], "other": ["x on 2 nodes"]}
    assert calls == [EXAMPLE_PLATFORM.id, "other", "other"]  # the first platform never read nodes
    assert judged(1) == {EXAMPLE_PLATFORM.id: ["x"], "other": ["x on 1 nodes"]}
    assert judged(2) == {EXAMPLE_PLATFORM.id: ["x"], "other": ["x on 2 nodes"]}
    assert len(calls) == 3  # both files' rows are kept whole
