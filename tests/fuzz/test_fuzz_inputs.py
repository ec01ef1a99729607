"""Fuzz targets for the other ways input gets in: ``what-if --set`` values and configuration
files (.orchlint.yaml and pyproject.toml). The contract is the same as for requirements
files: a clean error or a result, never an exception of another kind, for a fixed budget.

    python bench/fuzz.py --target set --examples 30000
    python bench/fuzz.py --target config --examples 30000
"""

from __future__ import annotations

import pytest

pytest.importorskip("hypothesis", reason="test dependency: pip install hypothesis (.ci/run does)")

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchlint.support import yamlsource
from tests.strategies import YAML_TOKENS, hostile_bytes, linter

EXAMPLES = int(os.environ.get("ORCHLINT_FUZZ_EXAMPLES", "300"))

BASE = b"orchlint: 1\nname: svc\nrequirements:\n  nodes: 10\n  workloads: [containers]\n"
PATHS = ["requirements.nodes", "requirements.workloads", "requirements.storage.types[0]", "priorities.nodes", "name", "waivers[0].rule", "x", "requirements", "requirements.autoscaling.metrics[3]"]
CONFIG_TOKENS = [
    "fail_on: ", "warn", "never", "select: ", "ignore: ", "[", "]", "severity: ", "{", "}", "plugins: ", "rules: ",
    "block: ", "platforms: ", "kubernetes", "fail_on_unknown: ", "true", "&a ", "*a", "\n", "  ", "- ", ": ", "#",
    "[tool.orchlint]\n", "[tool]\n", "orchlint = ", '"', "'", "=", "\\u", "\x00", "\x1b", "\u202e", "1e999",
]


def _settings(examples: int, **options):
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        **options,
    )


def set_values() -> st.SearchStrategy:
    soup = st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=4), max_size=40).map("".join)
    path = st.sampled_from(PATHS) | st.text(max_size=20)
    value = st.one_of(soup, st.text(max_size=100), hostile_bytes().map(lambda b: b.decode("utf-8", "replace")))
    return st.tuples(path, value).map(lambda pv: f"{pv[0]}={pv[1]}")


def make_set_target(registry, *, examples: int = EXAMPLES, counter: list[int] | None = None, **options):
    """what-if's path: parse the --set, apply it, judge the variant."""
    from orchlint.compare.whatif import SetError, parse_set, variant

    lint = linter(registry)
    doc = yamlsource.load(BASE, dates_as_strings=True)

    @_settings(examples, **options)
    @given(set_values())
    def target(text: str) -> None:
        if counter is not None:
            counter[0] += 1
        try:
            variant_doc = variant(doc, [parse_set(text)])
        except SetError as exc:
            assert str(exc) and "Traceback" not in str(exc) and "\x1b" not in str(exc)
            return
        report = lint.lint_document("variant.yaml", variant_doc)
        for error in report.errors:
            assert error.message and isinstance(error.line, int) and error.line >= 1

    return target


def config_bytes() -> st.SearchStrategy:
    soup = st.lists(st.sampled_from(CONFIG_TOKENS) | st.text(max_size=4), max_size=40).map("".join)
    return st.one_of(
        st.binary(max_size=200),
        soup.map(lambda s: s.encode("utf-8", "surrogatepass")),
        hostile_bytes(),
    )


def make_config_target(registry=None, *, examples: int = EXAMPLES, counter: list[int] | None = None, **options):
    """Loading a configuration file as .orchlint.yaml or as pyproject.toml."""
    from orchlint.cli.configfile import ConfigError, load_file

    folder = Path(tempfile.mkdtemp(prefix="orchlint-fuzz-"))

    @_settings(examples, **options)
    @given(config_bytes(), st.sampled_from([".orchlint.yaml", "pyproject.toml"]))
    def target(data: bytes, name: str) -> None:
        if counter is not None:
            counter[0] += 1
        path = folder / name
        path.write_bytes(data)
        try:
            values, origins = load_file(path)
        except ConfigError as exc:
            assert exc.messages and all(m and "Traceback" not in m for m in exc.messages)
            return
        assert isinstance(values, dict) and isinstance(origins, dict)

    return target


def test_fuzz_set_values(registry):
    make_set_target(registry)()


def test_fuzz_configuration_files():
    make_config_target()()
