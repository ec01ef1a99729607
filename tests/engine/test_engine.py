from __future__ import annotations

import dataclasses
import datetime as _dt

import pytest

from orchlint.support import yamlsource
from orchlint.engine.core import SEVERITY, Engine
from orchlint.model import Outcome, Severity
from orchlint.rulekit import Judgement, Rule
from orchlint.rules import builtin_rule
from orchlint.testing import EXAMPLE_PLATFORM, make_registry, run_rule

from ..conftest import EXAMPLES

DOC = "orchlint: 1\nname: x\nrequirements:\n  nodes: 9000\n  production: true\npriorities:\n  nodes: {prio}\n"


@pytest.mark.parametrize(
    ("priority", "expected"), [("must", "fail"), ("should", "warn"), ("could", "pass")]
)
def test_priority_sets_the_severity_of_an_unmet_requirement(priority, expected):
    findings = run_rule(builtin_rule("scale.node-limit"), DOC.format(prio=priority), {"max_nodes": 5000})
    assert [f.severity.label for f in findings] == [expected]
    assert findings[0].priority == priority


def test_severity_table_is_total_and_monotonic():
    order = [Outcome.MET, Outcome.DEGRADED, Outcome.UNMET]
    for priority in ("must", "should", "could"):
        severities = [SEVERITY[(priority, o)] for o in order]
        assert severities == sorted(severities)
        # An unknown is its own severity at every priority: never a pass, never a warning.
        assert SEVERITY[(priority, Outcome.UNKNOWN)] is Severity.UNKNOWN
    assert Severity.UNKNOWN < Severity.PASS  # so it never sets a verdict


def _doc():
    return yamlsource.load(DOC.format(prio="must"), dates_as_strings=True)


def test_a_rule_that_raises_is_reported_and_others_still_run():
    def boom(value, ctx):
        raise RuntimeError("kaput")

    bad = dataclasses.replace(builtin_rule("scale.node-limit"), id="zz.broken", check=boom, plugin="bad-plugin")
    registry = make_registry(builtin_rule("maturity.production-ready"), {"production_ready": False})
    registry.rules[bad.id] = bad
    evaluation = Engine(registry).evaluate(_doc(), [EXAMPLE_PLATFORM.id], _dt.date(2026, 1, 1))
    assert [f.rule for f in evaluation.results[0].findings] == ["maturity.production-ready"]
    assert evaluation.plugin_errors[0].plugin == "bad-plugin"
    assert "zz.broken raised RuntimeError('kaput')" in evaluation.plugin_errors[0].message


def test_a_rule_returning_the_wrong_type_is_a_plugin_error():
    bad = Rule("zz.wrong", "t", "r", check=lambda v, c: ["not a judgement"], requirement="nodes", plugin="p")
    registry = make_registry(bad, {})
    evaluation = Engine(registry).evaluate(_doc(), [EXAMPLE_PLATFORM.id], _dt.date(2026, 1, 1))
    assert evaluation.results[0].findings == ()
    assert "returned str where a Judgement was expected" in evaluation.plugin_errors[0].message


def test_rules_cannot_mutate_the_requirements():
    seen = []

    def mutate(value, ctx):
        try:
            ctx.requirements["nodes"] = 1
        except TypeError:
            seen.append("refused")
        return [Judgement(Outcome.MET, "ok")]

    rule = Rule("zz.mutate", "t", "r", check=mutate, requirement="nodes", plugin="p")
    doc = _doc()
    Engine(make_registry(rule, {})).evaluate(doc, [EXAMPLE_PLATFORM.id], _dt.date(2026, 1, 1))
    assert seen == ["refused"]
    assert doc.data["requirements"]["nodes"] == 9000


def test_findings_sort_deterministically(registry):
    doc = yamlsource.load((EXAMPLES / "checkout-platform.yaml").read_text("utf-8"), dates_as_strings=True)
    engine = Engine(registry)
    first = engine.evaluate(doc, sorted(registry.platforms), _dt.date(2026, 11, 23))
    again = Engine(registry, rules=reversed(list(registry.rules.values()))).evaluate(
        doc, sorted(registry.platforms), _dt.date(2026, 11, 23)
    )
    assert [r.findings for r in first.results] == [r.findings for r in again.results]
    for result in first.results:
        keys = [(f.line, f.column, f.rule) for f in result.findings]
        assert keys == sorted(keys)


def test_reused_judgements_never_cross_files_that_differ_where_a_rule_looks(registry):
    # scale.node-limit reads multi_cluster beside nodes, and vendor.support compares the whole
    # requirements: the engine must see that and judge each file afresh.
    from orchlint.engine.core import Engine
    from orchlint.support.yamlsource import load

    engine = Engine(registry)

    def verdicts(text):
        doc = load(text, dates_as_strings=True)
        evaluation = engine.evaluate(doc, ["kubernetes"], _dt.date(2026, 11, 23))
        return {(f.rule, f.severity.label, f.message) for f in evaluation.results[0].findings}

    split = "orchlint: 1\nname: a\nrequirements:\n  nodes: 9000\n  multi_cluster: true\n  vendor_support: required\n"
    single = "orchlint: 1\nname: b\nrequirements:\n  nodes: 9000\n  multi_cluster: false\n  vendor_support: preferred\n"
    first, second, again = verdicts(split), verdicts(single), verdicts(split)
    fresh = Engine(registry)
    assert first == again
    assert {r for r, *_ in first} == {r for r, *_ in second}
    assert first != second
    assert second == {(f.rule, f.severity.label, f.message) for f in fresh.evaluate(load(single, dates_as_strings=True), ["kubernetes"], _dt.date(2026, 11, 23)).results[0].findings}


def test_reused_judgements_tell_1_from_1_0(registry):
    from orchlint.engine.core import Engine
    from orchlint.support.yamlsource import load

    engine = Engine(registry)
    messages = []
    for nodes in ("4000", "4000.0", "4000"):
        doc = load(f"orchlint: 1\nname: a\nrequirements:\n  nodes: {nodes}\n", dates_as_strings=True)
        findings = engine.evaluate(doc, ["kubernetes"], _dt.date(2026, 11, 23)).results[0].findings
        messages.append([f.message for f in findings if f.rule == "scale.node-limit"])
    assert messages[0] == messages[2] != messages[1]


def test_reused_judgements_cite_the_real_fact_and_faults_are_never_reused():
    from orchlint.engine.core import Engine
    from orchlint.rulekit import Context
    from orchlint.support.yamlsource import load

    calls = []

    def check(value, ctx: Context):
        calls.append(value)
        fact = ctx.fact("lifecycle")
        if value == "boom":
            raise RuntimeError("boom")
        return [Judgement(Outcome.MET, f"ok {value}", fact)]

    rule = Rule(id="t.reuse", title="t", rationale="t", check=check, requirement="logging")
    registry = make_registry(rule, {"lifecycle": {"status": "active"}})
    engine = Engine(registry)
    day = _dt.date(2026, 1, 1)

    def run(value):
        doc = load(f"orchlint: 1\nname: a\nrequirements:\n  logging: {value}\n", dates_as_strings=True)
        return engine.evaluate(doc, [EXAMPLE_PLATFORM.id], day)

    first, second = run("built-in"), run("built-in")
    assert calls == ["built-in"]  # judged once, reused for the second file
    fact = registry.knowledge.at(EXAMPLE_PLATFORM.id, "lifecycle", day)
    assert first.results[0].findings[0].fact is fact and second.results[0].findings[0].fact is fact
    assert [e.message for e in run("boom").plugin_errors] == [e.message for e in run("boom").plugin_errors] != []
    assert calls.count("boom") == 2  # a fault is reported for every file, never reused


def test_findings_stay_frozen_ordered_and_replaceable():
    from orchlint.model import Finding

    a = Finding("k", 2, 1, "a.b", "requirements.x", Severity.WARN, "m", Outcome.DEGRADED)
    b = dataclasses.replace(a, line=1, priority="should")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.line = 3  # type: ignore[misc]
    assert (b < a, b.priority, b.waiver, a.sources) == (True, "should", None, ())
    assert a == Finding("k", 2, 1, "a.b", "requirements.x", Severity.WARN, "m", Outcome.MET) and hash(a) == hash(dataclasses.replace(a))


def test_findings_hand_written_init_takes_every_field_with_its_default():
    """Finding fills its fields by hand (for speed): its signature must stay the dataclass's."""
    import dataclasses
    import inspect

    from orchlint.model import Finding

    parameters = list(inspect.signature(Finding).parameters.values())
    fields = dataclasses.fields(Finding)
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert [p.default for p in parameters] == [inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields]
    made = Finding(*[f"v{i}" for i in range(len(fields))])
    assert [getattr(made, f.name) for f in fields] == [f"v{i}" for i in range(len(fields))]
