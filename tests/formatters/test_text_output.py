"""The default text output: one line per finding, a compact verdict matrix, colour only on a terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys

import pytest

from ..conftest import EXAMPLES, ROOT, TODAY, write
from ..controls import HOSTILE_TEXT, raw_controls

LOGZIO = "examples/logzio.yaml"
LINE = re.compile(r"^(?P<file>\S+):(?P<line>\d+):(?P<col>\d+) (?P<platform>\S+) (?P<severity>pass|warn|fail|unknown) (?P<rule>\S+) (?P<message>.+)$")
ESC = "\x1b["


def test_one_line_per_finding_in_the_documented_shape(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    data = json.loads(cli("check", LOGZIO, "--format", "json").output)
    findings = [f for p in data["files"][0]["platforms"] for f in p["findings"]]
    # Platforms that fail a rule judging every file (an end of life) get one line without -v.
    out = {f["platform"] for f in findings if f["severity"] == "fail" and f["requirement"] is None}
    for verbose, shown in ((False, {"warn", "fail", "unknown"}), (True, {"pass", "warn", "fail", "unknown"})):
        output = cli("check", LOGZIO, *(["-v"] if verbose else [])).output
        matched = [m for m in map(LINE.match, output.splitlines()) if m]
        got = sorted((m["file"], int(m["line"]), int(m["col"]), m["platform"], m["severity"], m["rule"]) for m in matched)
        want = sorted(
            (LOGZIO, f["line"], f["column"], f["platform"], f["severity"], f["rule"])
            for f in findings
            if f["severity"] in shown and (verbose or f["platform"] not in out or f["requirement"] is None)
        )
        assert got == want
        for m in matched:  # the message, shortened without -v: never another one
            full = next(f["message"] for f in findings if f["rule"] == m["rule"] and f["platform"] == m["platform"] and f["line"] == int(m["line"]))
            assert full.startswith(m["message"].split(" [fact ")[0].rstrip("…"))


def test_verdict_matrix_is_one_compact_row_per_file(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    paths = sorted(f"examples/{p.name}" for p in EXAMPLES.glob("*.yaml"))
    lines = cli("check", *paths).output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[-1:] == ["viable"] and line.startswith(" "))
    rows = lines[header + 1 : header + 1 + len(paths)]
    assert [row.split()[0] for row in rows] == paths
    assert all(len(row.split()) >= 12 for row in rows)  # file, ten platforms, viable
    assert lines[header + 1 + len(paths)] == ""
    # One column per platform, each as wide as its name or a cell such as pass?2, two spaces apart.
    widest = len(max(paths, key=len)) + sum(max(len(p), 6) + 2 for p in ("aks", "dcos", "ecs", "eks", "gke", "kubernetes", "mesos-marathon", "nomad", "openshift", "swarm"))
    viable = max(len(row.split(None, 11)[-1]) for row in rows)  # the last column: the viable platforms
    assert max(len(line) for line in lines[header : header + 1 + len(paths)]) <= widest + viable + 2


def test_no_colour_when_stdout_is_not_a_terminal(cli):
    assert ESC not in cli("check", str(EXAMPLES / "logzio.yaml")).output


def _on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """Run orchlint with stdout on a pseudo-terminal and return what it printed."""
    primary, secondary = pty.openpty()
    run_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    run_env.update({"ORCHLINT_TODAY": TODAY.isoformat(), "ORCHLINT_DISABLE_PLUGIN_AUTOLOAD": "1"}, **env)
    proc = subprocess.Popen([sys.executable, "-m", "orchlint", *args], stdout=secondary, stderr=subprocess.DEVNULL, env=run_env, cwd=ROOT)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    proc.wait(timeout=60)
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ((), {}, True),
        (("--no-color",), {}, False),
        ((), {"NO_COLOR": "1"}, False),
        ((), {"NO_COLOR": ""}, True),  # no-color.org: only a non-empty value turns colour off
    ],
)
def test_colour_on_a_terminal_unless_turned_off(args, env, coloured):
    output = _on_a_terminal("check", LOGZIO, *args, env=env)
    assert "kubernetes" in output
    assert ("\x1b[31mfail\x1b[0m" in output) is coloured
    assert (ESC in output) is coloured


def test_colour_never_reaches_a_file(tmp_path):
    out = tmp_path / "out.txt"
    _on_a_terminal("check", LOGZIO, "--format", f"text:{out}", env={})
    assert ESC not in out.read_text(encoding="utf-8")


def test_user_strings_cannot_break_lines_or_send_escapes(cli, tmp_path):
    path = write(tmp_path, 'orchlint: 1\nname: x\nrequirements:\n  "k\\x1b[2J\\n::error::x": 1\n')
    output = cli("check", path).output
    assert ESC not in output
    assert not any(line.startswith("::") for line in output.splitlines())
    assert "\\x1b[2J\\x0a::error::x" in output



@pytest.mark.parametrize(
    ("is_blocked", "note"),
    [
        (lambda i: i % 7 == 3, "(51 more files with a viable platform not shown)"),
        (lambda i: i >= 5, "(5 more files with a viable platform not shown, 5 more with no viable platform)"),
    ],
)
def test_above_fifty_files_the_matrix_lists_only_files_with_no_viable_platform(cli, tmp_path, is_blocked, note):
    blocked_text = (EXAMPLES / "checkout-platform.yaml").read_text()  # no platform is viable
    viable_text = (EXAMPLES / "logzio.yaml").read_text()
    names = [f"svc{index:02d}.orchlint.yaml" for index in range(60)]
    for index, name in enumerate(names):
        (tmp_path / name).write_text(blocked_text if is_blocked(index) else viable_text)
    shown = [n for i, n in enumerate(names) if is_blocked(i)][:50]
    lines = cli("check", str(tmp_path), "--jobs", "1").output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[-1:] == ["viable"] and line.startswith(" "))
    rows = lines[header + 1 : header + 1 + len(shown)]
    assert [os.path.basename(row.split()[0]) for row in rows] == shown
    assert all(row.split()[-1] == "none" for row in rows)
    assert lines[header + 1 + len(shown)] == note


HOSTILE_PLATFORM_PLUGIN = f"""
from orchlint.hookspecs import hookimpl
from orchlint.model import Platform

@hookimpl
def orchlint_register_platforms(register):
    register(Platform("zz-" + {HOSTILE_TEXT!r}, "A platform", "its id is any string"))
"""


@pytest.mark.parametrize("verbose", [[], ["-v"]])
def test_control_characters_from_plugins_never_reach_the_text_output(cli, tmp_path, verbose):
    """Issue 17.14: a plugin's platform id (in the finding lines, the counts and the matrix) and
    a fact's release (in -v's fact dates) are shown escaped, as the file's words already are."""
    from .test_html_report import CONTROL_FILE, CONTROL_PLUGIN

    plugin = tmp_path / "control_plugin.py"
    plugin.write_text(CONTROL_PLUGIN, encoding="utf-8")
    platforms = tmp_path / "hostile_platform.py"
    platforms.write_text(HOSTILE_PLATFORM_PLUGIN, encoding="utf-8")
    path = write(tmp_path, CONTROL_FILE)
    other = write(tmp_path, "orchlint: 1\nname: y\nrequirements:\n  nodes: 10\n", "other.yaml")
    result = cli("check", path, other, "--plugin", str(plugin), "--plugin", str(platforms), *verbose)
    assert result.exit_code in (0, 1), result.output
    assert raw_controls(result.output) == []
    assert "zz-evil \\x1b[31mred\\x1b]52;c;aGVsbG8=\\x07" in result.output
