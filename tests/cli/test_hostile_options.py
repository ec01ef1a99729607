"""Hostile option values get a usage error (exit 2), never a traceback."""

from __future__ import annotations

import os

import pytest

from ..conftest import EXAMPLES

LOGZIO = str(EXAMPLES / "logzio.yaml")


@pytest.mark.parametrize("years", ["1e300", "100000", "inf", "nan", "-1"])
def test_stale_years_out_of_range(cli, years):
    result = cli("platforms", "--stale", years)
    assert result.exit_code == 2
    assert "Invalid value for '--stale'" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("check", LOGZIO, "--as-of", "9999-12-31"),
        ("check", LOGZIO, "--as-of", "0001-01-01"),
        ("check", LOGZIO, "--since", "0001-01-01"),
        ("check", LOGZIO, "--since", "9999-12-31", "--format", "json"),
        ("report", LOGZIO, "--since", "0001-01-01"),
    ],
)
def test_extreme_dates_are_evaluated(cli, args):
    result = cli(*args)
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("check", LOGZIO, "--as-of", "2021-02-30"), "expected a date as YYYY-MM-DD"),
        (("check", LOGZIO, "--format", ":x"), "unknown format ''"),
        (("check", LOGZIO, "--format", "jsn"), "(did you mean 'json'?)"),
        (("check", LOGZIO, "--format", "json", "--format", "text"), "only one format can go to standard output"),
        (("check", LOGZIO, "--platform", "kubernets"), "(did you mean 'kubernetes'?)"),
        (("explain", "x\x1b[31m"), "unknown rule 'x\\x1b[31m'"),
    ],
)
def test_bad_options_are_usage_errors(cli, args, fragment):
    result = cli(*args)
    assert result.exit_code == 2
    assert fragment in result.output


def test_a_bad_pinned_today_is_a_usage_error(cli, monkeypatch):
    monkeypatch.setenv("ORCHLINT_TODAY", "someday")
    result = cli("check", LOGZIO)
    assert result.exit_code == 2
    assert "ORCHLINT_TODAY: expected YYYY-MM-DD" in result.output


LENIENT_DAYS = ["20261123", "2026-W47-1", "2026W471", "2026-327", "2026-11-23T00:00", "2026-11-23 ", " 2026-11-23", "2026-1-23", "\uff12\uff10\uff12\uff16-11-23"]


@pytest.mark.parametrize("day", LENIENT_DAYS)
@pytest.mark.parametrize(
    "args",
    [("check", LOGZIO, "--as-of"), ("check", LOGZIO, "--since"), ("report", LOGZIO, "--since"), ("diff", LOGZIO, LOGZIO, "--as-of"),
     ("what-if", LOGZIO, "--set", "requirements.nodes=5", "--as-of"), ("explain", "scale.node-limit", "--as-of"), ("platforms", "--as-of")],
    ids=lambda a: f"{a[0]} {a[-1]}",
)
def test_cli_dates_accept_only_what_files_accept(cli, args, day):
    """Issue 17.15: date.fromisoformat (Python 3.11) takes basic, week and ordinal forms that
    requirements files reject; every date option takes YYYY-MM-DD only."""
    result = cli(*args, day)
    assert result.exit_code == 2
    assert f"expected a date as YYYY-MM-DD, got {day!r}" in result.output


@pytest.mark.parametrize("day", LENIENT_DAYS)
def test_a_pinned_today_accepts_only_yyyy_mm_dd(cli, monkeypatch, day):
    monkeypatch.setenv("ORCHLINT_TODAY", day)
    result = cli("check", LOGZIO)
    assert result.exit_code == 2
    assert f"ORCHLINT_TODAY: expected YYYY-MM-DD, got {day!r}" in result.output


def test_a_yyyy_mm_dd_day_is_still_taken_everywhere(cli, monkeypatch):
    monkeypatch.setenv("ORCHLINT_TODAY", "2026-11-23")
    assert cli("check", LOGZIO, "--as-of", "2025-01-31", "--since", "2024-02-29").exit_code in (0, 1)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["rules"],
        ["diff", "examples/logzio.yaml", "examples/aws-midsize.yaml"],
        ["what-if", "examples/logzio.yaml", "--set", "requirements.nodes=5"],
        ["check", "examples/logzio.yaml"],
    ],
    ids=lambda a: a[0],
)
def test_a_full_standard_output_is_one_line_and_exit_2(args):
    import subprocess
    import sys

    from ..conftest import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHLINT_")}
    env.update(ORCHLINT_TODAY="2026-11-23", ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "orchlint", *args], stdout=full, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT, check=False)
    assert done.returncode == 2, done.stderr
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr


def test_an_unforeseen_error_is_one_line_and_exit_2(cli, monkeypatch):
    from orchlint.cli.commands import rules

    def broken(*args, **kwargs):
        raise LookupError("a bug")

    monkeypatch.setattr(rules.COMMAND, "callback", broken)
    result = cli("rules")
    assert result.exit_code == 2
    assert "orchlint: internal error: LookupError: a bug" in result.output


@pytest.mark.parametrize("how", [["--block", "orchlint.rules"], ["--select", "zz.nothing"]])
@pytest.mark.parametrize("command", [["check"], ["diff", "{f}"], ["what-if", "--set", "requirements.nodes=3"]], ids=lambda c: c[0])
def test_a_run_with_no_rule_left_is_an_error_not_a_pass(cli, how, command):
    # `block: [orchlint.rules]` once printed "0 fail, 0 warn, 0 pass" and exited 0.
    example = str(EXAMPLES / "logzio.yaml")
    args = [command[0], example, *[a.format(f=example) for a in command[1:]], *how]
    result = cli(*args)
    assert result.exit_code == 2, result.output
    # No rule at all, or (waiver.expired left) none that judges this file: both are errors.
    assert "no rule is enabled" in result.output or "no rule judged this file" in result.output
