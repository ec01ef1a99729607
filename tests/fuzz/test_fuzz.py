"""Fuzz target: hostile bytes through the whole pipeline, for a fixed budget.

CI runs ORCHLINT_FUZZ_EXAMPLES inputs (default 300, a few seconds). For a longer run:

    python bench/fuzz.py --seconds 600

Every input must give either findings or positioned errors, never an exception, and every
registered format must render it (JSON that parses).
"""

from __future__ import annotations

import pytest

pytest.importorskip("hypothesis", reason="test dependency: pip install hypothesis (.ci/run does)")

import os

from hypothesis import HealthCheck, given, settings

from tests.strategies import check_pipeline, hostile_bytes, linter

EXAMPLES = int(os.environ.get("ORCHLINT_FUZZ_EXAMPLES", "300"))


def make_target(registry, *, examples: int = EXAMPLES, counter: list[int] | None = None, **options):
    """A Hypothesis test over ``examples`` hostile inputs; ``counter[0]`` counts the inputs run."""
    lint = linter(registry)

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        **options,
    )
    @given(hostile_bytes())
    def target(data: bytes) -> None:
        if counter is not None:
            counter[0] += 1
        check_pipeline(lint, data)

    return target


def test_fuzz_the_pipeline(registry):
    make_target(registry)()
