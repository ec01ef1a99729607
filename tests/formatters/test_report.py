"""``orchlint report``: the architecture-review document."""

from __future__ import annotations

from ..conftest import EXAMPLES, write

SECTIONS = [
    "# Architecture review: ",
    "## Executive summary",
    "## Requirements",
    "## Ranking",
    "## Requirements × platforms",
    "## Findings by platform",
    "## Knowledge used",
]


def test_report_has_every_section_and_recommends_kubernetes_for_logzio(cli, tmp_path):
    out = tmp_path / "review.md"
    result = cli("report", str(EXAMPLES / "logzio.yaml"), "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    positions = [text.index(s) for s in SECTIONS]
    assert positions == sorted(positions)
    assert "Recommended: **Kubernetes**" in text
    assert "evaluated with the knowledge of **2026-11-23**" in text
    assert "| 1 | Kubernetes (`kubernetes`) | ✅ pass |" in text
    assert "**To become viable**, these would have to be relaxed: `requirements.large_community`, `requirements.vendor_neutral`\n" in text  # swarm


def test_report_lists_what_changed_since_the_decision(cli):
    text = cli("report", str(EXAMPLES / "vendor-backed.yaml")).output
    assert "## What changed since 2021-04-23" in text
    assert "- `dcos`: ⚠️ warn → ❌ fail" in text
    assert "lifecycle.maintained warn → fail" in text


def test_report_exit_codes(cli, tmp_path):
    failing = write(tmp_path, "orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n")
    assert cli("report", failing).exit_code == 0  # a document with a failing verdict is still a document
    broken = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  nodez: 1\n", "broken.yaml")
    result = cli("report", broken)
    assert result.exit_code == 2
    assert "## The file could not be evaluated" in result.output
    assert cli("report", failing, "--format", "nope").exit_code == 2


def test_user_strings_cannot_inject_markup(cli, tmp_path):
    hostile = write(tmp_path, 'orchlint: 1\nname: "<script>alert(1)</script> [x](http://evil) | *bold*"\n')
    text = cli("report", hostile).output
    assert "<script>" not in text
    assert "\\<script\\>" in text and "\\[x\\]" in text and "\\| \\*bold\\*" in text
