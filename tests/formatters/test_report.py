"""``orchlint report``: the architecture-review document."""

from __future__ import annotations

from ..conftest import EXAMPLES, write

SECTIONS = [
    "# Architecture review: ",
    "## Executive summary",
    "## Decision table",
    "## What orchlint does not know",
    "## What would have to change",
    "## Requirements × platforms",
    "## Findings",
    "## Rules applied",
    "## Sources",
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
    assert "| 1 | Kubernetes (`kubernetes`) | ✅ pass | 0 | 0 | 0 | 7 of 7 |" in text
    assert "| 8 | Amazon ECS (`ecs`) | ❌ fail, 1 unknown | 2 | 0 | 1 | 6 of 7 |" in text
    assert "- **Docker Swarm (swarm mode)** (`swarm`): these would have to be relaxed: `large_community`, `vendor_neutral`.\n" in text
    # Out of the running whatever the file says: one line each, no section of findings.
    assert "- Mesosphere DC/OS (`dcos`): Mesosphere DC/OS is end-of-life since 2021-10-31 (`lifecycle.maintained`) \\[" in text
    assert "### Mesosphere DC/OS" not in text and "### Apache Mesos" not in text
    assert "| `production` | yes | must | ✅ pass |" in text
    assert "## What changed since" not in text  # decided: 2021-04-23, and no verdict has moved since


def test_report_lists_what_changed_since_the_decision(cli):
    text = cli("report", str(EXAMPLES / "vendor-backed.yaml")).output
    assert "## What changed since 2021-04-23" in text
    assert "- `dcos`: ⚠️ warn → ❌ fail" in text
    assert "  - `lifecycle.maintained: warn → fail`; lifecycle: end of life on 2021-10-31, since 2020-10-01 \\[1\\]" in text
    assert "Unchanged: `aks`, `ecs`, `eks`, `gke`, `kubernetes`, `nomad`, `openshift`, `swarm`." in text
    section = text[text.index("## What changed since") : text.index("## Requirements ×")]
    assert "{" not in section and '"' not in section  # values in words, not JSON


def test_rationales_render_as_markdown(cli):
    text = cli("report", str(EXAMPLES / "vendor-backed.yaml")).output
    rules = text[text.index("## Rules applied") : text.index("## Sources")]
    assert "``" not in rules
    assert "In-house expertise. `in_house_expertise: false` says the team has nobody" in rules


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
