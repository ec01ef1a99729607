"""Property-based tests over the whole pipeline: read, validate, evaluate, render.

Example counts are modest so that the suite stays fast; tests/fuzz runs longer on demand.
"""

from __future__ import annotations

import pytest

pytest.importorskip("hypothesis", reason="test dependency: pip install hypothesis (.ci/run does)")

import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchlint.support import yamlsource
from orchlint.schemas.validation import validate

from ..strategies import check_pipeline, invalid_documents, linter, serialised, valid_documents

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def lint(registry):
    return linter(registry)


@pytest.fixture(scope="module")
def platforms(registry):
    return sorted(registry.platforms)


def test_valid_documents_are_evaluated_on_every_platform(lint, platforms):
    @PROPERTY
    @given(serialised(valid_documents(platforms)))
    def run(data: bytes) -> None:
        report = check_pipeline(lint, data)
        assert report.errors == [], report.errors

    run()


def test_invalid_documents_get_positioned_errors_or_findings(lint, platforms):
    @PROPERTY
    @given(serialised(invalid_documents(platforms)))
    def run(data: bytes) -> None:
        check_pipeline(lint, data)

    run()


def test_schema_errors_point_into_the_file(platforms):
    # Every error's line exists in the file, for documents that are valid YAML but not valid input.
    @PROPERTY
    @given(serialised(invalid_documents(platforms)))
    def run(data: bytes) -> None:
        try:
            doc = yamlsource.load(data, dates_as_strings=True)
        except yamlsource.LoadError:
            return
        if not isinstance(doc.data, dict):
            return
        lines = data.decode("utf-8").splitlines() or [""]
        for error in validate(doc, "requirements"):
            assert 1 <= error.line <= len(lines), error
            assert 1 <= error.column <= len(lines[error.line - 1]) + 1, error

    run()


def test_the_cli_gives_parseable_json_and_a_consistent_exit_code(cli, platforms):
    @settings(PROPERTY, max_examples=25)
    @given(serialised(valid_documents(platforms) | invalid_documents(platforms)))
    def run(data: bytes) -> None:
        from click.testing import CliRunner

        from orchlint.cli import main

        result = CliRunner().invoke(main, ["check", "-", "--format", "json"], input=data, catch_exceptions=False)
        doc = json.loads(result.output)
        assert result.exit_code in (0, 1, 2)
        assert doc["summary"]["exit_code"] == result.exit_code
        if doc["files"][0]["errors"]:
            assert result.exit_code == 2

    run()


def test_yaml_round_trip_keeps_the_data(platforms):
    # What orchlint reads is what was written: positions aside, the loader is plain YAML.
    @PROPERTY
    @given(serialised(valid_documents(platforms)))
    def run(data: bytes) -> None:
        assert yamlsource.load(data, dates_as_strings=True).data == yaml.safe_load(data)

    run()


@given(st.integers())
@settings(max_examples=30, deadline=None)
def test_any_integer_node_count_is_accepted_or_refused_cleanly(value):
    data = f"orchlint: 1\nname: x\nrequirements:\n  nodes: {value}\n".encode()
    try:
        doc = yamlsource.load(data, dates_as_strings=True)
    except yamlsource.LoadError as exc:
        assert exc.error.line == 4
        return
    errors = validate(doc, "requirements")
    assert bool(errors) == (not 1 <= value <= 10_000_000)
    assert all(e.line == 4 and e.column == 10 for e in errors)
