"""Hostile option values get a usage error (exit 2), never a traceback."""

from __future__ import annotations

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
