"""Linting a requirements file reports every independent error in one run (issue 18, item 8):
a misspelt target or waiver platform is said beside the schema's errors, not after they are
fixed."""

from __future__ import annotations

import json

from ..conftest import write

BROKEN = """\
orchlint: 1
name: svc
target: kubernets
requirements:
  nodez: 10
  nodes: many
waivers:
  - rule: scale
    platform: nomd
    requirement: storag
    reason: r
    owner: o
    expires: 2027-01-01
"""


def test_schema_errors_and_unknown_names_are_reported_together(cli, tmp_path):
    path = write(tmp_path, BROKEN)
    result = cli("check", path, "--format", "json")
    assert result.exit_code == 2
    (file,) = json.loads(result.stdout)["files"]
    assert [(e["line"], e["column"], e["message"]) for e in file["errors"]] == [
        (3, 9, "target: unknown platform 'kubernets' (did you mean 'kubernetes'?)"),
        (5, 3, "requirements.nodez: unknown key 'nodez' (did you mean 'nodes'?); expected one of: " + file["errors"][1]["message"].split("expected one of: ")[1]),
        (6, 10, 'requirements.nodes: expected integer, got string "many"'),
        (9, 15, "waivers[0].platform: unknown platform 'nomd' (did you mean 'nomad'?)"),
        (10, 18, "waivers[0].requirement: unknown requirement 'storag' (did you mean 'storage'?)"),
    ]


def test_a_part_the_schema_refuses_is_not_checked_again(cli, tmp_path):
    # A target that is not a platform id at all, and a waiver without its expiry: the schema's
    # errors alone, each said once.
    path = write(tmp_path, BROKEN.replace("target: kubernets", "target: Kubernetes!").replace("    expires: 2027-01-01\n", ""))
    (file,) = json.loads(cli("check", path, "--format", "json").stdout)["files"]
    messages = [e["message"] for e in file["errors"]]
    assert sum(m.startswith("target:") for m in messages) == 1 and "unknown platform" not in " ".join(messages)
    assert "waivers[0]: missing required key 'expires'" in messages
    assert not any(m.startswith("waivers[0].platform") for m in messages)
