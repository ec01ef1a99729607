"""orchlint diff: the pull-request gate, with golden files for its three formats."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import ROOT, write
from ..controls import HOSTILE_YAML, raw_controls

GOLDEN = Path(__file__).parent.parent / "golden" / "diff"
DATA = "tests/data/diff"
FORMATS = {"text": "txt", "json": "json", "markdown": "md"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_diff_output_matches_golden_file(cli, monkeypatch, fmt):
    monkeypatch.chdir(ROOT)
    result = cli("diff", f"{DATA}/old.yaml", f"{DATA}/new.yaml", "--format", fmt)
    assert result.exit_code == 1
    golden = GOLDEN / f"old-new.{FORMATS[fmt]}"
    if os.environ.get("ORCHLINT_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(result.output, encoding="utf-8")
    assert result.output == golden.read_text(encoding="utf-8")


def test_one_change_both_improves_one_platform_and_worsens_another(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    # In 2019 Nomad was not yet production-ready (1.0.0 came on 2020-12-08), so making
    # production a should improves it while the larger cluster breaks Kubernetes.
    data = json.loads(cli("diff", f"{DATA}/old.yaml", f"{DATA}/new.yaml", "--format", "json", "--as-of", "2019-01-01").output)
    by_id = {p["id"]: p for p in data["platforms"]}
    assert (by_id["kubernetes"]["old"], by_id["kubernetes"]["new"], by_id["kubernetes"]["change"]) == ("pass", "fail", "worse")
    assert (by_id["nomad"]["old"], by_id["nomad"]["new"], by_id["nomad"]["change"]) == ("fail", "warn", "better")
    assert by_id["kubernetes"]["headline"] == (
        "this change makes kubernetes fail (was pass): requirements.nodes went from 4000 to 9000 (scale.node-limit: "
        "9,000 nodes exceed Kubernetes's limit of 5,000 nodes per cluster and multi_cluster is not allowed)"
    )
    assert by_id["nomad"]["headline"].startswith(
        "this change makes nomad warn (was fail): priorities.production went from must (default) to should (maturity.production-ready:"
    )
    assert data["worse"] == ["kubernetes"]  # only the target decides
    assert data["exit_code"] == 1
    # An item added in front of a list does not make the items behind it look changed.
    changed = {(f["rule"], f["requirement"]) for p in data["platforms"] for f in p["findings"]}
    assert ("storage.types", "requirements.storage.types[nfs]") not in changed


def test_only_deciding_platforms_decide_the_exit_code(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    old, new = f"{DATA}/old.yaml", f"{DATA}/new.yaml"
    assert cli("diff", old, new, "--platform", "nomad", "--as-of", "2019-01-01").exit_code == 0  # nomad got better
    assert cli("diff", old, new, "--platform", "ecs").exit_code == 1
    assert cli("diff", new, old).exit_code == 0  # the reverse change makes kubernetes pass again


def test_no_change_exits_0_and_says_so(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = cli("diff", f"{DATA}/old.yaml", f"{DATA}/old.yaml")
    assert result.exit_code == 0
    assert "file changes: none that can change a verdict" in result.output
    assert "no deciding platform got worse: exit 0" in result.output


def test_a_cause_in_another_requirement_is_still_named(cli, tmp_path):
    # scale.node-limit reads multi_cluster as well as nodes.
    old = write(tmp_path, "orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n  multi_cluster: true\n", "old.yaml")
    new = write(tmp_path, "orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n  multi_cluster: false\n", "new.yaml")
    result = cli("diff", old, new)
    assert result.exit_code == 1
    assert "this change makes kubernetes fail (was warn): requirements.multi_cluster went from true to false (scale.node-limit:" in result.output


def test_a_waiver_is_named_as_the_cause(cli, tmp_path):
    text = "orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n"
    old = write(tmp_path, text, "old.yaml")
    new = write(tmp_path, text + "waivers:\n  - rule: scale.node-limit\n    reason: r\n    owner: bob\n    expires: 2027-01-01\n", "new.yaml")
    result = cli("diff", old, new)
    assert result.exit_code == 0
    assert (
        "this change makes kubernetes pass (was fail): the waiver of scale.node-limit (owner bob, until 2027-01-01) was added"
        in result.output
    )
    assert "scale.node-limit requirements.nodes: fail → waived" in result.output


def test_diff_markdown_mentions_no_one(cli, tmp_path):
    """Issue 17.15: the Markdown is posted as a pull-request comment, so an @name in the file
    (a waiver owner, a reason, a name) notified that user or team. Each @ is followed by an
    empty HTML comment: it reads the same and mentions no one."""
    from ..mentions import mentions

    text = 'orchlint: 1\nname: "svc for @everyone"\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n'
    old = write(tmp_path, text, "old.yaml")
    waiver = '    reason: "approved by @alice (cc:@acme/security), see https://medium.com/@bob/post"\n'
    new = write(tmp_path, text + "waivers:\n  - rule: scale.node-limit\n" + waiver + '    owner: "@security-team"\n    expires: 2027-01-01\n', "new.yaml")
    output = cli("diff", old, new, "--format", "markdown").output
    assert "@" in output and mentions(output) == []
    assert "owner @<!-- -->security-team, until 2027-01-01" in output
    # Text and JSON are not Markdown: they keep the text as written.
    assert "owner @security-team," in cli("diff", old, new).output


def test_diff_of_a_broken_file_exits_2(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    bad = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  nodez: 1\n", "bad.yaml")
    result = cli("diff", f"{DATA}/old.yaml", bad)
    assert result.exit_code == 2
    assert f"{bad}:4:3 error (new) requirements.nodez: unknown key 'nodez'" in result.output
    assert cli("diff", f"{DATA}/old.yaml").exit_code == 2  # one file needs --git
    assert cli("diff", f"{DATA}/old.yaml", f"{DATA}/new.yaml", "--git", "HEAD").exit_code == 2


def test_diff_writes_to_a_file_atomically(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "comment.md"
    result = cli("diff", f"{DATA}/old.yaml", f"{DATA}/new.yaml", "--format", "markdown", "-o", str(out))
    assert result.exit_code == 1 and result.output == ""
    assert out.read_text().startswith("### orchlint:")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_against_a_git_revision(cli, tmp_path, monkeypatch):
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "svc").mkdir()
    path = tmp_path / "svc" / "orchlint.yaml"
    path.write_text((ROOT / DATA / "old.yaml").read_text())
    git("add", ".")
    git("commit", "-q", "-m", "old")
    path.write_text((ROOT / DATA / "new.yaml").read_text())
    monkeypatch.chdir(tmp_path / "svc")
    result = cli("diff", "orchlint.yaml", "--git", "HEAD")
    assert result.exit_code == 1
    assert result.output.startswith("orchlint diff: HEAD:orchlint.yaml → orchlint.yaml")
    assert "this change makes kubernetes fail (was pass): requirements.nodes went from 4000 to 9000" in result.output
    # From another directory, the path is still resolved against the file's own repository.
    monkeypatch.chdir(ROOT)
    assert cli("diff", str(path), "--git", "HEAD").exit_code == 1
    missing = cli("diff", str(path), "--git", "no-such-rev")
    assert missing.exit_code == 2 and "cannot read" in missing.output
    assert cli("diff", str(path), "--git", "--output=x").exit_code == 2  # never passed on to git as an option


# -- control characters (issue 17.14) ----------------------------------------------------------

HOSTILE_WAIVER = f"""waivers:
  - rule: scale.node-limit
    platform: kubernetes
    requirement: requirements.nodes
    reason: {HOSTILE_YAML}
    owner: {HOSTILE_YAML}
    expires: 2027-01-01
"""


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_control_characters_in_a_waiver_never_reach_the_diff(cli, tmp_path, fmt):
    """The Markdown is posted as a pull-request comment and often printed first: a waiver's
    owner or reason with raw ESC, OSC 52, C1 controls or bidi overrides is shown escaped, and
    NUL and \\x01 in it cannot open or close a code span."""
    text = "orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n"
    old = write(tmp_path, text, "old\x1b]52;c;aGk=\x07.yaml")
    new = write(tmp_path, text + HOSTILE_WAIVER, "new\u202e.yaml")
    result = cli("diff", old, new, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert raw_controls(result.output) == []
    # As Markdown shows it: escapes undone outside code spans (and inside, where there are none).
    shown = result.output + re.sub(r"\\(.)", r"\1", result.output) if fmt == "markdown" else result.output
    assert "owner evil \\x1b[31mred\\x1b]52;c;aGVsbG8=\\x07 \\x9b2J" in shown and "\\u202egnp.exe" in shown
    assert "\\x00\\x01\\x7f" in shown
    assert "old\\x1b]52;c;aGk=\\x07.yaml" in shown and "new\\u202e.yaml" in shown
