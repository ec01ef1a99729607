"""A check of one file imports only what it needs: start-up time is most of a pre-commit run.

No timings here (tests never assert them): the modules a run imported, seen from inside it, so
that a stray import of a heavy or rarely needed module on the common path is caught.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from ..conftest import ROOT, TODAY

# Only what the run imported counts: an editable install's path finder, for one, imports
# pathlib when Python starts, before orchlint runs a line.
PROBE = """
import json, sys
before = set(sys.modules)
from orchlint.cli import main
try:
    main(["check", sys.argv[1]])
except SystemExit as exc:
    code = exc.code
print("\\n@@" + json.dumps({"code": code, "modules": sorted(set(sys.modules) - before)}))
"""

# Never needed to check one valid file: the TOML parser (no configuration here), the process
# pool's pickle, the temporary files of written outputs, error messages' difflib, jsonschema
# (the generated validator decides), pathlib (with urllib.parse and ipaddress, 2 ms: os.path
# does it), zlib (an installed copy checks its generated modules by length), and the commands
# other than check. Nor signal's enums (_signal does), string (_string parses templates), queue
# and heapq (only a rule on a worker thread needs them), numbers (only for a number that is
# neither int nor float) or the utf_8_sig codec: each a few tenths of a millisecond.
NOT_ON_THE_CHECK_PATH = (
    "signal",
    "string",
    "queue",
    "heapq",
    "numbers",
    "encodings.utf_8_sig",
    "tomllib",
    "pathlib",
    "urllib.parse",
    "pickle",
    "tempfile",
    "shutil",
    "difflib",
    "jsonschema",
    "multiprocessing",
    "orchlint.cli.commands.platforms",
    "orchlint.cli.commands.report",
    "orchlint.cli.commands.diff",
    "orchlint.cli.commands.test",
    "orchlint.cli.commands.what_if",
    "orchlint.adoption.baseline",
    "orchlint.compare.whatif",
)


def _modules_of_a_check(tmp_path, example: str) -> tuple[int, set[str]]:
    # A project directory with a pyproject.toml that is not orchlint's business.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "svc"\n', "utf-8")
    target = tmp_path / "svc.yaml"
    shutil.copy(ROOT / "examples" / example, target)
    env = dict(os.environ, ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1", ORCHLINT_TODAY=TODAY.isoformat())
    proc = subprocess.run([sys.executable, "-c", PROBE, str(target)], capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.rpartition("\n@@")[2])
    return result["code"], set(result["modules"])


def test_checking_one_file_imports_nothing_it_does_not_need(tmp_path):
    code, modules = _modules_of_a_check(tmp_path, "checkout-platform.yaml")
    assert code in (0, 1)
    assert "orchlint.lint.linter" in modules  # the probe really ran a check
    assert sorted(m for m in NOT_ON_THE_CHECK_PATH if m in modules) == []
    # Re-reviews happen only for a file with a decided: date (or --since).
    assert "orchlint.compare.rereview" not in modules


def test_a_re_reviewed_file_still_imports_only_what_it_needs(tmp_path):
    code, modules = _modules_of_a_check(tmp_path, "logzio.yaml")  # has a decided: date
    assert code in (0, 1)
    assert "orchlint.compare.rereview" in modules
    assert sorted(m for m in NOT_ON_THE_CHECK_PATH if m in modules) == []


def test_the_console_script_imports_no_more_than_main(tmp_path):
    """entry() adds what a whole process needs (a SIGTERM handler among them) to main's run:
    none of it may bring back a module kept off the check path."""
    target = tmp_path / "svc.yaml"
    shutil.copy(ROOT / "examples" / "logzio.yaml", target)
    code = (
        "import atexit, json, sys\n"
        "before = set(sys.modules)\n"
        "atexit.register(lambda: print('\\n@@' + json.dumps(sorted(set(sys.modules) - before))))\n"
        f"sys.argv = ['orchlint', 'check', {str(target)!r}]\n"
        "from orchlint.cli import entry\n"
        "entry()\n"
    )
    env = dict(os.environ, ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1", ORCHLINT_TODAY=TODAY.isoformat())
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    modules = set(json.loads(proc.stdout.rpartition("\n@@")[2]))
    assert "orchlint.lint.linter" in modules  # the script really ran a check
    assert sorted(m for m in NOT_ON_THE_CHECK_PATH if m in modules) == []


@pytest.mark.parametrize("args", [["rules"], ["check", "examples/logzio.yaml"], ["test", "rules"]])
def test_the_console_script_collects_garbage_again_once_start_up_is_over(args):
    """entry() pauses the collector for start-up; every command must turn it back on."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('collector on:', gc.isenabled()))\n"
        f"sys.argv = ['orchlint', *{args!r}]\n"
        "from orchlint.cli import entry\n"
        "entry()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHLINT_")}
    env["ORCHLINT_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert "collector on: True" in result.stdout, result.stdout + result.stderr


def test_every_command_module_defines_the_command_it_is_named_for(cli):
    """Module ``what_if`` of orchlint.cli.commands is command ``what-if``: they cannot drift."""
    import importlib
    import pkgutil

    from orchlint.cli import commands, main

    names = []
    for info in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"orchlint.cli.commands.{info.name}")
        assert module.COMMAND.name == info.name.replace("_", "-"), info.name
        names.append(module.COMMAND.name)
    assert sorted(names) == main.list_commands(None)
    assert {"check", "report", "platforms", "what-if", "diff", "test"} <= set(names)
    listed = cli("--help").output
    assert all(name in listed for name in names)
    assert cli("what_if", "x").exit_code == 2  # the module's name is not a command
