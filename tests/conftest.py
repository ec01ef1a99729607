from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchlint.cli import main
from orchlint.plugins.manager import get_plugin_manager
from orchlint.plugins.registry import build_registry

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
POSTS_DATE = _dt.date(2021, 4, 23)
TODAY = _dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    # "today" is pinned so that results and golden files do not drift with the calendar.
    monkeypatch.setenv("ORCHLINT_TODAY", TODAY.isoformat())
    monkeypatch.delenv("NO_COLOR", raising=False)
    # Installed third-party plugins (such as the examples in plugins/) must not change the
    # built-in behaviour these tests pin down; plugin loading has its own tests.
    monkeypatch.setenv("ORCHLINT_DISABLE_PLUGIN_AUTOLOAD", "1")


@pytest.fixture(scope="session")
def registry():
    pm, failures = get_plugin_manager(entry_points=False)
    assert failures == []
    reg = build_registry(pm)
    assert reg.errors == []
    return reg


@pytest.fixture
def cli():
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def write(tmp_path: Path, text: str, name: str = "req.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


BROKEN_PLUGIN = """\
from orchlint.hookspecs import hookimpl
from orchlint.rulekit import Rule

def boom(value, ctx):
    raise ValueError("broken on purpose")

@hookimpl
def orchlint_register_rules(register):
    register(Rule("acme.broken", "Broken", "Always raises", check=boom, requirement="production"))
"""


def broken_plugin(tmp_path: Path, *, duplicate: bool = False) -> Path:
    """A plugin file whose rule acme.broken always raises; with ``duplicate``, it also
    registers a second rule under the built-in id scale.node-limit."""
    text = BROKEN_PLUGIN
    if duplicate:
        text += '    register(Rule("scale.node-limit", "Dup", "Duplicate id", check=boom, requirement="nodes"))\n'
    plugin = tmp_path / "broken_plugin.py"
    plugin.write_text(text)
    return plugin
