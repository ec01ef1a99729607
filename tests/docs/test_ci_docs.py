"""The documentation's baseline (docs/adoption.md) and waiver (docs/waivers.md) examples are valid as written."""

from __future__ import annotations

import json
import re

from orchlint.support import yamlsource
from orchlint.schemas.validation import validate

from ..conftest import ROOT, write

DOCS = ROOT / "docs"


def _block(first_line: str, page: str) -> str:
    text = (DOCS / page).read_text(encoding="utf-8")
    match = re.search(r"```[a-z]*\n(" + re.escape(first_line) + r"\n.*?)```", text, re.DOTALL)
    assert match, f"no block of docs/{page} starts with {first_line!r}"
    return match.group(1)


def test_the_documented_waiver_is_valid_and_waives(cli, tmp_path):
    text = "orchlint: 1\nname: svc\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n" + _block("waivers:", "waivers.md")
    path = write(tmp_path, text)
    result = cli("check", path, "--as-of", "2027-03-31")
    assert result.exit_code == 0
    assert "kubernetes waived scale.node-limit" in result.output
    assert cli("check", path, "--as-of", "2027-04-01").exit_code == 1


def test_the_documented_baseline_example_matches_the_baseline_schema():
    text = _block("{\n  \"orchlint_baseline\": 1,", "adoption.md")
    data = json.loads(text)
    assert validate(yamlsource.Document(data), "baseline") == []
