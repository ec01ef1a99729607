"""orchlint what-if (a variant of a file, never written) and check --explain-fail."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ..conftest import EXAMPLES, write
from ..controls import HOSTILE_YAML, raw_controls
from .test_diff import HOSTILE_WAIVER

LARGE = str(EXAMPLES / "large-cluster.yaml")


def test_what_if_shows_the_verdict_changes_without_editing_the_file(cli):
    before = Path(LARGE).read_bytes()
    result = cli("what-if", LARGE, "--set", "requirements.nodes=4000", "--set", "priorities.workloads=could")
    assert Path(LARGE).read_bytes() == before
    assert result.output.startswith(f"what-if {LARGE} with --set requirements.nodes=4000 --set priorities.workloads=could")
    assert "requirements.nodes went from 8000 to 4000" in result.output
    assert "priorities.workloads went from must (default) to could" in result.output
    assert (
        "this change makes kubernetes pass (was fail): requirements.nodes went from 8000 to 4000 "
        "(scale.node-limit: 4,000 nodes fit Kubernetes's limit of 5,000 nodes per cluster)"
    ) in result.output
    assert result.exit_code == 0


def test_what_if_exits_as_check_would_on_the_variant(cli, tmp_path):
    path = write(tmp_path, "orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  nodes: 4000\n")
    worse = cli("what-if", path, "--set", "requirements.nodes=9000")
    assert worse.exit_code == 1
    assert "this change makes kubernetes fail (was pass)" in worse.output
    assert cli("what-if", path, "--set", "requirements.multi_cluster=true", "--set", "requirements.nodes=9000").exit_code == 0
    assert cli("what-if", path, "--set", "requirements.nodes=9000", "--fail-on", "never").exit_code == 0


def test_what_if_values_are_yaml(cli, tmp_path):
    path = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  nodes: 4000\n")
    data = json.loads(
        cli(
            "what-if", path, "--set", "requirements.storage.types=[nfs, ceph]", "--set", "requirements.production=true",
            "--unset", "requirements.nodes", "--format", "json",
        ).output
    )
    changes = {c["path"]: (c["old"], c["new"], c["added"], c["removed"]) for c in data["changes"]}
    assert changes == {
        "requirements.storage.types": (None, ["nfs", "ceph"], True, False),
        "requirements.production": (None, True, True, False),
        "requirements.nodes": (4000, None, False, True),
    }


def test_what_if_set_into_a_list_item(cli, tmp_path):
    path = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  storage:\n    types: [nfs, aws-ebs]\n")
    result = cli("what-if", path, "--set", "requirements.storage.types[1]=ceph")
    assert result.exit_code in (0, 1)
    assert "requirements.storage.types went from [nfs, aws-ebs] to [nfs, ceph]" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--set", "requirements.nodez=4000"), "--set requirements.nodez=4000: requirements.nodez: unknown key 'nodez' (did you mean 'nodes'?)"),
        (("--set", "requirements.nodes=many"), '--set requirements.nodes=many: requirements.nodes: expected integer, got string "many"'),
        (("--set", "priorities.autoscaling=sometimes"), "--set priorities.autoscaling=sometimes: priorities.autoscaling: \"sometimes\" is not allowed"),
        (("--set", "requirements.nodes.max=3"), "--set requirements.nodes.max=3: requirements.nodes is the value 8000, so it has no key 'max'"),
        (("--set", "requirements..nodes=3"), "--set requirements..nodes=3: 'requirements..nodes' is not a key path"),
        (("--set", "requirements.nodes"), "--set requirements.nodes: expected PATH=VALUE"),
        (("--set", "requirements.nodes="), "no value after '='; to drop a requirement use --unset requirements.nodes"),
        (("--set", "requirements.nodes=[1"), "--set requirements.nodes=[1: the value is not YAML"),
        ((), "nothing to change"),
    ],
)
def test_a_bad_set_is_a_clear_error_with_exit_2(cli, args, message):
    result = cli("what-if", LARGE, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_what_if_on_a_broken_file_reports_the_file_position(cli, tmp_path):
    path = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  nodez: 1\n")
    result = cli("what-if", path, "--set", "requirements.nodes=1")
    assert result.exit_code == 2
    assert f"{path}:4:3 error requirements.nodez: unknown key" in result.output


def test_what_if_markdown(cli):
    result = cli("what-if", LARGE, "--set", "requirements.nodes=4000", "--format", "markdown")
    assert result.output.startswith(f"### orchlint: what-if {LARGE.replace('_', chr(92) + '_')} with --set")
    assert "- ✅ This change makes `kubernetes` pass (was fail): `requirements.nodes` went from 8000 to 4000" in result.output


def test_what_if_markdown_mentions_no_one(cli, tmp_path):
    from ..mentions import mentions

    path = write(tmp_path, 'orchlint: 1\nname: "@everyone svc"\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n')
    output = cli("what-if", path, "--set", 'name="@here"', "--set", "requirements.nodes=4000", "--format", "markdown").output
    assert "@" in output and mentions(output) == []
    assert "- ✅ This change makes `kubernetes` pass (was fail)" in output


def test_explain_fail_names_the_fewest_requirements_to_relax(cli):
    result = cli("check", LARGE, "--explain-fail")
    lines = result.output.splitlines()
    assert f"{LARGE}: kubernetes becomes viable if these requirements are relaxed: requirements.nodes" in lines
    assert f"{LARGE}: ecs becomes viable if these requirements are relaxed: requirements.nodes" in lines
    assert f"{LARGE}: dcos cannot become viable by relaxing requirements: it fails lifecycle.maintained, which judges every file" in lines
    assert not any("nomad" in line and "viable if" in line for line in lines)  # nomad is viable
    data = json.loads(cli("check", LARGE, "--explain-fail", "--format", "json").output)
    explained = {e["platform"]: e for e in data["files"][0]["explain_fail"]}
    assert explained["kubernetes"]["relax"] == ["requirements.nodes"] and explained["kubernetes"]["smallest"] is True
    assert cli("check", LARGE, "--format", "json").output.count('"explain_fail": null') == 1


def test_explain_fail_finds_a_smaller_set_than_every_failing_requirement(cli, tmp_path):
    # Both nodes and storage fail on kubernetes, so both must go; with --fail-on warn the
    # aws-ebs warning must go too.
    text = "orchlint: 1\nname: x\nrequirements:\n  nodes: 9000\n  storage:\n    types: [aws-ebs]\n"
    path = write(tmp_path, text)
    result = cli("check", path, "--explain-fail", "--platform", "kubernetes", "--fail-on", "warn")
    assert f"{path}: kubernetes becomes viable if these requirements are relaxed: requirements.nodes, requirements.storage" in result.output
    result = cli("check", path, "--explain-fail", "--platform", "kubernetes")
    assert f"{path}: kubernetes becomes viable if these requirements are relaxed: requirements.nodes\n" in result.output


def test_the_search_is_bounded(cli, tmp_path, monkeypatch):
    from orchlint.compare import whatif

    monkeypatch.setattr(whatif, "MAX_EVALUATIONS", 1)
    text = "orchlint: 1\nname: x\nrequirements:\n  nodes: 9000\n  storage:\n    types: [aws-ebs]\n"
    result = cli("check", write(tmp_path, text), "--explain-fail", "--platform", "kubernetes", "--fail-on", "warn")
    assert "requirements.nodes, requirements.storage (search bounded: this set works, a smaller one may too)" in result.output


def test_the_review_document_uses_the_search(cli):
    text = cli("report", LARGE).output
    assert "- **Kubernetes** (`kubernetes`): these would have to be relaxed: `nodes`.\n" in text
    # A platform past its end of life is out of the running whatever the file says: one line.
    assert "- Mesosphere DC/OS (`dcos`): Mesosphere DC/OS is end-of-life since 2021-10-31 (`lifecycle.maintained`)" in text


@pytest.mark.parametrize("command", ["check", "what-if"])
def test_standard_input_that_is_closed_is_a_clear_error(command):
    """`-` with no standard input at all (fd 0 closed, so sys.stdin is None): exit 2, no traceback."""
    import os
    import subprocess
    import sys

    from ..conftest import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHLINT_")}
    env["ORCHLINT_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    args = [command, "-"] + (["--set", "nodes=3"] if command == "what-if" else [])
    result = subprocess.run(
        [sys.executable, "-m", "orchlint", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
        preexec_fn=lambda: os.close(0),
    )
    assert result.returncode == 2
    assert "<stdin>:1:1 error cannot read file: there is no standard input" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def _alias_bomb() -> str:
    levels = ["&a0 [1,1,1,1,1,1,1,1,1]"]
    for i in range(1, 12):
        levels.append(f"&a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "[" + ", ".join(levels) + "]"  # about 500 bytes, 9**11 values expanded


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (_alias_bomb(), "more than 100,000 values"),
        ("[" * 5000 + "]" * 5000, "nesting is deeper than"),
        ("&a [*a]", "nesting is deeper than"),  # self-referencing
    ],
    ids=["alias-bomb", "deep", "self-reference"],
)
def test_set_values_go_through_the_bounded_loader(cli, value, said):
    result = cli("what-if", str(EXAMPLES / "logzio.yaml"), "--set", f"requirements.nodes={value}")
    assert result.exit_code == 2
    assert said in result.output and "Traceback" not in result.output
    assert len(result.output) < 1000  # the option is named, not echoed whole


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_control_characters_in_a_waiver_never_reach_the_what_if(cli, tmp_path, fmt):
    """Issue 17.14: a waiver's owner with raw ESC, OSC 52 or a bidi override is shown escaped."""
    text = "orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n" + HOSTILE_WAIVER
    path = write(tmp_path, text, "svc\x1b]52;c;aGk=\x07.yaml")
    result = cli("what-if", path, "--unset", "waivers", "--set", f"name={HOSTILE_YAML}", "--format", fmt)
    assert result.exit_code == 1, result.output
    assert raw_controls(result.output) == []
    assert "\\u202egnp.exe" in result.output + re.sub(r"\\(.)", r"\1", result.output)


def test_control_characters_never_reach_what_ifs_errors(cli, tmp_path):
    path = write(tmp_path, f"orchlint: 1\nname: x\nrequirements:\n  nodez: {HOSTILE_YAML}\n", "svc\x1b]52;c;aGk=\x07\u202e.yaml")
    result = cli("what-if", path, "--set", "requirements.nodes=1")
    assert result.exit_code == 2
    assert raw_controls(result.stderr) == []
    assert "svc\\x1b]52;c;aGk=\\x07\\u202e.yaml:4:3 error requirements.nodez: unknown key 'nodez'" in result.stderr
