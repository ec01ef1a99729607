"""No user string can inject terminal escapes, lines or markup; every format is reproducible."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from orchlint.plugins.manager import get_plugin_manager
from orchlint.plugins.registry import build_registry

from ..conftest import EXAMPLES, ROOT

ESCAPES = "\x1b[2J\x1b]0;owned\x07\u202e"
FORGED = "forged.yaml:1:1 kubernetes pass"

# A plugin whose rule speaks with escape sequences, markup and a newline that would forge a line.
LOUD_MESSAGE = "loud " + ESCAPES + " <script>alert(1)</script> [x](http://evil) | cell |\n" + FORGED
LOUD_PLUGIN = '''
from orchlint.hookspecs import hookimpl
from orchlint.model import Outcome
from orchlint.rulekit import Judgement, Rule

MESSAGE = %r

def check(value, ctx):
    if ctx.platform.id == "nomad":
        raise RuntimeError(MESSAGE)
    return [Judgement(Outcome.DEGRADED, MESSAGE)]

@hookimpl
def orchlint_register_rules(register):
    register(Rule("zz.loud", "loud", "for a test", check=check))
''' % LOUD_MESSAGE

HOSTILE_NAME = 'name: "<img src=x onerror=alert(1)> **bold** [a](http://evil) `tick` | pipe \\e[31m\\u202e"'


def _all_formats() -> list[str]:
    pm, _ = get_plugin_manager(entry_points=False)
    return sorted(build_registry(pm).formatters)


@pytest.fixture
def hostile_inputs(tmp_path: Path) -> list[str]:
    plugin = tmp_path / "loud_plugin.py"
    plugin.write_text(LOUD_PLUGIN, "utf-8")
    named = tmp_path / "named.yaml"
    named.write_text(f"orchlint: 1\n{HOSTILE_NAME}\nrequirements:\n  production: true\n", "utf-8")
    bad_key = tmp_path / "bad-key.yaml"
    bad_key.write_text(f'orchlint: 1\nname: x\n"{ESCAPES.encode("unicode_escape").decode()}": 1\n', "utf-8")
    files = [str(named), str(bad_key)]
    if sys.platform == "linux":  # a file name may hold an escape sequence and a newline
        odd = tmp_path / f"evil{ESCAPES}\n{FORGED}.yaml"
        odd.write_text("orchlint: 1\nname: x\n", "utf-8")
        files.append(str(odd))
    return [str(plugin), *files]


def test_text_output_has_no_escape_sequences_or_forged_lines(cli, hostile_inputs):
    plugin, *files = hostile_inputs
    result = cli("check", *files, "--plugin", plugin, "-v", "--no-color")
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\x07" not in result.output and "\u202e" not in result.output
    assert not any(line.startswith(FORGED) for line in result.output.splitlines())
    assert "\\x1b[2J\\x1b]0;owned\\x07\\u202e" in result.output
    assert "plugin error: " in result.output and "\\x1b" in result.output.split("plugin error: ")[1]


def test_json_output_carries_user_strings_exactly(cli, hostile_inputs):
    plugin, *files = hostile_inputs
    result = cli("check", *files, "--plugin", plugin, "-v", "--format", "json")
    doc = json.loads(result.output)
    assert [f["path"] for f in doc["files"]] == files
    messages = {f["message"] for file in doc["files"] for p in file["platforms"] for f in p["findings"] if f["rule"] == "zz.loud"}
    assert len(messages) == 1 and FORGED in messages.pop()
    assert doc["files"][0]["name"].startswith("<img src=x")
    assert doc["plugin_errors"] and "zz.loud" in doc["plugin_errors"][0]["message"]


def test_markdown_output_has_no_live_markup(cli, hostile_inputs):
    plugin, named, *_ = hostile_inputs
    result = cli("check", named, "--plugin", plugin, "-v", "--format", "markdown")
    text = result.output
    for live in (r"(?<!\\)<img", r"(?<!\\)<script", r"(?<!\\)\]\(http://evil\)", "\x1b", "\u202e"):
        assert not re.search(live, text), live
    assert not any(line.startswith(FORGED) for line in text.splitlines())
    assert "\\<img src=x onerror=alert(1)\\>" in text


# Fields that may differ between two runs. Only a timestamp is allowed to (issue 7); a format
# that adds another run-dependent field must justify it here.
VOLATILE = [
    re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?"),
    re.compile(rb'(?<=\btimestamp=")[^"]*'),
]


def _mask(data: bytes) -> bytes:
    for pattern in VOLATILE:
        data = pattern.sub(b"<timestamp>", data)
    return data


def _run_all_formats(out: Path, seed: str, args: list[str]) -> dict[str, bytes]:
    out.mkdir()
    formats = _all_formats()
    specs = [arg for name in formats for arg in ("--format", f"{name}:{out / name}")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHLINT_")}
    env.update(PYTHONHASHSEED=seed, ORCHLINT_TODAY="2026-11-23", ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1")
    done = subprocess.run(
        [sys.executable, "-m", "orchlint", "check", *args, *specs, "--format", "text", "-v"],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode in (2, 3), done.stderr.decode("utf-8", "replace")[-2000:]
    outputs = {name: (out / name).read_bytes() for name in formats}
    outputs["(stdout)"] = done.stdout
    return outputs


def test_two_runs_give_byte_identical_output_in_every_format(tmp_path, hostile_inputs):
    plugin, *files = hostile_inputs
    args = [*sorted(str(p) for p in EXAMPLES.glob("*.yaml")), *files, str(ROOT / "tests/hostile/unknown-key.yaml")]
    args += ["--plugin", plugin]
    first = _run_all_formats(tmp_path / "one", "1", args)
    second = _run_all_formats(tmp_path / "two", "2", args)
    assert set(first) == set(second) and len(first) >= 4
    for name in first:
        assert first[name], f"{name}: empty output"
        assert _mask(first[name]) == _mask(second[name]), f"{name} differs between two runs"


# -- output files -----------------------------------------------------------------------

LOGZIO = str(EXAMPLES / "logzio.yaml")


def test_a_symlinked_output_replaces_its_target_not_the_link(cli, tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old", "utf-8")
    target.chmod(0o644)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    cli("check", LOGZIO, "--format", f"json:{link}")
    assert link.is_symlink()
    assert json.loads(target.read_text("utf-8"))["files"][0]["path"] == LOGZIO
    assert target.stat().st_mode & 0o777 == 0o644, "an existing report keeps its mode"


def test_a_new_output_file_gets_the_usual_mode(cli, tmp_path):
    old = os.umask(0o022)
    try:
        cli("check", LOGZIO, "--format", f"json:{tmp_path / 'new.json'}")
    finally:
        os.umask(old)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o644, "not mkstemp's 0600"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_output_is_written_through_not_replaced(cli, tmp_path):
    # Renaming over a FIFO or a device (say /dev/stdout) would replace the node itself.
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = cli("check", LOGZIO, "--format", f"json:{fifo}")
    reader.join(timeout=60)
    assert result.exit_code == 0
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(received[0])["summary"]["files"] == 1


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="needs Linux /proc")
def test_an_output_directory_root_cannot_write_is_refused_before_work(cli):
    result = cli("check", LOGZIO, "--format", "json:/proc/orchlint.json")
    assert result.exit_code == 2
    assert "cannot write /proc/orchlint.json" in result.output
    assert "logzio" not in result.output, "refused before any file was linted"


FULL_DISK_PLUGIN = '''
import errno
from orchlint.formatters.base import Formatter
from orchlint.hookspecs import hookimpl

class Full(Formatter):
    name = "full"
    def write(self, report):
        self.stream.write("partial")
        raise OSError(errno.ENOSPC, "No space left on device")

@hookimpl
def orchlint_register_formatters(register):
    register(Full)
'''


def test_a_write_error_exits_2_and_leaves_no_partial_file(cli, tmp_path):
    plugin = tmp_path / "full_disk.py"
    plugin.write_text(FULL_DISK_PLUGIN, "utf-8")
    out = tmp_path / "report.out"
    out.write_text("the previous report", "utf-8")
    result = cli("check", LOGZIO, "--plugin", str(plugin), "--format", f"full:{out}")
    assert result.exit_code == 2
    assert "cannot write output: No space left on device" in result.output
    assert out.read_text("utf-8") == "the previous report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".orchlint-")] == []


def test_the_progress_line_shows_file_names_without_their_escapes():
    import io

    from orchlint.lint.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = Progress(stream, 2)
    progress.step(f"repo/evil{ESCAPES}.yaml")
    progress.step("repo/plain.yaml")
    progress.done()
    own = stream.getvalue().replace("\r\x1b[2K", "")  # the progress line's own redraw sequence
    assert "\x1b" not in own and "\x07" not in own and "\u202e" not in own


# An output never destroys an input, two outputs never share a path, and what cannot be
# written at the end is refused before the work starts.
@pytest.mark.parametrize(
    "args",
    [
        ["report", "{req}", "-o", "{req}"],
        ["report", "{req}", "-o", "{link}"],  # the same file through a symlink
        ["check", "{req}", "--format", "json:{req}"],
        ["check", "{req}", "--write-baseline", "{req}"],
        ["diff", "{req}", "{req}", "-o", "{req}"],
        ["what-if", "{req}", "--set", "requirements.nodes=3", "-o", "{req}"],
    ],
    ids=["report", "report-via-link", "check-format", "write-baseline", "diff", "what-if"],
)
def test_an_output_that_is_an_input_is_refused_before_any_work(cli, tmp_path, args):
    req = tmp_path / "orchlint.yaml"
    text = (EXAMPLES / "logzio.yaml").read_text()
    req.write_text(text)
    (tmp_path / "link.yaml").symlink_to(req)
    result = cli(*[a.format(req=req, link=tmp_path / "link.yaml") for a in args])
    assert result.exit_code == 2
    assert "is also an input" in result.output and "writing it would destroy it" in result.output
    assert req.read_text() == text


def test_two_outputs_to_one_path_are_refused(cli, tmp_path):
    out = tmp_path / "out.json"
    result = cli("check", str(EXAMPLES / "logzio.yaml"), "--format", f"json:{out}", "--format", f"sarif:{tmp_path}/./out.json")
    assert result.exit_code == 2
    assert "two outputs go to" in result.output and not out.exists()


def test_a_mount_point_output_is_refused_up_front(cli, tmp_path, monkeypatch):
    # A bind-mounted file cannot be replaced (EBUSY): said before the run, not after it.
    out = tmp_path / "report.html"
    out.write_text("old")
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: str(p) == str(out) or real(p))
    result = cli("report", str(EXAMPLES / "logzio.yaml"), "-o", str(out))
    assert result.exit_code == 2
    assert "it is a mount point" in result.output and out.read_text() == "old"


def test_an_unwritable_baseline_is_refused_before_the_run_even_for_root(cli, tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):  # what creating a file in a read-only place does, root or not
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = cli("check", str(EXAMPLES / "logzio.yaml"), "--write-baseline", str(tmp_path / "baseline.json"))
    assert result.exit_code == 2
    assert "--write-baseline" in result.output and "Permission denied" in result.output
    assert "logzio.yaml:" not in result.output  # refused before any file was linted


@pytest.mark.parametrize("command", [["report", "{f}", "-o", "-"], ["what-if", "{f}", "--set", "requirements.nodes=3", "-o", "-"], ["check", "{f}", "--format", "json:-"]])
def test_dash_as_output_is_standard_output_not_a_file_named_dash(cli, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = cli(*[a.format(f=EXAMPLES / "logzio.yaml") for a in command])
    assert result.exit_code in (0, 1)
    assert result.output.strip() and not (tmp_path / "-").exists()
