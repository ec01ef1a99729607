"""The built-in Kubernetes distributions are judged with their own facts where they differ
from upstream Kubernetes, and with Kubernetes' (marked as inherited) where they do not."""

from __future__ import annotations

import json

from ..conftest import EXAMPLES

AWS = str(EXAMPLES / "aws-midsize.yaml")  # vendor support, AWS EBS storage, autoscaling on metrics


def _findings(cli, *platforms):
    args = ["check", AWS, "--format", "json", "-v"]
    for platform in platforms:
        args += ["--platform", platform]
    doc = json.loads(cli(*args).output)
    return {(p["id"], f["rule"], f["message"].split(":")[0]): f for p in doc["files"][0]["platforms"] for f in p["findings"]}


def test_eks_is_judged_with_its_own_facts_not_only_kubernetes(cli):
    found = _findings(cli, "kubernetes", "eks")
    # Support: Kubernetes only through third parties; EKS from AWS itself.
    assert found[("kubernetes", "vendor.support", "vendor support required")]["severity"] == "warn"
    eks_support = found[("eks", "vendor.support", "vendor support required")]
    assert eks_support["severity"] == "pass" and eks_support["fact"]["value"] == "single-vendor"
    assert eks_support["fact"]["inherited_from"] is None
    # EBS: limited upstream (a CSI driver the team installs); on EKS AWS's managed add-on.
    k8s_ebs = found[("kubernetes", "storage.types", "storage type 'aws-ebs'")]
    eks_ebs = found[("eks", "storage.types", "storage type 'aws-ebs'")]
    assert (k8s_ebs["severity"], eks_ebs["severity"]) == ("warn", "pass")
    assert "managed add-on" in eks_ebs["fact"]["from_release"] or "add-on" in (eks_ebs["fact"]["note"] or "")


def test_what_a_distribution_does_not_state_is_kubernetes_fact_marked_inherited(cli):
    found = _findings(cli, "eks")
    inherited = [f for f in found.values() if f["fact"] and f["fact"]["inherited_from"] == "kubernetes"]
    assert inherited, "EKS states every key itself? then nothing shows inheritance"
    assert all(f["fact"]["valid_from"] >= "2018-06-05" for f in inherited)  # not before EKS existed


def test_coverage_and_platforms_say_what_a_distribution_inherits(cli):
    result = cli("platforms", "--platform", "eks")
    assert result.exit_code == 0
    assert "based on kubernetes: states" in result.output and "its own: " in result.output
