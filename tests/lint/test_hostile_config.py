"""Configuration, rule and baseline files get the same treatment as requirement files:
a positioned error and exit 2, never a traceback, a hang or unbounded memory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hostile.generated import GENERATORS

from ..conftest import EXAMPLES

HOSTILE = Path(__file__).resolve().parent.parent / "hostile"
LOGZIO = str(EXAMPLES / "logzio.yaml")

# name in tests/hostile (or a generator) -> "line:col: message" the loader must give
YAML_CASES = {
    "billion-laughs.yaml": "1:53: document has more than 100,000 values",
    "deep-unclosed-450000.yaml": "1:68: nesting is deeper than the 64-level limit",
    "over-size-limit.yaml": "1:1: file is larger than the 1,000,000-byte limit",
    "non-utf8.yaml": "2:10: file is not UTF-8",
    "duplicate-key.yaml": "6:3: duplicate key 'nodes'",
    "tag-python.yaml": "4:10: unsupported tag '!!python/object/apply:os.system'",
}


def _copy(name: str, dest: Path) -> Path:
    if name in GENERATORS:
        dest.write_bytes(GENERATORS[name]())
    else:
        shutil.copyfile(HOSTILE / name, dest)
    return dest


@pytest.mark.parametrize("name", sorted(YAML_CASES))
def test_hostile_configuration_file(cli, tmp_path, name):
    config = _copy(name, tmp_path / ".orchlint.yaml")
    result = cli("check", LOGZIO, "--config", str(config))
    assert result.exit_code == 2
    assert f"{config}:{YAML_CASES[name]}" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", sorted(YAML_CASES))
def test_hostile_rule_file(cli, tmp_path, name):
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = _copy(name, rules / "hostile.yaml")
    result = cli("check", LOGZIO, "--rules", str(rules))
    assert result.exit_code == 2
    assert f"{rule}:{YAML_CASES[name]}" in result.output
    assert "Traceback" not in result.output


def test_deeply_nested_toml_configuration(cli, tmp_path):
    # tomllib recurses per nested array: it raised RecursionError through the CLI.
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.orchlint]\nselect = " + "[" * 50_000 + "]" * 50_000 + "\n", "utf-8")
    result = cli("check", LOGZIO, "--config", str(pyproject))
    assert result.exit_code == 2
    assert f"{pyproject}:1:1: invalid TOML: nested too deeply" in result.output


def test_deeply_nested_baseline(cli, tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    result = cli("check", LOGZIO, "--baseline", str(baseline))
    assert result.exit_code == 2
    assert "baseline is not a baseline: nested too deeply" in result.output
    assert "Traceback" not in result.output
