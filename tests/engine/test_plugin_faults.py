"""A faulty rule plugin is named, the run exits 3, and no other rule's findings change."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from ..conftest import EXAMPLES

EXAMPLE = str(EXAMPLES / "checkout-platform.yaml")

PLUGIN = '''
import sys, time
from orchlint.hookspecs import hookimpl
from orchlint.model import Fact, Finding, Outcome, Severity, Source
from orchlint.rulekit import Judgement, Rule

def check(value, ctx):
{body}

@hookimpl
def orchlint_register_rules(register):
    register(Rule("zz.faulty", "a faulty rule", "for a test", check=check, requirement={requirement!r}))
'''

# Each body is the whole of a faulty check; the fragment is what the plugin error must say.
FAULTS = {
    "raises": ("raise RuntimeError('kaput')", "raised RuntimeError('kaput')"),
    "hangs": ("while True:\n    pass", "exceeded the 2 s time limit"),
    "returns-none": ("return None", "not a list of Judgements"),
    "returns-strings": ("return ['met']", "returned str where a Judgement was expected"),
    "returns-a-finding": (
        "return [Finding('atlantis', 1, 1, 'zz.faulty', '', Severity.FAIL, 'x', Outcome.UNMET)]",
        "returned Finding where a Judgement was expected",
    ),
    "bad-outcome": ("return [Judgement('met', 'text')]", "outcome is str, not an Outcome"),
    "bad-message": ("return [Judgement(Outcome.MET, 42)]", "message is int, not str"),
    "bad-path": ("return [Judgement(Outcome.MET, 'x', None, ['types'])]", "path is not a tuple"),
    "unknown-platform": (
        "return [Judgement(Outcome.MET, 'x', Fact('atlantis', 'k', True, (Source('s'),), ctx.as_of))]",
        "cited a fact about platform 'atlantis'",
    ),
    "mutates-requirements": ("ctx.requirements['nodes'] = 1\nreturn []", "tried to change the requirements"),
    "mutates-a-list": ("value.append('batch')\nreturn []", "tried to change the requirements"),
    "mutates-a-fact": (
        "fact = ctx.fact('lifecycle')\nif fact is not None:\n    fact.value['status'] = 'maintained'\nreturn []",
        "tried to change the requirements or facts",
    ),
    "exits": ("sys.exit(0)", "raised SystemExit(0)"),
    "endless": ("while True:\n    yield Judgement(Outcome.MET, 'again')", "returned more than 1,000 judgements"),
    # A rule may cite a Fact it made: it is checked as a registered one is, and the rule named.
    "cites-a-malformed-fact": (
        "return [Judgement(Outcome.MET, 'x', Fact(ctx.platform.id, 'k', True, (Source('s', date='<b>'),), ctx.as_of))]",
        "cited a malformed fact: fact ",
    ),
}


def _plugin(tmp_path, name: str, body: str, requirement: str | None = "workloads") -> str:
    path = tmp_path / f"faulty_{name.replace('-', '_')}.py"
    path.write_text(PLUGIN.format(body=textwrap.indent(body, "    "), requirement=requirement), "utf-8")
    return str(path)


def _json(result) -> dict:
    return json.loads(result.output)


def _other_findings(doc: dict) -> list:
    return [
        (f["path"], p["id"], finding)
        for f in doc["files"]
        for p in f["platforms"]
        for finding in p["findings"]
        if finding["rule"] != "zz.faulty"
    ]


@pytest.fixture
def baseline(cli):
    result = cli("check", EXAMPLE, "--format", "json", "-v")
    assert result.exit_code in (0, 1)
    return _other_findings(json.loads(result.output))


# The time limit is generous so that a loaded CI machine never stops a well-behaved built-in rule.
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_faulty_rule_is_named_exits_3_and_changes_nothing_else(cli, tmp_path, monkeypatch, baseline, fault):
    monkeypatch.setenv("ORCHLINT_RULE_TIMEOUT", "2")
    body, fragment = FAULTS[fault]
    result = cli("check", EXAMPLE, "--format", "json", "-v", "--plugin", _plugin(tmp_path, fault, body))
    assert result.exit_code == 3
    doc = _json(result)
    errors = doc["plugin_errors"]
    assert errors and all(e["plugin"].endswith(f"faulty_{fault.replace('-', '_')}.py") for e in errors)
    assert all("rule zz.faulty" in e["message"] for e in errors)
    assert any(fragment in e["message"] for e in errors), errors
    assert _other_findings(doc) == baseline
    assert "Traceback" not in result.output


def test_a_hung_rule_is_reported_once_and_skipped_after(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHLINT_RULE_TIMEOUT", "2")
    plugin = _plugin(tmp_path, "hangs-once", "while True:\n    pass", requirement=None)
    other = str(EXAMPLES / "logzio.yaml")
    result = cli("check", EXAMPLE, other, "--format", "json", "--plugin", plugin)
    assert result.exit_code == 3
    errors = _json(result)["plugin_errors"]
    assert len(errors) == 1, "six platforms and two files, but the rule hung only once"
    assert "skipped for the rest of the run" in errors[0]["message"]


def test_a_rule_stuck_in_c_code_does_not_keep_the_process_alive(tmp_path):
    # time.sleep cannot be interrupted from another thread: the abandoned daemon thread must
    # not stop the interpreter from exiting.
    plugin = _plugin(tmp_path, "sleeps", "time.sleep(3600)\nreturn []")
    env = {"ORCHLINT_RULE_TIMEOUT": "2", "ORCHLINT_TODAY": "2026-11-23", "ORCHLINT_DISABLE_PLUGIN_AUTOLOAD": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "orchlint", "check", EXAMPLE, "--plugin", plugin],
        capture_output=True,
        text=True,
        env={**_base_env(), **env},
        timeout=120,  # a safety net for a broken build, not an assertion about speed
    )
    assert done.returncode == 3
    assert "exceeded the 2 s time limit" in done.stdout
    assert "Traceback" not in done.stderr


def test_the_time_limit_can_be_switched_off_and_a_bad_value_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHLINT_RULE_TIMEOUT", "0")
    assert cli("check", EXAMPLE).exit_code in (0, 1)
    for bad in ("soon", "-1", "nan", "inf"):
        monkeypatch.setenv("ORCHLINT_RULE_TIMEOUT", bad)
        result = cli("check", EXAMPLE)
        assert result.exit_code == 2
        assert "ORCHLINT_RULE_TIMEOUT: expected a number of seconds" in result.output
    # 1e10 once overflowed the clock, a traceback reported as exit 1 (issue 17, item 8).
    monkeypatch.setenv("ORCHLINT_RULE_TIMEOUT", "1e10")
    result = cli("check", EXAMPLE, "--plugin", _plugin(tmp_path, "slow", "return []"))
    assert result.exit_code == 2 and "at most 86,400 seconds" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("timeout", [None, 5.0])
def test_faults_are_caught_inline_and_on_the_worker(timeout):
    import datetime as _dt

    from orchlint.support import yamlsource
    from orchlint.engine.core import Engine
    from orchlint.rulekit import Rule
    from orchlint.testing import EXAMPLE_PLATFORM, make_registry

    def boom(value, ctx):
        raise SystemExit(4)

    registry = make_registry(Rule("zz.exit", "t", "r", check=boom, plugin="p"), {})
    doc = yamlsource.load("orchlint: 1\nname: x\n")
    evaluation = Engine(registry, rule_timeout=timeout).evaluate(doc, [EXAMPLE_PLATFORM.id], _dt.date(2026, 1, 1))
    assert [e.message for e in evaluation.plugin_errors] == ["rule zz.exit raised SystemExit(4) on platform example"]



def test_rules_of_plugins_shipped_with_orchlint_run_inline_others_under_the_time_limit():
    """Built-in rules are orchlint's own code and run on the calling thread; every other
    plugin's rules run on the worker that enforces the time limit, even mixed in one batch."""
    import datetime as _dt
    import threading
    import types

    from orchlint.support import yamlsource
    from orchlint.engine.core import Engine
    from orchlint.hookspecs import hookimpl
    from orchlint.plugins.manager import PluginManager
    from orchlint.plugins.registry import build_registry
    from orchlint.rulekit import Rule
    from orchlint.testing import EXAMPLE_PLATFORM

    threads: dict[str, str] = {}

    def plugin(rule_id: str) -> types.ModuleType:
        def check(value, ctx):
            threads[rule_id] = threading.current_thread().name
            return []

        module = types.ModuleType(rule_id)

        @hookimpl
        def orchlint_register_rules(register):
            register(Rule(rule_id, "t", "r", check=check))

        @hookimpl
        def orchlint_register_platforms(register):
            if rule_id == "aa.shipped":
                register(EXAMPLE_PLATFORM)

        module.orchlint_register_rules = orchlint_register_rules
        module.orchlint_register_platforms = orchlint_register_platforms
        return module

    pm = PluginManager()
    pm.add(plugin("aa.shipped"), "shipped", "built-in")
    pm.add(plugin("zz.third-party"), "third", "--plugin")
    registry = build_registry(pm)
    assert registry.builtin == frozenset({"shipped"})
    doc = yamlsource.load("orchlint: 1\nname: x\n")
    evaluation = Engine(registry, rule_timeout=5.0).evaluate(doc, [EXAMPLE_PLATFORM.id], _dt.date(2026, 1, 1))
    assert evaluation.plugin_errors == []
    assert threads == {"aa.shipped": threading.current_thread().name, "zz.third-party": "orchlint-rule"}

def test_a_rule_with_a_broken_requirement_field_is_refused_at_registration(cli, tmp_path):
    plugin = tmp_path / "odd_rule.py"
    plugin.write_text(
        "from orchlint.hookspecs import hookimpl\nfrom orchlint.rulekit import Rule\n"
        "@hookimpl\ndef orchlint_register_rules(register):\n"
        "    register(Rule('zz.odd', 't', 'r', check=lambda v, c: [], requirement=['nodes']))\n",
        "utf-8",
    )
    result = cli("check", EXAMPLE, "--plugin", str(plugin))
    assert result.exit_code == 3
    assert "plugin error: " in result.output and "requirement a key name or None" in result.output


def _base_env() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("ORCHLINT_")}


# A plugin never decides the exit code: SystemExit at import, in a hook or in an output format
# is a plugin fault (exit 3, the plugin named), not a silent exit 0.
EXITING_PLUGINS = {
    "at-import": "import sys\nsys.exit(0)\n",
    "in-a-hook": "import sys\nfrom orchlint.hookspecs import hookimpl\n@hookimpl\ndef orchlint_register_rules(register):\n    sys.exit(0)\n",
}


@pytest.mark.parametrize("where", sorted(EXITING_PLUGINS))
def test_a_plugin_calling_sys_exit_is_a_plugin_fault(cli, tmp_path, where):
    plugin = tmp_path / f"exits_{where.replace('-', '_')}.py"
    plugin.write_text(EXITING_PLUGINS[where], "utf-8")
    result = cli("check", EXAMPLE, "--plugin", str(plugin))
    assert result.exit_code == 3
    assert f"plugin error: {plugin}:" in result.output and "SystemExit(0)" in result.output
    assert "atlantis" not in result.output and "kubernetes" in result.output  # the run went on


FORMATTER_PLUGIN = """
import sys
from orchlint.hookspecs import hookimpl
from orchlint.formatters.base import Formatter

class Broken(Formatter):
    name = "broken"
    def {method}(self, *args):
        {body}

@hookimpl
def orchlint_register_formatters(register):
    register(Broken)
"""


@pytest.mark.parametrize("method", ["start", "write", "finish"])
@pytest.mark.parametrize("body", ["raise RuntimeError('kaput')", "sys.exit(0)"])
def test_a_formatter_that_raises_is_named_and_exits_3(cli, tmp_path, method, body):
    plugin = tmp_path / "broken_format.py"
    plugin.write_text(FORMATTER_PLUGIN.format(method=method, body=body), "utf-8")
    report = tmp_path / "report.txt"
    result = cli("check", EXAMPLE, "--plugin", str(plugin), "--format", f"broken:{report}")
    assert result.exit_code == 3, result.output
    assert f"plugin error: {plugin}: output format 'broken' raised" in result.output
    assert "Traceback" not in result.output
    assert not report.exists() and [p.name for p in tmp_path.iterdir()] == ["broken_format.py"]


# -- facts are type-checked at registration (issue 17.14, 17.8, 17.15) ---------------------------

FACT_PLUGIN = '''
import datetime
from datetime import date
from orchlint.hookspecs import hookimpl
from orchlint.model import Fact, Platform, Source

class Text(str):
    def __str__(self):
        return "<script>alert(1)</script>"

class EvilDate(date):
    def isoformat(self):
        return "<img src=x onerror=alert(1)>"

class Evil:
    def isoformat(self):
        return "<img src=x onerror=alert(1)>"
    __str__ = isoformat

class MyFact(Fact):
    pass

SOURCE = Source("The docs", "https://example.org/docs")
DAY = date(2024, 1, 1)

@hookimpl
def orchlint_register_platforms(register):
    register(Platform("atlantis", "Atlantis", "a sunk platform"))

@hookimpl
def orchlint_register_facts(register):
    register({fact})
'''

# Each fact, and what the one plugin error must say about it.
MALFORMED_FACTS = {
    "verified-a-string": ('Fact("atlantis", "lifecycle", {"status": "active"}, (SOURCE,), "2024-01-01")', "verified is str, not datetime.date"),
    "verified-a-datetime": (
        'Fact("atlantis", "lifecycle", {"status": "active"}, (SOURCE,), datetime.datetime(2024, 1, 1))',
        "verified is datetime.datetime, not datetime.date",
    ),
    "verified-a-date-subclass": ('Fact("atlantis", "lifecycle", {"status": "active"}, (SOURCE,), EvilDate(2024, 1, 1))', "verified is "),
    "valid-from-a-str-subclass": ('Fact("atlantis", "lifecycle", {"status": "active"}, (SOURCE,), DAY, valid_from=Text("2020-01-01"))', "valid_from is "),
    "valid-until-an-object": ('Fact("atlantis", "lifecycle", {"status": "active"}, (SOURCE,), DAY, valid_until=Evil())', "valid_until is "),
    "sources-a-list": ('Fact("atlantis", "lifecycle", {"status": "active"}, [SOURCE], DAY)', "sources is list, not a tuple of Source"),
    "source-a-string": ('Fact("atlantis", "lifecycle", {"status": "active"}, ("https://example.org",), DAY)', "sources[0] is str, not Source"),
    "source-date-a-string": (
        'Fact("atlantis", "lifecycle", {"status": "active"}, (Source("t", date="2020-01-01"),), DAY)',
        "sources[0].date is str, not datetime.date or None",
    ),
    "source-date-an-object": ('Fact("atlantis", "lifecycle", {"status": "active"}, (Source("t", date=Evil()),), DAY)', "sources[0].date is "),
    "no-source": ('Fact("atlantis", "lifecycle", {"status": "active"}, (), DAY)', "fact atlantis/lifecycle has no source"),
    "note-an-int": ('Fact("atlantis", "lifecycle", {"status": "active"}, (SOURCE,), DAY, note=3)', "note is int, not str"),
    "from-as-of-a-string": ('Fact("atlantis", "lifecycle", {"status": "active"}, (SOURCE,), DAY, from_as_of="yes")', "from_as_of is str, not bool"),
    "searched-a-list": ('Fact("atlantis", "lifecycle", None, (SOURCE,), DAY, searched=["the docs"])', "searched is list, not a tuple of str"),
    "searched-with-a-value": ('Fact("atlantis", "lifecycle", {"status": "active"}, (SOURCE,), DAY, searched=("the docs",))', "researched unknown"),
    "value-a-set": ('Fact("atlantis", "zz.own", {"a"}, (SOURCE,), DAY)', "value is set, not plain data"),
    "value-an-object": ('Fact("atlantis", "zz.own", {"when": Evil()}, (SOURCE,), DAY)', "value['when'] is "),
    "value-a-nan": ('Fact("atlantis", "zz.own", float("nan"), (SOURCE,), DAY)', "value is nan, not a finite number"),
    "platform-an-int": ('Fact(7, "lifecycle", {"status": "active"}, (SOURCE,), DAY)', "a fact: platform is int, not str"),
    "a-fact-subclass": ('MyFact("atlantis", "lifecycle", {"status": "active"}, (SOURCE,), DAY)', "MyFact where a Fact was expected"),
    # The vocabulary the built-in rules read has the value form a fact file's would.
    "lifecycle-a-string": ('Fact("atlantis", "lifecycle", "bogus", (SOURCE,), DAY)', "fact atlantis/lifecycle: value: expected a mapping"),
    "lifecycle-end-not-a-day": (
        'Fact("atlantis", "lifecycle", {"status": "end-of-life", "end": "soon"}, (SOURCE,), DAY)',
        "fact atlantis/lifecycle: value.end: ",
    ),
    "max-nodes-a-string": ('Fact("atlantis", "max_nodes", "many", (SOURCE,), DAY)', "fact atlantis/max_nodes: value: expected integer"),
    "license-spdx-an-int": (
        'Fact("atlantis", "license", {"spdx": 1, "osi_approved": True}, (SOURCE,), DAY)',
        "fact atlantis/license: value.spdx: expected string",
    ),
}


def _fact_plugin(tmp_path, name: str, fact: str):
    path = tmp_path / f"facts_{name.replace('-', '_')}.py"
    path.write_text(FACT_PLUGIN.replace("{fact}", fact), "utf-8")
    return path


@pytest.mark.parametrize("case", sorted(MALFORMED_FACTS))
def test_a_malformed_plugin_fact_is_one_plugin_error_naming_the_field(cli, tmp_path, case):
    """Issue 17.8: a fact with ``verified`` given as a string, and every other field of the wrong
    type, is one clear line, exit 3, naming the plugin and the field; the fact is left out."""
    fact, fragment = MALFORMED_FACTS[case]
    plugin = _fact_plugin(tmp_path, case, fact)
    result = cli("check", EXAMPLE, "--plugin", str(plugin))
    assert result.exit_code == 3, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("plugin error: ")]
    assert len(errors) == 1, result.output
    assert errors[0].startswith(f"plugin error: {plugin}: ") and fragment in errors[0], errors
    assert "Traceback" not in result.output and "<img" not in result.output and "<script>" not in result.output
    for fmt in ("json", "html"):
        other = cli("check", EXAMPLE, "--plugin", str(plugin), "--format", fmt)
        assert other.exit_code == 3, other.output
        assert "<img" not in other.output and "<script>" not in other.output
    errors = json.loads(cli("check", EXAMPLE, "--plugin", str(plugin), "--format", "json").output)["plugin_errors"]
    assert [e["plugin"] for e in errors] == [str(plugin)]


@pytest.mark.parametrize("case", ["lifecycle-a-string", "max-nodes-a-string", "license-spdx-an-int", "valid-from-a-str-subclass"])
def test_a_plugins_malformed_fact_is_blamed_on_the_plugin_never_on_a_built_in_rule(cli, tmp_path, case):
    """Issue 17.15: the fact is refused when the plugin registers it, so no built-in rule ever
    reads it, fails on it and is named in its place."""
    plugin = _fact_plugin(tmp_path, case, MALFORMED_FACTS[case][0])
    doc = json.loads(cli("check", EXAMPLE, "--format", "json", "--plugin", str(plugin), "--platform", "atlantis").output)
    assert [e["plugin"] for e in doc["plugin_errors"]] == [str(plugin)]
    assert not any("orchlint" in e["plugin"] or e["message"].startswith("rule ") for e in doc["plugin_errors"])
    for command in (["platforms"], ["platforms", "--coverage"], ["explain", "lifecycle.maintained", "--platform", "atlantis"]):
        result = cli(*command, "--plugin", str(plugin))
        assert result.exit_code == 3, result.output
        assert f"plugin error: {plugin}: fact atlantis/" in result.output and "Traceback" not in result.output


def test_well_formed_plugin_facts_are_accepted(cli, tmp_path):
    facts = (
        'Fact("atlantis", "lifecycle", {"status": "end-of-life", "end": date(2021, 10, 31)}, (SOURCE,), DAY, valid_from=date(2020, 1, 1), from_release="1.0"))\n'
        '    register(Fact("atlantis", "max_nodes", None, (SOURCE,), DAY, note="nothing settles it", searched=("the docs",)))\n'
        '    register(Fact("atlantis", "zz.own", {"nested": [1, 2.5, "x", None, True, date(2020, 1, 1)]}, (Source("t", "", "", DAY),), DAY)'
    )
    plugin = _fact_plugin(tmp_path, "good", facts)
    result = cli("check", EXAMPLE, "--plugin", str(plugin), "--platform", "atlantis", "--format", "json")
    doc = json.loads(result.output)
    assert doc["plugin_errors"] == []
    (platform,) = doc["files"][0]["platforms"]
    lifecycle = next(f for f in platform["findings"] if f["rule"] == "lifecycle.maintained")
    assert lifecycle["severity"] == "fail" and lifecycle["fact"]["value"] == {"status": "end-of-life", "end": "2021-10-31"}


def test_every_field_of_a_fact_and_a_source_is_checked():
    """A field added to Fact or Source must be added to the checks at registration."""
    from dataclasses import fields

    from orchlint.model import Fact, Platform, Source
    from orchlint.support.shapes import FACT_FIELDS, PLATFORM_FIELDS, SOURCE_FIELDS

    assert list(FACT_FIELDS) == [f.name for f in fields(Fact)]
    assert list(SOURCE_FIELDS) == [f.name for f in fields(Source)]
    assert set(PLATFORM_FIELDS) == {f.name for f in fields(Platform)} - {"plugin"}


def test_the_built_in_facts_are_well_formed(registry):
    """Built-in facts are not checked on every start (they are compiled from validated fact
    files): this is the check."""
    from orchlint.support.shapes import fact_problem

    assert [p for p in (fact_problem(f) for f in registry.knowledge.all()) if p] == []


def test_malformed_platforms_and_rule_sources_are_refused_at_registration(cli, tmp_path):
    plugin = tmp_path / "odd_shapes.py"
    plugin.write_text(
        "from orchlint.hookspecs import hookimpl\nfrom orchlint.model import Platform, Source\nfrom orchlint.rulekit import Rule\n"
        "class Evil:\n    def isoformat(self):\n        return '<img src=x>'\n"
        "@hookimpl\ndef orchlint_register_platforms(register):\n"
        "    register(Platform('atlantis', 7))\n"
        "@hookimpl\ndef orchlint_register_rules(register):\n"
        "    register(Rule('zz.odd', 't', 'r', check=lambda v, c: [], sources=(Source('s', date=Evil()),)))\n",
        "utf-8",
    )
    result = cli("check", EXAMPLE, "--plugin", str(plugin), "--format", "html")
    assert result.exit_code == 3
    assert "<img" not in result.output
    errors = json.loads(cli("check", EXAMPLE, "--plugin", str(plugin), "--format", "json").output)["plugin_errors"]
    platform, rule = sorted(e["message"] for e in errors)
    assert platform == "platform atlantis: name is int, not str"
    assert rule.startswith("rule zz.odd: sources[0].date is ") and rule.endswith("Evil, not datetime.date or None")
