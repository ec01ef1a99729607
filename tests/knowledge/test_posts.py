"""The posts' own cases: their conclusions as of the posts' date, and today's verdicts."""

from __future__ import annotations

import json

import pytest

from ..conftest import EXAMPLES, POSTS_DATE


def verdicts(cli, example: str, *extra: str) -> dict[str, str]:
    result = cli("check", str(EXAMPLES / example), "--format", "json", *extra)
    data = json.loads(result.output)
    assert data["files"][0]["errors"] == []
    return {p["id"]: p["verdict"] for p in data["files"][0]["platforms"]}


def rules_failing(cli, example: str, platform: str, *extra: str) -> set[str]:
    data = json.loads(cli("check", str(EXAMPLES / example), "--format", "json", *extra).output)
    found = next(p for p in data["files"][0]["platforms"] if p["id"] == platform)
    return {f["rule"] for f in found["findings"] if f["severity"] == "fail"}


@pytest.mark.parametrize("when", [POSTS_DATE.isoformat(), None], ids=["posts-date", "today"])
def test_logzio_swarm_ecs_dcos_fail_and_kubernetes_does_not(cli, when):
    extra = ("--as-of", when) if when else ()
    v = verdicts(cli, "logzio.yaml", *extra)
    assert v["swarm"] == v["ecs"] == v["dcos"] == "fail"
    assert v["kubernetes"] == "pass"


def test_logzio_reasons_match_post_1(cli):
    date = ("--as-of", POSTS_DATE.isoformat())
    assert "maturity.production-ready" in rules_failing(cli, "logzio.yaml", "swarm", *date)
    assert "portability.cloud-agnostic" in rules_failing(cli, "logzio.yaml", "ecs", *date)
    assert "maturity.production-ready" in rules_failing(cli, "logzio.yaml", "nomad", *date)
    assert {"licence.free-edition", "vendor.neutral-governance"} <= rules_failing(cli, "logzio.yaml", "dcos", *date)


def test_post_2_conclusion_holds_on_the_posts_date(cli):
    v = verdicts(cli, "vendor-backed.yaml", "--as-of", POSTS_DATE.isoformat())
    assert v["mesos-marathon"] != "fail" and v["dcos"] != "fail"
    assert v["kubernetes"] == "fail"


def test_post_2_conclusion_no_longer_holds_today(cli):
    v = verdicts(cli, "vendor-backed.yaml")
    assert v["mesos-marathon"] == v["dcos"] == "fail"
    assert "lifecycle.maintained" in rules_failing(cli, "vendor-backed.yaml", "dcos")


def test_more_than_5000_nodes_rules_out_kubernetes_not_mesos(cli):
    date = ("--as-of", POSTS_DATE.isoformat())
    assert "scale.node-limit" in rules_failing(cli, "large-cluster.yaml", "kubernetes", *date)
    assert "scale.node-limit" not in rules_failing(cli, "large-cluster.yaml", "mesos-marathon", *date)


def test_external_volumes_keep_marathon_at_one_instance(cli):
    assert "storage.external-volume-scaling" in rules_failing(cli, "stateful-scale-out.yaml", "mesos-marathon")
    assert "storage.external-volume-scaling" not in rules_failing(cli, "stateful-scale-out.yaml", "kubernetes")
