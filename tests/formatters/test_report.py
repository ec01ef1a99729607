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


def test_the_markdown_review_mentions_no_one(cli, tmp_path):
    """Issue 17.15: the review is posted as a PR comment or wiki page; an @name in the file
    (its name, a waiver's owner or reason) must not notify anyone. Addresses and links keep
    their @: alice@example.com and https://medium.com/@bob/post are no mentions."""
    from ..mentions import mentions

    text = (
        'orchlint: 1\nname: "@everyone: checkout"\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n'
        "waivers:\n  - rule: scale.node-limit\n    platform: kubernetes\n"
        '    reason: "ok by @alice and alice@example.com, see https://medium.com/@bob/post (@acme/sre)"\n'
        '    owner: "@security-team"\n    expires: 2027-01-01\n'
    )
    output = cli("check", write(tmp_path, text), "--format", "markdown").output
    assert mentions(output) == []
    assert output.startswith("# Architecture review: @<!-- -->everyone: checkout\n")
    assert "| @<!-- -->security-team |" in output
    assert "ok by @<!-- -->alice and alice@example.com, see https://medium.com/@bob/post (@<!-- -->acme/sre)" in output


def test_md_neutralises_exactly_what_github_would_take_as_a_mention():
    from orchlint.formatters.markdown import md

    cases = {
        "@admin": "@<!-- -->admin",
        "cc @org/team.": "cc @<!-- -->org/team.",
        "*@x*": "\\*@<!-- -->x\\*",  # emphasis markers are no word characters
        "é@x": "é@<!-- -->x",  # GitHub's word characters are ASCII
        "alice@example.com": "alice@example.com",  # an address, no mention
        "_@x": "\\_@x",
        "@ alone, @-x": "@ alone, @-x",  # no name follows
        "see https://medium.com/@bob/p": "see https://medium.com/@bob/p",  # inside a link
        "https://medium.com/@bob": "https://medium.com/@<!-- -->bob",  # what precedes it is not known
        "see https://a.b/x_@bob": "see https://a.b/x\\_@bob",  # the link ends at the escape: x_ is word
        "see https://a.b/&amp;/@bob": "see https://a.b/&amp;/@<!-- -->bob",  # an entity splits the link
    }
    assert {text: md(text) for text in cases} == cases
