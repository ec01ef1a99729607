"""Golden files for every output format on every example.

Regenerate after an intended change with: ORCHLINT_UPDATE_GOLDEN=1 pytest tests/formatters/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..ci_helpers import strict_xml, valid_sarif
from ..conftest import EXAMPLES, ROOT

GOLDEN = Path(__file__).parent.parent / "golden"
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.glob("*.yaml"))
FORMATS = {"text": "txt", "json": "json", "markdown": "md", "sarif": "sarif", "junit": "junit.xml", "github": "github.txt"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_output_matches_golden_file(cli, monkeypatch, example, fmt):
    monkeypatch.chdir(ROOT)
    result = cli("check", f"examples/{example}", "--format", fmt, "-v")
    golden = GOLDEN / f"{Path(example).stem}.{FORMATS[fmt]}"
    if os.environ.get("ORCHLINT_UPDATE_GOLDEN"):
        golden.write_text(result.output, encoding="utf-8")
    assert result.output == golden.read_text(encoding="utf-8")
    if fmt == "sarif":
        valid_sarif(result.output)
    if fmt == "junit":
        strict_xml(result.output)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_is_byte_identical_across_runs(cli, monkeypatch, fmt):
    monkeypatch.chdir(ROOT)
    args = ["check", *(f"examples/{e}" for e in EXAMPLE_NAMES), "--format", fmt, "-v"]
    assert cli(*args).output == cli(*args).output
