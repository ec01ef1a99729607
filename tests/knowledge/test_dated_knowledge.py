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


# Each platform's verdicts flip on the day of the release (or the raised quota, or the end of
# support) that changed the fact: the day before and the day itself, with the release named.
FLIPS = [
    # platform, rule, requirements, day before, verdict then, release day, verdict from then, what changed
    ("kubernetes", "scale.node-limit", "  nodes: 3000\n", "2017-03-27", "fail", "2017-03-28", "pass", "v1.6: 5,000 nodes"),
    ("kubernetes", "health.checks", "  health_checks: [startup]\n", "2020-03-24", "fail", "2020-03-25", "warn", "v1.18: startup probes beta"),
    ("kubernetes", "health.checks", "  health_checks: [startup]\n", "2020-12-07", "warn", "2020-12-08", "pass", "v1.20: startup probes GA"),
    ("kubernetes", "storage.types", "  storage:\n    types: [aws-ebs]\n", "2022-08-22", "pass", "2022-08-23", "warn", "v1.25: EBS only through the CSI driver"),
    ("kubernetes", "storage.types", "  storage:\n    types: [gce-pd]\n", "2022-08-22", "pass", "2022-08-23", "warn", "v1.25: PD only through the CSI driver"),
    ("kubernetes", "storage.types", "  storage:\n    types: [azure-disk]\n", "2022-05-02", "pass", "2022-05-03", "warn", "v1.24: Azure Disk only through CSI"),
    ("kubernetes", "storage.types", "  storage:\n    types: [ceph]\n", "2024-08-12", "pass", "2024-08-13", "warn", "v1.31: in-tree cephfs and rbd removed"),
    ("kubernetes", "workload.types", "  workloads: [big-data]\n", "2021-03-01", "warn", "2021-03-02", "pass", "Spark 3.1.1: Kubernetes GA"),
    ("nomad", "licence.osi-approved", "  osi_approved_license: true\n", "2023-12-06", "pass", "2023-12-07", "fail", "1.7.0: first BUSL release"),
    ("nomad", "maturity.production-ready", "  production: true\n", "2020-12-07", "fail", "2020-12-08", "pass", "1.0.0 GA"),
    ("nomad", "health.checks", "  health_checks: [http]\n", "2022-10-03", "warn", "2022-10-04", "pass", "1.4.0: native service checks"),
    ("nomad", "autoscaling.metric-based", "  autoscaling:\n    enabled: true\n", "2020-07-08", "fail", "2020-07-09", "warn", "Nomad Autoscaler 0.1.0 (add-on)"),
    ("ecs", "autoscaling.metric-based", "  autoscaling:\n    enabled: true\n", "2016-05-17", "fail", "2016-05-18", "pass", "Service Auto Scaling"),
    ("ecs", "networking.mode", "  networking:\n    mode: host\n", "2016-08-15", "fail", "2016-08-16", "pass", "networkMode host"),
    ("ecs", "scale.node-limit", "  nodes: 3000\n", "2022-04-04", "fail", "2022-04-05", "pass", "quota raised to 5,000"),
    ("ecs", "scale.node-limit", "  nodes: 1500\n", "2018-12-13", "fail", "2018-12-14", "pass", "quota raised to 2,000"),
    ("swarm", "deploy.rollback", "  rollback: true\n", "2017-01-17", "fail", "2017-01-18", "pass", "1.13.0: service update --rollback"),
    ("swarm", "networking.mode", "  networking:\n    mode: host\n", "2017-06-27", "fail", "2017-06-28", "pass", "17.06.0: host networking for services"),
    ("swarm", "workload.types", "  workloads: [batch]\n", "2020-12-07", "warn", "2020-12-08", "pass", "20.10.0: swarm jobs"),
    ("swarm", "vendor.support", "  vendor_support: required\n", "2016-09-19", "fail", "2016-09-20", "pass", "CS Engine 1.12.1-cs1"),
    ("mesos-marathon", "storage.types", "  storage:\n    types: [local-persistent]\n", "2018-03-13", "warn", "2018-03-14", "pass", "1.6.322: local volumes out of beta"),
    ("mesos-marathon", "workload.colocated-containers", "  colocated_containers: true\n", "2017-02-16", "fail", "2017-02-17", "pass", "1.4.0: pods"),
    ("mesos-marathon", "networking.mode", "  networking:\n    mode: flat\n", "2017-09-06", "warn", "2017-09-07", "pass", "1.5.0: container networking"),
    ("mesos-marathon", "vendor.support", "  vendor_support: required\n", "2021-10-30", "pass", "2021-10-31", "fail", "D2iQ ends DC/OS support"),
    ("dcos", "workload.colocated-containers", "  colocated_containers: true\n", "2017-03-27", "fail", "2017-03-28", "warn", "1.9.0: pods in preview"),
    ("dcos", "workload.colocated-containers", "  colocated_containers: true\n", "2018-03-07", "warn", "2018-03-08", "pass", "1.11.0: pods GA"),
    ("dcos", "networking.mode", "  networking:\n    mode: flat\n", "2017-09-07", "warn", "2017-09-08", "pass", "1.10.0: overlay out of preview"),
    ("dcos", "vendor.support", "  vendor_support: required\n", "2021-10-30", "pass", "2021-10-31", "fail", "end of life"),
]


@pytest.mark.parametrize(("platform", "rule", "requirements", "before", "then", "day", "now", "why"), FLIPS, ids=[f"{f[0]}-{f[7]}" for f in FLIPS])
def test_verdict_flips_on_the_release_date(cli, tmp_path, platform, rule, requirements, before, then, day, now, why):
    assert severity(cli, tmp_path, platform, rule, requirements, before) == then
    assert severity(cli, tmp_path, platform, rule, requirements, day) == now


def test_every_platform_has_at_least_three_release_flips():
    counted = {platform: sum(1 for f in FLIPS if f[0] == platform) for platform in {f[0] for f in FLIPS}}
    assert sorted(counted) == ["dcos", "ecs", "kubernetes", "mesos-marathon", "nomad", "swarm"]
    assert min(counted.values()) >= 3, counted


def test_kubernetes_nfs_stays_in_tree(cli, tmp_path):
    assert severity(cli, tmp_path, "kubernetes", "storage.types", "  storage:\n    types: [nfs]\n", "2026-11-23") == "pass"


def test_marathon_flat_networking_is_corrected_from_the_posts(cli, tmp_path):
    req = "  networking:\n    mode: flat\n"
    assert severity(cli, tmp_path, "mesos-marathon", "networking.mode", req, "2021-04-23") == "pass"
    platforms = cli("platforms", "--platform", "mesos-marathon").output
    block = platforms[platforms.index("network.flat") :]
    assert "the posts said:" in block.split("network.host")[0]


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


def test_stale_lists_only_facts_not_verified_recently(cli, monkeypatch):
    # Every built-in fact was re-checked on 2026-11-23 (today in the tests), so none is stale
    # even with --stale 0; a year on, every one of them is.
    assert cli("platforms", "--stale", "0").output == "no fact is older than 0 years (verified before 2026-11-23)\n"
    monkeypatch.setenv("ORCHLINT_TODAY", "2027-12-01")
    later = cli("platforms", "--stale", "1", "--platform", "swarm").output
    assert "verified 2026-11-23" in later and "lifecycle" in later
    nothing = cli("platforms", "--stale", "100")
    assert nothing.exit_code == 0 and "no fact is older than 100 years" in nothing.output


def test_platforms_as_of_shows_the_facts_of_that_day(cli):
    old = cli("platforms", "--platform", "nomad", "--as-of", "2022-01-01").output
    new = cli("platforms", "--platform", "nomad").output
    assert '"spdx": "MPL-2.0"' in old and '"spdx": "BUSL-1.1"' not in old
    assert '"spdx": "BUSL-1.1"' in new
