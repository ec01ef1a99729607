"""Project configuration: discovery, validation, precedence, origins, and settings without effect."""

from __future__ import annotations

import json

import pytest

from ..conftest import EXAMPLES

LOGZIO = (EXAMPLES / "logzio.yaml").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project directory with one requirements file, as the current directory."""
    (tmp_path / "svc.yaml").write_text(LOGZIO, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _rules_in(output: str) -> set[str]:
    data = json.loads(output)
    return {f["rule"] for file in data["files"] for p in file["platforms"] for f in p["findings"]}


def _json(cli, *args):
    result = cli("check", "svc.yaml", "--format", "json", "-v", *args)
    return result, _rules_in(result.stdout)


def test_select_and_ignore_from_the_config_file_with_the_longest_match_winning(cli, project):
    (project / ".orchlint.yaml").write_text("select: [licence, community]\nignore: [licence.free]\n")
    _result, rules = _json(cli)
    assert rules == {"community.size"}


def test_a_longer_select_beats_a_shorter_ignore(cli, project):
    (project / ".orchlint.yaml").write_text("ignore: [licence]\nselect: [licence.free-edition]\n")
    _result, rules = _json(cli)
    assert rules == {"licence.free-edition"}


def test_command_line_select_replaces_the_configured_one(cli, project):
    (project / ".orchlint.yaml").write_text("select: [licence]\n")
    _result, rules = _json(cli, "--select", "community,vendor.neutral")
    assert rules == {"community.size", "vendor.neutral-governance"}


def test_severity_override_from_config_and_command_line(cli, project):
    (project / ".orchlint.yaml").write_text("select: [community]\nseverity:\n  community: warn\n")
    result, _ = _json(cli)
    severities = {f["platform"]: f["severity"] for file in json.loads(result.stdout)["files"] for p in file["platforms"] for f in p["findings"]}
    assert severities["dcos"] == "warn"  # small community: fail without the override
    assert severities["kubernetes"] == "pass"  # passing findings stay passing
    result, _ = _json(cli, "--severity", "community.size=fail")
    severities = {f["platform"]: f["severity"] for file in json.loads(result.stdout)["files"] for p in file["platforms"] for f in p["findings"]}
    assert severities["dcos"] == "fail"


def test_fail_on_from_config_and_overridden_on_the_command_line(cli, project):
    (project / "svc.yaml").write_text("orchlint: 1\nname: s\ntarget: nomad\nrequirements:\n  large_community: true\n")
    (project / ".orchlint.yaml").write_text("fail_on: warn\n")
    assert cli("check", "svc.yaml").exit_code == 1  # nomad's community is unverified: a warning
    assert cli("check", "svc.yaml", "--fail-on", "fail").exit_code == 0


def test_pyproject_table_is_used_and_found_from_a_subdirectory(cli, project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.orchlint]\nselect = ["community"]\n')
    sub = project / "services" / "a"
    sub.mkdir(parents=True)
    (sub / "svc.yaml").write_text(LOGZIO)
    import os

    os.chdir(sub)
    _result, rules = _json(cli)
    assert rules == {"community.size"}
    shown = cli("config")
    assert f"configuration file: {project / 'pyproject.toml'}" in shown.output
    assert f"select     = [\"community\"]  ({project / 'pyproject.toml'}:5:1)" in shown.output


def test_dot_orchlint_yaml_shadows_pyproject_and_says_so(cli, project):
    (project / "pyproject.toml").write_text('[tool.orchlint]\nselect = ["community"]\n')
    (project / ".orchlint.yaml").write_text("select: [licence]\n")
    result, rules = _json(cli)
    assert rules == {"licence.free-edition"}
    assert "pyproject.toml: ignored, because .orchlint.yaml in the same directory takes precedence" in result.stderr


def test_config_option_overrides_the_search(cli, project):
    (project / ".orchlint.yaml").write_text("select: [licence]\n")
    (project / "other.yaml").write_text("select: [community]\n")
    _result, rules = _json(cli, "--config", "other.yaml")
    assert rules == {"community.size"}
    missing = cli("check", "svc.yaml", "--config", "nope.yaml")
    assert missing.exit_code == 2
    assert "nope.yaml: no such configuration file" in missing.stderr


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (".orchlint.yaml", "select: [licence]\nsevrity: {}\n", ".orchlint.yaml:2:1: sevrity: unknown key 'sevrity' (did you mean 'severity'?)"),
        (".orchlint.yaml", "fail_on: sometimes\n", ".orchlint.yaml:1:10: fail_on: \"sometimes\" is not allowed; expected one of: fail, warn, never"),
        (".orchlint.yaml", "select: licence\n", ".orchlint.yaml:1:9: select: expected a list, got string \"licence\""),
        (".orchlint.yaml", "severity:\n  licence: loud\n", ".orchlint.yaml:2:12: severity.licence: \"loud\" is not allowed"),
        (".orchlint.yaml", "select: [licence\n", ".orchlint.yaml:2:1:"),
        (".orchlint.yaml", "- select\n", ".orchlint.yaml:1:1: expected a mapping of settings"),
        ("pyproject.toml", "[tool.orchlint]\nselect = [\n", "pyproject.toml:3:1: invalid TOML"),
        ("pyproject.toml", "[tool.orchlint]\n\nfail_on = 3\n", "pyproject.toml:3:1: fail_on: 3 is not allowed"),
        ("pyproject.toml", "[tool.orchlint]\nslect = []\n", "pyproject.toml:2:1: slect: unknown key 'slect' (did you mean 'select'?)"),
    ],
)
def test_invalid_configuration_is_an_input_error_with_its_position(cli, project, name, text, expected):
    (project / name).write_text(text)
    result = cli("check", "svc.yaml")
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_unknown_platform_in_config_is_an_error_with_a_suggestion(cli, project):
    (project / ".orchlint.yaml").write_text("platforms: [kubernets]\n")
    result = cli("check", "svc.yaml")
    assert result.exit_code == 2
    assert "platforms: unknown platform 'kubernets' (did you mean 'kubernetes'?)" in result.stderr


def test_settings_without_effect_are_reported_not_ignored(cli, project):
    (project / ".orchlint.yaml").write_text(
        "select: [vendr, licence]\nignore: [community]\nseverity:\n  community.size: warn\nblock: [no-such-plugin]\n"
    )
    result = cli("check", "svc.yaml")
    assert ".orchlint.yaml:1:10: select: 'vendr' matches no rule (did you mean 'vendor'?)" in result.stderr
    assert "severity: 'community.size' every rule it matches is ignored or not selected" in result.stderr
    assert ".orchlint.yaml:5:9: block: 'no-such-plugin' is not a plugin orchlint knows" in result.stderr
    assert result.exit_code == 0  # notices do not change the verdict


def test_orchlint_config_shows_values_and_where_they_came_from(cli, project):
    (project / ".orchlint.yaml").write_text("select: [licence]\nfail_on: warn\nplugins: [local_rules.py]\n")
    (project / "local_rules.py").write_text("")
    result = cli("config", "--fail-on", "never", "--json")
    data = json.loads(result.stdout)
    assert data["file"].endswith(".orchlint.yaml")
    assert data["settings"]["select"] == {"value": ["licence"], "from": f"{project / '.orchlint.yaml'}:1:1"}
    assert data["settings"]["fail_on"] == {"value": "never", "from": "--fail-on"}
    assert data["settings"]["ignore"] == {"value": [], "from": "default"}
    # A plugin path in the config file is relative to the file, not to the current directory.
    assert data["settings"]["plugins"]["value"] == [str(project / "local_rules.py")]
    text = cli("config").output
    assert "fail_on    = \"warn\"" in text and "(default)" in text


def test_schema_command_prints_the_config_and_rule_schemas(cli):
    config = json.loads(cli("schema", "--config").output)
    assert config["title"] == "orchlint configuration"
    assert set(config["properties"]) == {"plugins", "block", "rules", "select", "ignore", "severity", "fail_on", "fail_on_unknown", "platforms", "rule_timeout"}
    rule = json.loads(cli("schema", "--rule").output)
    assert rule["title"] == "orchlint declarative rule"


def test_bad_severity_option_is_a_usage_error(cli, project):
    result = cli("check", "svc.yaml", "--severity", "licence")
    assert result.exit_code == 2
    assert "expected RULE=LEVEL" in result.output
    result = cli("check", "svc.yaml", "--severity", "licence=loud")
    assert result.exit_code == 2
    assert "level must be one of pass, warn, fail" in result.output


def test_select_and_ignore_patterns_that_change_nothing_are_reported(cli, project):
    result = cli("check", "svc.yaml", "--select", "storage.types,vendor", "--ignore", "vendor,storage")
    assert "--select: select: 'vendor' every rule it matches is ignored or not selected" in result.stderr
    assert "--ignore: ignore: 'storage' every rule it matches is already left out without it" not in result.stderr
    result = cli("check", "svc.yaml", "--select", "licence", "--ignore", "storage")
    assert "--ignore: ignore: 'storage' every rule it matches is already left out without it" in result.stderr


def test_a_pyproject_without_an_orchlint_table_does_not_shadow_a_parent_config(cli, project):
    (project / ".orchlint.yaml").write_text("select: [community]\n")
    sub = project / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[tool.orchlint-extras]\nx = 1\n\n[tool.black]\nline-length = 100\n')
    import os

    os.chdir(sub)
    assert f"configuration file: {project / '.orchlint.yaml'}" in cli("config").output
    (sub / "pyproject.toml").write_text('[tool]\norchlint.select = ["licence"]\n')
    assert f"configuration file: {sub / 'pyproject.toml'}" in cli("config").output


def test_pyproject_sub_tables_point_at_their_header(cli, project):
    (project / "pyproject.toml").write_text('[tool.orchlint]\nselect = ["licence"]\n\n[tool.orchlint.severity]\nlicence = "loud"\n')
    result = cli("check", "svc.yaml")
    assert result.exit_code == 2
    assert "pyproject.toml:4:1: severity.licence: \"loud\" is not allowed" in result.stderr


def test_config_plugins_may_be_module_names_and_block_entries_paths(cli, project, monkeypatch):
    (project / "mypolicy.py").write_text("")
    monkeypatch.syspath_prepend(str(project))
    (project / "policy").mkdir()
    (project / "policy" / "extra.py").write_text("raise ImportError('must not be imported')\n")
    (project / ".orchlint.yaml").write_text("plugins: [mypolicy, policy/extra.py]\nblock: [policy/extra.py]\n")
    result = cli("plugins", "--json")
    entries = {e["name"]: e for e in json.loads(result.stdout)}
    assert entries["mypolicy"]["status"] == "loaded"
    assert entries[str(project / "policy" / "extra.py")]["status"] == "blocked"
    assert result.exit_code == 0
    assert "is also blocked, so it is not loaded" in result.stderr


def test_rule_file_errors_reach_the_machine_readable_formats(cli, project):
    (project / "rules").mkdir()
    (project / "rules" / "bad.yaml").write_text("id: acme.bad\n")
    result = cli("check", "svc.yaml", "--rules", "rules", "--format", "json")
    assert result.exit_code == 2
    errors = json.loads(result.stdout)["config_errors"]
    assert len(errors) == 5 and all(e.startswith("rules/bad.yaml:1:1: (document root): missing required key") for e in errors)
    sarif = json.loads(cli("check", "svc.yaml", "--rules", "rules", "--format", "sarif").stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(n["message"]["text"].startswith("configuration or rule file error: rules/bad.yaml:1:1:") for n in notes)


def test_orchlint_test_reports_options_that_do_nothing(cli, project):
    (project / "rules").mkdir()
    result = cli("test", "rules", "--select", "acme")
    assert "--select: no effect when rule files are named" in result.stderr
    result = cli("test", "--select", "zzz")
    assert "select: 'zzz' matches no rule" in result.stderr


def test_a_pyproject_is_read_and_parsed_once(tmp_path, monkeypatch):
    from orchlint.cli import configfile as config
    from orchlint.support import yamlsource

    (tmp_path / "pyproject.toml").write_text('[tool.orchlint]\nselect = ["community"]\n')
    reads, parses = [], []
    read, parse = yamlsource.read_bounded, config._tomllib().loads
    monkeypatch.setattr(yamlsource, "read_bounded", lambda path, *a: reads.append(path) or read(path, *a))
    monkeypatch.setattr(config._tomllib(), "loads", lambda text: parses.append(1) or parse(text))
    settings = config.resolve({}, config_path=None, cwd=tmp_path)
    assert settings["select"] == ("community",) and settings.origins["select"].endswith("pyproject.toml:2:1")
    assert (len(reads), len(parses)) == (1, 1)


def test_isolated_ignores_every_configuration_file_and_its_plugins(cli, project):
    # A configuration can load code: --isolated (as flake8's) keeps a checkout's code out.
    (project / "evil.py").write_text("raise SystemExit('configuration plugin was loaded')\n")
    (project / ".orchlint.yaml").write_text("plugins: [./evil.py]\nfail_on: never\n")
    loaded = cli("check", str(EXAMPLES / "logzio.yaml"))
    assert loaded.exit_code == 3 and "evil.py" in loaded.output
    isolated = cli("check", str(EXAMPLES / "logzio.yaml"), "--isolated")
    assert isolated.exit_code in (0, 1) and "evil.py" not in isolated.output
    shown = cli("config", "--isolated")
    assert "(none found)" in shown.output and "fail_on    = \"fail\"  (default)" in shown.output
    both = cli("check", str(EXAMPLES / "logzio.yaml"), "--isolated", "--config", str(project / ".orchlint.yaml"))
    assert both.exit_code == 2 and "cannot be given with --config" in both.output


def test_diff_base_config_judges_both_sides_with_the_base_revisions_configuration(cli, tmp_path, monkeypatch):
    import subprocess

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    monkeypatch.chdir(tmp_path)
    git("init", "-q")
    git("config", "user.email", "a@example.com")
    git("config", "user.name", "a")
    (tmp_path / "orchlint.yaml").write_text("orchlint: 1\nname: x\nrequirements:\n  cloud_agnostic: false\n")
    git("add", "-A")
    git("commit", "-qm", "base")
    # The pull request needs cloud agnosticism (ECS gets worse) and also silences the rule.
    (tmp_path / "orchlint.yaml").write_text("orchlint: 1\nname: x\nrequirements:\n  cloud_agnostic: true\n")
    (tmp_path / ".orchlint.yaml").write_text("ignore: [portability]\n")
    own = cli("diff", "orchlint.yaml", "--git", "HEAD")
    assert own.exit_code == 0, own.output
    base = cli("diff", "orchlint.yaml", "--git", "HEAD", "--base-config")
    assert base.exit_code == 1, base.output
    assert "got worse (aks, ecs, eks, gke)" in base.output  # none of them is cloud agnostic
    assert "no configuration file at HEAD" in base.output
    alone = cli("diff", "orchlint.yaml", str(tmp_path / "orchlint.yaml"), "--base-config")
    assert alone.exit_code == 2 and "--base-config needs --git" in alone.output


def test_orchlint_config_warns_about_a_shadowed_pyproject_as_check_does(cli, project):
    """Issue 18, item 10: the same warning line from both commands, on standard error."""
    (project / "pyproject.toml").write_text('[tool.orchlint]\nselect = ["community"]\n')
    (project / ".orchlint.yaml").write_text("select: [licence]\n")
    warning = f"orchlint: warning: {project / 'pyproject.toml'}: ignored, because .orchlint.yaml in the same directory takes precedence\n"
    assert cli("check", "svc.yaml").stderr == warning
    shown = cli("config")
    assert shown.stderr == warning and shown.exit_code == 0
    assert "select     = [\"licence\"]" in shown.stdout and "ignored" not in shown.stdout
    as_json = cli("config", "--json")
    assert as_json.stderr == warning and json.loads(as_json.stdout)["notices"] == [warning.split("warning: ", 1)[1].strip()]


SLOW_ON_NOMAD = """\
import time
from orchlint.hookspecs import hookimpl
from orchlint.rulekit import Rule

def check(value, ctx):
    if ctx.platform.id == "nomad":
        time.sleep(1.5)
    return []

@hookimpl
def orchlint_register_rules(register):
    register(Rule("acme.slow", "Slow", "Takes its time on Nomad", check=check, requirement=None))
"""


def test_rule_timeout_is_a_setting_that_the_environment_overrides(cli, project, monkeypatch):
    """Issue 18, item 10: rule_timeout in the configuration; ORCHLINT_RULE_TIMEOUT, when set, wins."""
    (project / "slow.py").write_text(SLOW_ON_NOMAD)
    (project / ".orchlint.yaml").write_text("plugins: [slow.py]\nrule_timeout: 0.5\n")
    monkeypatch.delenv("ORCHLINT_RULE_TIMEOUT", raising=False)
    setting = json.loads(cli("config", "--json").stdout)["settings"]["rule_timeout"]
    assert setting == {"value": 0.5, "from": f"{project / '.orchlint.yaml'}:2:1"}
    stopped = cli("check", "svc.yaml", "--platform", "nomad")
    assert stopped.exit_code == 3
    assert "rule acme.slow exceeded the 0.5 s time limit" in stopped.output
    monkeypatch.setenv("ORCHLINT_RULE_TIMEOUT", "5")
    assert json.loads(cli("config", "--json").stdout)["settings"]["rule_timeout"] == {"value": 5.0, "from": "ORCHLINT_RULE_TIMEOUT"}
    assert cli("check", "svc.yaml", "--platform", "nomad").exit_code in (0, 1)
    monkeypatch.delenv("ORCHLINT_RULE_TIMEOUT")
    (project / ".orchlint.yaml").write_text("rule_timeout: soon\n")
    refused = cli("check", "svc.yaml")
    assert refused.exit_code == 2 and "rule_timeout: expected number, got string \"soon\"" in refused.stderr


def test_discovery_errors_are_not_configuration_errors(cli, project):
    """Issue 18, item 10: summary.config_errors holds the configuration's errors only; an argument
    that names no requirements file is a discovery error, in a field of its own."""
    (project / "empty").mkdir()
    (project / "rules").mkdir()
    (project / "rules" / "bad.yaml").write_text("id: acme.bad\n")
    result = cli("check", "svc.yaml", "empty", "--rules", "rules", "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["discovery_errors"] == ["empty: no requirements files found in this directory"]
    assert data["config_errors"] and all(e.startswith("rules/bad.yaml:1:1:") for e in data["config_errors"])
    only_empty = json.loads(cli("check", "svc.yaml", "empty", "--format", "json").stdout)
    assert only_empty["config_errors"] == [] and only_empty["summary"]["exit_code"] == 2
    sarif = json.loads(cli("check", "empty", "--format", "sarif").stdout)
    notes = [n["message"]["text"] for n in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    assert notes == ["no requirements file: empty: no requirements files found in this directory"]


@pytest.mark.parametrize("where", ["end", "start"])
def test_a_pyproject_over_the_size_limit_that_names_orchlint_is_refused_not_ignored(cli, project, where):
    """Issue 17.15: a pyproject.toml over 1 MB was read only up to the limit, so a [tool.orchlint]
    table after the first megabyte was silently ignored and the gate ran without its settings."""
    padding = "# padding\n" * 110_000  # 1.1 MB of comments
    table = '[tool.orchlint]\nfail_on = "warn"\n'
    text = '[project]\nname = "x"\n' + (padding + table if where == "end" else table + padding)
    (project / "pyproject.toml").write_text(text)
    result = cli("check", "svc.yaml")
    assert result.exit_code == 2
    assert f"{project / 'pyproject.toml'}:1:1: file is larger than the 1,000,000-byte limit, so its [tool.orchlint] table cannot be read" in result.stderr
    # Its remedy works: an .orchlint.yaml beside it takes precedence, and says the big file is ignored.
    (project / ".orchlint.yaml").write_text("fail_on: warn\n")
    result = cli("check", "svc.yaml")
    assert result.exit_code in (0, 1) and "pyproject.toml: ignored, because .orchlint.yaml" in result.stderr


def test_a_pyproject_over_the_size_limit_that_never_names_orchlint_is_not_a_configuration(cli, project, monkeypatch):
    # The same as a small pyproject.toml without the table: the search goes on upward.
    (project / ".orchlint.yaml").write_text("select: [licence]\n")
    sub = project / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n' + "# padding\n" * 110_000 + "[tool.black]\nline-length = 100\n")
    monkeypatch.chdir(sub)
    shown = cli("config")
    assert shown.exit_code == 0 and f"configuration file: {project / '.orchlint.yaml'}" in shown.output
