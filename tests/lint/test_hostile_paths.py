"""Hostile paths: missing, a directory, unreadable, standard input, odd names, odd plugin files."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

import pytest

from tests.hostile.limits import run_limited

from ..conftest import EXAMPLES

GOOD = "orchlint: 1\nname: svc\nrequirements:\n  production: true\n"
BAD = "orchlint: 1\nname: svc\nrequirements:\n  nodez: 1\n"


def _no_traceback(result) -> None:
    assert "Traceback" not in result.output


def test_missing_file(cli, tmp_path):
    path = tmp_path / "nope.yaml"
    result = cli("check", str(path))
    assert result.exit_code == 2
    assert f"{path}:1:1 error cannot read file: No such file or directory" in result.output
    _no_traceback(result)


def test_a_directory_without_requirements_files(cli, tmp_path):
    # A directory is searched for requirements files (README, "Many files"); finding none is
    # an error, never a silent pass.
    result = cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert f"orchlint: error: {tmp_path}: no requirements files found in this directory" in result.output


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file whatever its mode")
def test_an_unreadable_file(cli, tmp_path):
    path = tmp_path / "secret.yaml"
    path.write_text(GOOD, "utf-8")
    path.chmod(0)
    try:
        result = cli("check", str(path))
    finally:
        path.chmod(0o600)
    assert result.exit_code == 2
    assert f"{path}:1:1 error cannot read file: Permission denied" in result.output


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_file_that_fails_to_read_even_for_root(cli):
    # Reading /proc/self/mem at offset 0 fails with EIO: an unreadable file that root cannot read.
    result = cli("check", "/proc/self/mem")
    assert result.exit_code == 2
    assert "/proc/self/mem:1:1 error cannot read file: Input/output error" in result.output


def test_standard_input(cli):
    result = cli("check", "-", input=GOOD)
    assert result.exit_code == 0
    assert "<stdin>" in result.output
    bad = cli("check", "-", input=BAD)
    assert bad.exit_code == 2
    assert "<stdin>:4:3 error requirements.nodez: unknown key 'nodez'" in bad.output


def test_standard_input_is_read_only_up_to_the_limit(tmp_path):
    # An endless stream must not be read to the end: `yes | orchlint check -` ends at once.
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHLINT_")}
    env["ORCHLINT_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    producer = subprocess.Popen([sys.executable, "-c", "import sys\nwhile True: sys.stdout.write('y' * 65536)"], stdout=subprocess.PIPE)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "orchlint", "check", "-"], stdin=producer.stdout, capture_output=True, text=True, env=env, timeout=120
        )
    finally:
        producer.kill()
        producer.wait()
    assert done.returncode == 2
    assert "<stdin>:1:1 error file is larger than the 1,000,000-byte limit" in done.stdout


def test_binary_on_standard_input(cli):
    from click.testing import CliRunner

    from orchlint.cli import main

    result = CliRunner().invoke(main, ["check", "-"], input=b"\x00\x01\x02\xff")
    assert result.exit_code == 2
    assert "<stdin>:1:1 error file is binary, not YAML text (NUL byte)" in result.output


@pytest.mark.parametrize("name", ["with space.yaml", "café 名前.yaml", "-leading-dash.yaml", "semi;colon $(x).yaml"])
def test_odd_but_valid_names(cli, tmp_path, name):
    path = tmp_path / name
    path.write_text(BAD, "utf-8")
    result = cli("check", "--", str(path))
    assert result.exit_code == 2
    assert f"{path}:4:3 error requirements.nodez" in result.output
    as_json = cli("check", "--format", "json", "--", str(path))
    assert json.loads(as_json.output)["files"][0]["path"] == str(path)


@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes on Linux only")
def test_a_file_name_that_is_not_utf8(tmp_path):
    # Python hands such a name over with lone surrogates; printing it as JSON used to crash.
    raw = os.fsencode(str(tmp_path)) + b"/caf\xff.yaml"
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write(BAD)
    out = tmp_path / "out.json"
    run = run_limited(["check", os.fsdecode(raw), "--format", "text", "--format", f"json:{out}"])
    assert run.returncode == 2
    assert "caf\\xff.yaml:4:3 error requirements.nodez" in run.stdout
    assert "Traceback" not in run.stderr
    assert json.loads(out.read_text("utf-8"))["files"][0]["path"].endswith("caf\\xff.yaml")


def test_one_bad_path_does_not_stop_the_others(cli, tmp_path):
    result = cli("check", str(tmp_path / "missing.yaml"), str(EXAMPLES / "logzio.yaml"), str(tmp_path))
    assert result.exit_code == 2
    assert "logzio.yaml" in result.output.split("\n\n")[1]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "no such file"),
        ("def broken(:\n", "failed to import: SyntaxError"),
        (b"\xff\xfe\x00junk", "failed to import: SyntaxError"),
        ("raise RuntimeError('at import')\n", "failed to import: RuntimeError('at import')"),
        ("from orchlint.hookspecs import hookimpl\n@hookimpl\ndef orchlint_register_rules(nope):\n    pass\n", "invalid plugin"),
        ("from orchlint.hookspecs import hookimpl\n@hookimpl\ndef orchlint_register_rules(register):\n    register('not a rule')\n", "registered str where a Rule was expected"),
    ],
)
def test_rule_files_get_the_same_treatment(cli, tmp_path, content, fragment):
    path = tmp_path / "rules_file.py"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, "utf-8")
    result = cli("check", str(EXAMPLES / "logzio.yaml"), "--plugin", str(path))
    assert result.exit_code == 3
    assert f"plugin error: {path}: " in result.output and fragment in result.output
    _no_traceback(result)


def test_a_directory_as_rule_file(cli, tmp_path):
    result = cli("check", str(EXAMPLES / "logzio.yaml"), "--plugin", str(tmp_path) + "/")
    assert result.exit_code == 3
    assert "no such file" in result.output


# Discovery fails closed: a requirements file is never silently left out of `check DIR`.
HIDDEN_DECLARATIONS = {
    "quoted.yaml": '"orchlint": 1\nname: q\n',  # what JSON tools write
    "flow.yaml": "{orchlint: 1, name: f}\n",
    "complex.yaml": "? orchlint\n: 1\nname: c\n",
    "escaped.yaml": '"orc\\x68lint": 1\nname: e\n',
    "late.yaml": "#" * 70000 + "\norchlint: 1\nname: l\n",  # after a comment longer than any sniff
    "single-quoted.yaml": "'orchlint': 1\nname: s\n",
}


@pytest.mark.parametrize("name", sorted(HIDDEN_DECLARATIONS))
def test_a_requirements_file_is_found_however_it_spells_the_key(tmp_path, name):
    from orchlint.support.discover import expand

    (tmp_path / name).write_text(HIDDEN_DECLARATIONS[name], "utf-8")
    (tmp_path / "deployment.yaml").write_text("kind: Deployment\nmetadata: {name: orchlint-docs}\n", "utf-8")
    (tmp_path / "broken-ci.yaml").write_text("steps: [\n", "utf-8")
    assert expand([str(tmp_path)]) == ([str(tmp_path / name)], [])


def test_a_utf16_requirements_file_is_found(tmp_path):
    from orchlint.support.discover import expand

    (tmp_path / "wide.yaml").write_bytes("orchlint: 1\nname: w\n".encode("utf-16"))
    assert expand([str(tmp_path)])[0] == [str(tmp_path / "wide.yaml")]


def test_a_broken_file_that_names_orchlint_is_linted_so_its_error_shows(cli, tmp_path):
    (tmp_path / "orchlint.yaml").write_text('{"orchlint": 1, "name": "x"\n', "utf-8")
    result = cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert "orchlint.yaml:2:1 error YAML syntax error" in result.output


def test_an_unreadable_subdirectory_is_an_input_error(cli, tmp_path, monkeypatch):
    # Simulated, so that it holds when the tests run as root (who reads every directory).
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "orchlint.yaml").write_text(GOOD, "utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert f"orchlint: error: {locked}: cannot read directory: Permission denied" in result.output
    assert "ok/orchlint.yaml" in result.output  # the readable files are still reported
    result = cli("check", str(locked))
    assert result.exit_code == 2
    assert "cannot read directory: Permission denied" in result.output
    assert "no requirements files found" not in result.output  # the cause, not a wrong one


def test_a_tree_1300_levels_deep_is_walked(tmp_path):
    from orchlint.support.discover import expand

    folder = str(tmp_path)
    try:
        for _ in range(1300):  # one level at a time: Path.mkdir(parents=True) itself recurses
            folder += "/d"
            os.mkdir(folder)
        with open(folder + "/orchlint.yaml", "w", encoding="utf-8") as handle:
            handle.write(GOOD)
        assert expand([str(tmp_path)]) == ([folder + "/orchlint.yaml"], [])
    finally:  # bottom up: shutil.rmtree, and so pytest's clean-up of old temp dirs, recurses
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder + "/orchlint.yaml")
        while folder != str(tmp_path):
            with contextlib.suppress(FileNotFoundError):
                os.rmdir(folder)
            folder = os.path.dirname(folder)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_or_a_link_to_standard_input_in_a_tree_is_an_error_not_a_hang(tmp_path):
    import subprocess

    (tmp_path / "orchlint.yaml").write_text(GOOD, "utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "stdin.yaml").symlink_to("/proc/self/fd/0")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHLINT_")}
    env.update(ORCHLINT_TODAY="2026-11-23", ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1")
    with subprocess.Popen(
        [sys.executable, "-m", "orchlint", "check", str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as process:  # standard input is a pipe nobody writes to or closes
        out, err = process.communicate(timeout=120)  # a safety net, not a speed claim
    assert process.returncode == 2, err
    assert "pipe.yaml:1:1 error cannot read file: not a regular file (a FIFO or pipe)" in out
    assert "stdin.yaml:1:1 error cannot read file: not a regular file" in out
    assert "orchlint.yaml:1:1" in out and "Traceback" not in err
