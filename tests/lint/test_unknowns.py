"""Unknown is its own result: never a warning, gated apart, and never rewarded by the ranking.

Swarm documents no node limit (a researched unknown), so a file asking for nodes gives Swarm an
unknown must-have requirement while the other maintained platforms are fully known.
"""

from __future__ import annotations

import json

from ..conftest import write

FILE = "orchlint: 1\nname: svc\nrequirements:\n  nodes: 300\n  workloads: [containers]\n  production: true\n"


def test_an_unknown_is_its_own_severity_and_does_not_fail_the_gate(cli, tmp_path):
    path = write(tmp_path, FILE)
    result = cli("check", path, "--platform", "swarm")
    assert result.exit_code == 0
    assert f"{path}:4:10 swarm unknown scale.node-limit 300 nodes per cluster: unknown — researched" in result.output
    assert " warn " not in result.output
    row = next(line for line in result.output.splitlines() if line.startswith(path) and line.rstrip().endswith("swarm?"))
    assert row.split()[1] == "pass?1"  # passes, with one requirement orchlint cannot judge
    assert ", 1 unknown;" in result.output.splitlines()[-1]


def test_fail_on_unknown_gates_unknowns_from_the_command_line_or_the_configuration(cli, tmp_path):
    path = write(tmp_path, FILE)
    assert cli("check", path, "--platform", "swarm", "--fail-on-unknown").exit_code == 1
    assert cli("check", path, "--platform", "kubernetes", "--fail-on-unknown").exit_code == 0  # fully known
    (tmp_path / ".orchlint.yaml").write_text("fail_on_unknown: true\n")
    assert cli("check", path, "--platform", "swarm", "--config", str(tmp_path / ".orchlint.yaml")).exit_code == 1
    assert cli("check", path, "--platform", "swarm", "--config", str(tmp_path / ".orchlint.yaml"), "--no-fail-on-unknown").exit_code == 0


def test_fail_on_warn_does_not_fail_on_ignorance(cli, tmp_path):
    path = write(tmp_path, FILE)
    assert cli("check", path, "--platform", "swarm", "--fail-on", "warn").exit_code == 0


def test_a_severity_override_never_touches_an_unknown(cli, tmp_path):
    path = write(tmp_path, FILE)
    result = cli("check", path, "--platform", "swarm", "--severity", "scale.node-limit=fail", "--format", "json")
    (finding,) = [f for f in json.loads(result.output)["files"][0]["platforms"][0]["findings"] if f["rule"] == "scale.node-limit"]
    assert finding["severity"] == "unknown" and result.exit_code == 0
    assert cli("check", path, "--platform", "kubernetes", "--severity", "scale.node-limit=fail").exit_code == 0  # a pass stays a pass


def test_json_says_how_much_of_what_the_file_needs_is_known(cli, tmp_path):
    path = write(tmp_path, FILE)
    data = json.loads(cli("check", path, "--format", "json").output)
    platforms = {p["id"]: p for p in data["files"][0]["platforms"]}
    assert (platforms["swarm"]["known"], platforms["swarm"]["needed"], platforms["swarm"]["unknown_must"]) == (3, 4, 1)
    assert platforms["kubernetes"]["known"] == platforms["kubernetes"]["needed"] == 4
    assert data["fail_on_unknown"] is False and data["summary"]["findings"]["unknown"] == 1


def test_the_ranking_never_recommends_a_platform_for_what_orchlint_does_not_know(cli, tmp_path):
    path = write(tmp_path, FILE)
    review = cli("report", path).output
    summary = review[review.index("## Executive summary") : review.index("## Decision table")]
    assert "Recommended:" in summary and "Docker Swarm" not in summary
    section = review[review.index("## Decision table") : review.index("## What orchlint does not know")]
    ranking = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    passing = [line.split("`")[1] for line in ranking if "✅ pass" in line]
    assert passing[-1] == "swarm"  # same verdict as the fully known platforms, so it ranks after them


def test_when_nothing_fully_known_is_viable_the_review_says_so_and_names_what_to_know(cli, tmp_path):
    path = write(tmp_path, FILE)
    review = cli("report", path, "--platform", "swarm").output
    assert "**No platform is known to meet every must-have requirement.**" in review
    assert "Docker Swarm (swarm mode) would be viable if orchlint knew: `requirements.nodes`." in review
    assert "Recommended:" not in review


def test_viable_and_the_fleet_list_fully_known_platforms_first(cli, tmp_path):
    one = write(tmp_path, FILE, "one.yaml")
    two = write(tmp_path, FILE.replace("300", "200"), "two.yaml")
    output = cli("check", one, two, "--platform", "swarm", "--platform", "kubernetes").output
    row = next(line for line in output.splitlines() if line.split()[:1] == [one])  # the matrix row
    assert row.rstrip().endswith("kubernetes, swarm?")
    assert "fleet: kubernetes 2/2, swarm 2/2 (2 with unknown must-haves) files viable" in output


def test_text_says_how_much_of_what_the_file_needs_is_known_where_something_is_not(cli, tmp_path):
    path = write(tmp_path, FILE)
    output = cli("check", path).output
    assert f"{path}: swarm: orchlint knows 3 of the 4 facts this file needs (1 unknown, 1 of them must-have)" in output
    assert f"{path}: kubernetes: orchlint knows" not in output  # fully known: nothing to say
