"""Issue 17.14: raw ESC, OSC 52, C1 controls and bidi overrides never reach the terminal from the
names and words of rule files and plugins: rule-file errors on stderr, ``orchlint platforms``,
``explain`` and ``rules``, and plugin errors on stderr. Each is shown escaped (``\\x1b``, ``\\u202e``).
"""

from __future__ import annotations

import pytest

from orchlint.declarative.rulefile import format_error
from orchlint.model import InputError

from ..conftest import write
from ..controls import HOSTILE_TEXT, HOSTILE_YAML, raw_controls

RULE_FILE_NAME = "bad\x1b]52;c;aGk=\x07\u202e.yaml"
SHOWN_NAME = "bad\\x1b]52;c;aGk=\\x07\\u202e.yaml"


def test_format_error_shows_the_path_and_message_escaped():
    error = InputError("id: \u202eevil\x1b[2J does not match", 3, 4)
    assert format_error(RULE_FILE_NAME, error) == f"{SHOWN_NAME}:3:4: id: \\u202eevil\\x1b[2J does not match"


@pytest.fixture
def bad_rules(tmp_path):
    rules = tmp_path / "policy"
    rules.mkdir()
    (rules / RULE_FILE_NAME).write_text(f"id: {HOSTILE_YAML}\ntitle: {HOSTILE_YAML}\n", encoding="utf-8")
    return rules


@pytest.mark.parametrize(
    "command",
    [
        ["check", "{file}", "--rules", "{rules}"],
        ["check", "{file}", "--rules", "{rules}", "--format", "json"],
        ["diff", "{file}", "{file}", "--rules", "{rules}"],
        ["what-if", "{file}", "--set", "requirements.nodes=10", "--rules", "{rules}"],
        ["platforms", "--rules", "{rules}"],
        ["rules", "--rules", "{rules}"],
        ["test", "--rules", "{rules}"],
        ["test", "{rules}"],
        ["test", "{rules}/" + RULE_FILE_NAME],
    ],
)
def test_rule_file_errors_on_stderr_show_control_characters_escaped(cli, tmp_path, bad_rules, command):
    path = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  nodes: 100\n")
    args = [a.format(file=path, rules=bad_rules) for a in command]
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert raw_controls(result.stderr) == []
    assert SHOWN_NAME in result.stderr and "\\x9b2J\\x85 \\u202egnp" in result.stderr


CONTROL_PLUGIN = f"""
import datetime
from orchlint.hookspecs import hookimpl
from orchlint.model import Fact, Outcome, Platform, Source
from orchlint.rulekit import Example, Judgement, Rule

EVIL = {HOSTILE_TEXT!r}
DAY = datetime.date(2024, 1, 1)


def check(_value, ctx):
    return [Judgement(Outcome.MET, "met " + EVIL, ctx.fact("zz.thing"))]


@hookimpl
def orchlint_register_rules(register):
    register(Rule(id="zz.controls", title=EVIL, rationale=EVIL + "\\n\\n" + EVIL, check=check, facts=("zz.",),
                  sources=(Source(EVIL, EVIL, EVIL, DAY),), examples=(Example("pass", {{}}, {{"zz.thing": EVIL}}),)))


@hookimpl
def orchlint_register_platforms(register):
    register(Platform("zz-evil", EVIL, EVIL))
    register(Platform("zz-" + EVIL, EVIL, EVIL))  # a plugin's platform id is any string


@hookimpl
def orchlint_register_facts(register):
    source = Source(EVIL, "https://example.org/" + EVIL, EVIL, DAY)
    register(Fact("zz-evil", "zz.thing", EVIL, (source,), DAY, valid_from=DAY, from_release=EVIL, note=EVIL, posts_said=EVIL))
    register(Fact("zz-evil", "zz." + EVIL, {{EVIL: [EVIL]}}, (source,), DAY, until_release=EVIL))
    register(Fact("zz-evil", "zz.unknown", None, (source,), DAY, note=EVIL, searched=(EVIL,)))
"""


@pytest.mark.parametrize(
    "command",
    [
        ["platforms"],
        ["platforms", "--platform", "zz-evil", "--as-of", "2025-01-01"],
        ["platforms", "--coverage"],
        ["explain", "zz.controls", "--platform", "zz-evil", "--as-of", "2025-01-01"],
        ["rules"],
        ["test"],
        ["plugins"],
    ],
)
def test_plugin_text_is_shown_escaped_by_the_describing_commands(cli, tmp_path, command):
    """``orchlint platforms`` and the other commands that describe what plugins registered:
    a platform's name and summary, a fact's key, value, note and sources, a rule's title and
    rationale."""
    plugin = tmp_path / "control_plugin.py"
    plugin.write_text(CONTROL_PLUGIN, encoding="utf-8")
    result = cli(*command, "--plugin", str(plugin))
    assert result.exit_code in (0, 1), result.output
    assert raw_controls(result.output) == []
    if command[0] in ("platforms", "explain") and "--coverage" not in command:
        assert "\\x1b]52;c;aGVsbG8=\\x07" in result.output and "\\u202egnp.exe" in result.output


BROKEN_PLUGIN = f"""
import datetime
from orchlint.hookspecs import hookimpl
from orchlint.model import Fact

@hookimpl
def orchlint_register_facts(register):
    register(Fact({HOSTILE_TEXT!r}, {HOSTILE_TEXT!r}, True, (), datetime.date(2024, 1, 1)))
"""


@pytest.mark.parametrize(
    "command",
    [
        ["check", "{file}"],
        ["diff", "{file}", "{file}"],
        ["what-if", "{file}", "--set", "requirements.nodes=10"],
        ["platforms"],
        ["platforms", "--coverage"],
        ["rules"],
        ["test"],
        ["explain", "scale.node-limit"],
    ],
)
def test_plugin_errors_on_stderr_show_control_characters_escaped(cli, tmp_path, command):
    plugin = tmp_path / "broken\x1b]52;c;aGk=\x07.py"
    plugin.write_text(BROKEN_PLUGIN, encoding="utf-8")
    path = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  nodes: 100\n")
    result = cli(*[a.format(file=path) for a in command], "--plugin", str(plugin))
    assert result.exit_code == 3, result.output
    assert raw_controls(result.output) == []
    assert "broken\\x1b]52;c;aGk=\\x07.py" in result.output and "\\u202egnp.exe" in result.output


@pytest.mark.parametrize("args", [[], ["--json"]])
def test_orchlint_config_shows_a_hostile_directory_name_escaped(cli, tmp_path, monkeypatch, args):
    project = tmp_path / "repo\x1b]52;c;aGk=\x07\u202e"
    project.mkdir()
    (project / ".orchlint.yaml").write_text("select: [zz-nothing]\nblock: [zz-no-plugin]\n", encoding="utf-8")
    monkeypatch.chdir(project)
    result = cli("config", *args)
    assert raw_controls(result.output) == []
    assert "repo\\x1b]52;c;aGk=\\x07\\u202e" in result.output.replace("\\\\", "\\").replace("\\u001b", "\\x1b").replace("\\u0007", "\\x07")


def test_clean_escapes_exactly_the_characters_its_pattern_names_despite_the_fast_path():
    # clean() returns a printable string untouched without running its pattern: that is right
    # only if str.isprintable() refuses every character the pattern names.
    import re

    from orchlint.support import terminal

    pattern = re.compile(terminal._CONTROL)
    for code in range(0x3000):
        if pattern.match(chr(code)):
            assert not chr(code).isprintable(), hex(code)
            assert terminal.clean(f"a{chr(code)}b") != f"a{chr(code)}b", hex(code)
    assert terminal.clean("a\x1bb\u202ec\td") == "a\\x1bb\\u202ec\td"
    assert terminal.clean_lines("a\nb\x1b") == "a\nb\\x1b"
