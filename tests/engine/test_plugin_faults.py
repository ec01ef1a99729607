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
    for bad in ("soon", "-1", "nan"):
        monkeypatch.setenv("ORCHLINT_RULE_TIMEOUT", bad)
        result = cli("check", EXAMPLE)
        assert result.exit_code == 2
        assert "ORCHLINT_RULE_TIMEOUT: expected a number of seconds" in result.output


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
