"""``orchlint test`` that finds no rule to test is an error, as pytest's "no tests ran" is
(issue 18, item 9)."""

from __future__ import annotations

from pathlib import Path

from ..conftest import ROOT


def test_an_empty_directory_is_an_error_with_a_clear_line(cli, tmp_path):
    (tmp_path / "emptydir").mkdir()
    (tmp_path / "emptydir" / "notes.txt").write_text("not a rule\n")
    result = cli("test", str(tmp_path / "emptydir"))
    assert result.exit_code == 2
    assert result.stderr == f"orchlint: error: {tmp_path / 'emptydir'}: no rule files (*.yaml, *.yml) found in this directory\n"
    assert result.stdout == "0 rules, 0 examples, 0 failed\n"


def test_an_empty_directory_beside_a_good_one_is_still_an_error(cli, tmp_path):
    (tmp_path / "emptydir").mkdir()
    good = ROOT / "plugins" / "orchlint-acme-policy" / "rules"
    result = cli("test", str(good), str(tmp_path / "emptydir"))
    assert result.exit_code == 2
    assert result.stdout.startswith("1 rules, ") and "no rule files" in result.stderr


def test_no_loaded_rule_left_to_test_is_an_error(cli):
    result = cli("test", "--select", "zzz")
    assert result.exit_code == 2
    assert "orchlint: error: no rule to test: --select and --ignore leave none of the loaded rules" in result.stderr


def test_rules_to_test_still_pass(cli):
    result = cli("test", str(Path(ROOT / "plugins" / "orchlint-acme-policy" / "rules")))
    assert result.exit_code == 0, result.output
