"""Golden files for every output format on every example.

Regenerate after an intended change with: ORCHLINT_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.glob("*.yaml"))
FORMATS = {"text": "txt", "json": "json", "markdown": "md"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_output_matches_golden_file(cli, monkeypatch, example, fmt):
    monkeypatch.chdir(ROOT)
    result = cli("check", f"examples/{example}", "--format", fmt, "-v")
    golden = GOLDEN / f"{Path(example).stem}.{FORMATS[fmt]}"
    if os.environ.get("ORCHLINT_UPDATE_GOLDEN"):
        golden.write_text(result.output, encoding="utf-8")
    assert result.output == golden.read_text(encoding="utf-8")


def test_output_is_byte_identical_across_runs(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = ["check", *(f"examples/{e}" for e in EXAMPLE_NAMES), "--format", "json"]
    assert cli(*args).output == cli(*args).output
