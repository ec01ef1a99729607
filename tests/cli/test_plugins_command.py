"""orchlint plugins, plugin loading from config, and the guarantee that nothing is imported unasked."""

from __future__ import annotations

import json

from ..conftest import EXAMPLES

LOGZIO = str(EXAMPLES / "logzio.yaml")

RULE_PLUGIN = """\
from orchlint.hookspecs import hookimpl
from orchlint.rulekit import Example, Rule, flag_rule

__version__ = "2.3.4"

RULE = flag_rule(
    id="local.ha", title="HA again", rationale="x", requirement="high_availability",
    fact="high_availability", what="HA",
    examples=(Example("pass", {"high_availability": True}, {"high_availability": True}),
              Example("fail", {"high_availability": True}, {"high_availability": False})),
)

@hookimpl
def orchlint_register_rules(register):
    register(RULE)
"""


def _entries(cli, *args):
    result = cli("plugins", "--json", *args)
    return result, {e["name"]: e for e in json.loads(result.stdout)}


def test_builtins_are_listed_with_version_origin_and_contributions(cli):
    from orchlint import __version__

    result, entries = _entries(cli)
    assert result.exit_code == 0
    rules = entries["orchlint.rules"]
    assert (rules["status"], rules["from"], rules["version"]) == ("loaded", "built-in", __version__)
    assert "scale.node-limit" in rules["contributed"]["rules"] and len(rules["contributed"]["rules"]) == 42
    assert entries["orchlint.adoption.waivers"]["contributed"]["rules"] == ["waiver.expired"]
    knowledge = entries["orchlint.knowledge"]
    assert knowledge["contributed"]["platforms"] == ["aks", "dcos", "ecs", "eks", "gke", "kubernetes", "mesos-marathon", "nomad", "openshift", "swarm"]
    assert len(knowledge["contributed"]["facts"]) > 100
    assert set(entries["orchlint.formatters"]["contributed"]["formats"]) >= {"text", "json", "markdown"}
    text = cli("plugins").output
    assert f"orchlint.rules {__version__}  [loaded]  from: built-in" in text
    assert "    platforms: aks, dcos, ecs, eks, gke, kubernetes, mesos-marathon, nomad, openshift, swarm" in text


def test_blocked_and_explicit_plugins_are_shown_as_such(cli, tmp_path):
    plugin = tmp_path / "local_rules.py"
    plugin.write_text(RULE_PLUGIN)
    _result, entries = _entries(cli, "--plugin", str(plugin), "--block", "orchlint.formatters")
    assert entries["orchlint.formatters"]["status"] == "blocked"
    local = entries[str(plugin)]
    assert (local["from"], local["version"], local["contributed"]["rules"]) == ("--plugin", "2.3.4", ["local.ha"])
    assert local["location"] == str(plugin)


def test_a_plugin_listed_in_the_config_loads_relative_to_it_and_says_where_from(cli, tmp_path, monkeypatch):
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "local_rules.py").write_text(RULE_PLUGIN)
    (tmp_path / ".orchlint.yaml").write_text("plugins: [policy/local_rules.py]\nselect: [local]\n")
    sub = tmp_path / "svc"
    sub.mkdir()
    (sub / "svc.yaml").write_text("orchlint: 1\nname: s\nrequirements:\n  high_availability: true\n")
    monkeypatch.chdir(sub)
    _result, entries = _entries(cli)
    path = str(tmp_path / "policy" / "local_rules.py")
    assert entries[path]["from"] == f"{tmp_path / '.orchlint.yaml'}:1:11"
    result = cli("check", "svc.yaml", "--format", "json")
    rules = {f["rule"] for p in json.loads(result.stdout)["files"][0]["platforms"] for f in p["findings"]}
    assert rules == {"local.ha"}


def test_failing_plugins_are_listed_with_their_error_and_exit_3(cli, tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("raise ImportError('missing dependency')\n")
    raising = tmp_path / "raising.py"
    raising.write_text("from orchlint.hookspecs import hookimpl\n@hookimpl\ndef orchlint_register_rules(register):\n    raise RuntimeError('boom')\n")
    result, entries = _entries(cli, "--plugin", str(broken), "--plugin", str(raising))
    assert result.exit_code == 3
    assert entries[str(broken)]["status"] == "error"
    assert "missing dependency" in entries[str(broken)]["error"]
    assert entries[str(raising)]["error"] == "orchlint_register_rules raised RuntimeError('boom')"
    assert entries["orchlint.rules"]["status"] == "loaded"
    check = cli("check", LOGZIO, "--plugin", str(broken), "--format", "json")
    assert check.exit_code == 3
    assert json.loads(check.stdout)["files"][0]["platforms"]  # the other rules still ran


def test_nothing_is_imported_from_the_scanned_directory_unless_named(cli, tmp_path):
    marker = tmp_path / "imported.txt"
    for name in ("conftest.py", "orchlint_plugin.py", "plugins.py", "rules.py"):
        (tmp_path / name).write_text(f"open({str(marker)!r}, 'w').write('{name}')\n")
    (tmp_path / "svc.yaml").write_text("orchlint: 1\nname: s\n")
    result = cli("check", str(tmp_path / "svc.yaml"))
    assert result.exit_code in (0, 1)
    assert not marker.exists()


def test_explain_and_rules_see_configured_rule_directories(cli, tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ha.yaml").write_text(
        "id: local.ha\ntitle: HA\nrationale: Because.\nsources: [https://example.org/ha]\n"
        "requirement: high_availability\nwhen: {const: true}\nfact: high_availability\n"
        "examples:\n  - {expect: pass, requirements: {high_availability: true}, facts: {high_availability: true}}\n"
        "  - {expect: fail, requirements: {high_availability: true}, facts: {high_availability: false}}\n"
    )
    (tmp_path / ".orchlint.yaml").write_text("rules: [rules]\nignore: [local]\n")
    monkeypatch.chdir(tmp_path)
    explained = cli("explain", "local.ha")
    assert explained.exit_code == 0
    assert "plugin: rules:" in explained.output and "https://example.org/ha" in explained.output
    listed = cli("rules").output
    assert "local.ha" in listed and "[off: not selected or ignored]" in listed
