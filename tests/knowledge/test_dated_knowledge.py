"""Facts with time: each change in shared/facts.md flips a verdict on the right day."""

from __future__ import annotations

import json

import pytest

from ..conftest import EXAMPLES, write


def severity(cli, tmp_path, platform: str, rule: str, requirements: str, day: str, requirement: str | None = None) -> str:
    path = write(tmp_path, f"orchlint: 1\nname: x\nrequirements:\n{requirements}")
    data = json.loads(cli("check", path, "--platform", platform, "--as-of", day, "--format", "json").output)
    findings = [f for f in data["files"][0]["platforms"][0]["findings"] if f["rule"] == rule]
    if requirement is not None:
        findings = [f for f in findings if f["requirement"] == requirement]
    assert len(findings) == 1, findings
    return findings[0]["severity"]


@pytest.mark.parametrize(
    ("platform", "day", "expected"),
    [
        ("dcos", "2020-09-30", "pass"),
        ("dcos", "2020-10-01", "warn"),  # sunset announced
        ("dcos", "2021-10-30", "warn"),
        ("dcos", "2021-10-31", "fail"),  # end of life
        ("mesos-marathon", "2021-04-23", "warn"),
        ("mesos-marathon", "2021-10-31", "fail"),  # Marathon unmaintained
        ("mesos-marathon", "2025-08-20", "fail"),  # Apache Mesos retired
        ("kubernetes", "2026-11-23", "pass"),
        ("swarm", "2026-11-23", "pass"),  # Mirantis support to 2030 is not an end of life
    ],
)
def test_lifecycle_flips_on_the_end_date(cli, tmp_path, platform, day, expected):
    assert severity(cli, tmp_path, platform, "lifecycle.maintained", "  production: true\n", day) == expected


def test_retired_mesos_cites_the_attic(cli, tmp_path):
    path = write(tmp_path, "orchlint: 1\nname: x\n")
    data = json.loads(cli("check", path, "--platform", "mesos-marathon", "--format", "json").output)
    finding = next(f for f in data["files"][0]["platforms"][0]["findings"] if f["rule"] == "lifecycle.maintained")
    assert "attic.apache.org" in json.dumps(finding["sources"])
    assert finding["fact"]["valid_from"] == "2025-08-20"


@pytest.mark.parametrize(("day", "expected"), [("2023-08-09", "pass"), ("2023-08-10", "fail"), ("2026-11-23", "fail")])
def test_nomad_licence_flips_to_busl(cli, tmp_path, day, expected):
    assert severity(cli, tmp_path, "nomad", "licence.osi-approved", "  osi_approved_license: true\n", day) == expected


@pytest.mark.parametrize(
    ("storage_type", "last_in_tree", "removed"),
    [("aws-ebs", "2023-04-10", "2023-04-11"), ("azure-disk", "2023-04-10", "2023-04-11"),
     ("gce-pd", "2023-08-14", "2023-08-15"), ("ceph", "2024-08-12", "2024-08-13")],
)
def test_kubernetes_in_tree_volume_removal_warns_from_the_release(cli, tmp_path, storage_type, last_in_tree, removed):
    req = f"  storage:\n    types: [{storage_type}]\n"
    assert severity(cli, tmp_path, "kubernetes", "storage.types", req, last_in_tree) == "pass"
    assert severity(cli, tmp_path, "kubernetes", "storage.types", req, removed) == "warn"


def test_kubernetes_nfs_stays_in_tree(cli, tmp_path):
    assert severity(cli, tmp_path, "kubernetes", "storage.types", "  storage:\n    types: [nfs]\n", "2026-11-23") == "pass"


def test_marathon_local_volumes_left_beta(cli, tmp_path):
    req = "  storage:\n    types: [local-persistent]\n"
    assert severity(cli, tmp_path, "mesos-marathon", "storage.types", req, "2017-09-30") == "warn"
    assert severity(cli, tmp_path, "mesos-marathon", "storage.types", req, "2017-10-01") == "pass"


def test_marathon_flat_networking_is_corrected_from_the_posts(cli, tmp_path):
    req = "  networking:\n    mode: flat\n"
    assert severity(cli, tmp_path, "mesos-marathon", "networking.mode", req, "2021-04-23") == "pass"
    platforms = cli("platforms", "--platform", "mesos-marathon").output
    block = platforms[platforms.index("network.flat") :]
    assert "the posts said:" in block.split("network.host")[0]


@pytest.mark.parametrize(("day", "expected"), [("2020-12-07", "fail"), ("2020-12-08", "pass")])
def test_kubernetes_startup_probe_arrives_in_1_20(cli, tmp_path, day, expected):
    assert severity(cli, tmp_path, "kubernetes", "health.checks", "  health_checks: [startup]\n", day) == expected


def test_marathon_level_http_checks_are_deprecated(cli, tmp_path):
    assert severity(cli, tmp_path, "mesos-marathon", "health.checks", "  health_checks: [http]\n", "2021-04-23") == "warn"


@pytest.mark.parametrize(("day", "expected"), [("2021-05-25", "fail"), ("2021-05-26", "warn")])
def test_ecs_anywhere_qualifies_the_aws_only_claim(cli, tmp_path, day, expected):
    assert severity(cli, tmp_path, "ecs", "portability.on-premises", "  on_premises: true\n", day) == expected
    assert severity(cli, tmp_path, "ecs", "portability.cloud-agnostic", "  cloud_agnostic: true\n", day) == "fail"


def test_since_explains_each_change_with_its_source(cli):
    result = cli("check", str(EXAMPLES / "vendor-backed.yaml"), "--format", "json")
    review = json.loads(result.output)["files"][0]["rereview"]
    assert review["since"] == "2021-04-23" and review["basis"] == "decided"
    dcos = next(p for p in review["platforms"] if p["id"] == "dcos")
    assert (dcos["then"], dcos["now"]) == ("warn", "fail")
    lifecycle = next(c for c in dcos["changes"] if c["rule"] == "lifecycle.maintained")
    assert (lifecycle["then"], lifecycle["now"]) == ("warn", "fail")
    assert lifecycle["fact_now"]["value"]["end"] == "2021-10-31"
    assert lifecycle["fact_now"]["sources"]


def test_since_option_overrides_and_text_names_the_fact(cli, tmp_path):
    path = write(tmp_path, "orchlint: 1\nname: x\ntarget: dcos\nrequirements:\n  production: true\n")
    result = cli("check", path, "--since", "2020-06-01")
    assert result.exit_code == 1
    assert f"{path}: re-review, --since 2020-06-01 → as of 2026-11-23" in result.output
    assert "  dcos: pass → fail" in result.output
    assert "lifecycle.maintained pass → fail: Mesosphere DC/OS is end-of-life since 2021-10-31" in result.output
    assert '(lifecycle: {"status": "active"} → {"end": "2021-10-31", "status": "end-of-life"}, since 2020-10-01' in result.output


def test_no_rereview_without_since_or_decided(cli, tmp_path):
    path = write(tmp_path, "orchlint: 1\nname: x\n")
    assert json.loads(cli("check", path, "--format", "json").output)["files"][0]["rereview"] is None


def test_stale_lists_only_facts_not_verified_recently(cli):
    stale = cli("platforms", "--stale", "3").output
    assert "verified 2021-04-23" in stale
    assert "verified 2025-" not in stale and "verified 2026-" not in stale
    nothing = cli("platforms", "--stale", "100")
    assert nothing.exit_code == 0 and "no fact is older than 100 years" in nothing.output


def test_platforms_as_of_shows_the_facts_of_that_day(cli):
    old = cli("platforms", "--platform", "nomad", "--as-of", "2022-01-01").output
    new = cli("platforms", "--platform", "nomad").output
    assert '"spdx": "MPL-2.0"' in old and '"spdx": "BUSL-1.1"' not in old
    assert '"spdx": "BUSL-1.1"' in new
