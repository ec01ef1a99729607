"""Every command and exit code, through click's CliRunner and one real subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from ..conftest import EXAMPLES, broken_plugin, write

LOGZIO = str(EXAMPLES / "logzio.yaml")


def test_check_text_lists_findings_and_a_verdict_matrix(cli):
    result = cli("check", LOGZIO)
    lines = result.output.splitlines()
    assert any(line.startswith(f"{LOGZIO}:") and " swarm fail vendor.neutral-governance " in line for line in lines)
    header = next(line for line in lines if line.strip().startswith("aks") and line.rstrip().endswith("viable"))
    assert header.split() == ["aks", "dcos", "ecs", "eks", "gke", "kubernetes", "mesos-marathon", "nomad", "openshift", "swarm", "viable"]
    row = next(line for line in lines if line.startswith(LOGZIO) and line.rstrip().endswith("kubernetes"))
    # ecs fails, and one requirement of the file (its community's size) is unknown for it.
    assert row.split()[1:] == ["fail", "fail", "fail?1", "fail", "fail", "pass", "fail", "fail", "fail", "fail", "kubernetes"]
    assert result.exit_code == 0


def test_text_findings_fit_160_characters_and_the_target_comes_first(cli):
    lines = cli("check", str(EXAMPLES / "checkout-platform.yaml")).output.splitlines()
    findings = [line for line in lines if re.match(re.escape(str(EXAMPLES / "checkout-platform.yaml")) + r":\d+:\d+ ", line)]
    assert findings and max(len(line) - len(str(EXAMPLES)) + len("examples") for line in findings) <= 160
    assert findings[0].split()[1] == "kubernetes"  # the target decides, so it is said first
    # End-of-life platforms are out of the running whatever the file says: one line each.
    assert [line.split()[1] for line in findings[-2:]] == ["dcos", "mesos-marathon"]
    assert sum(" dcos " in line for line in findings) == 1
    verbose = [line for line in cli("check", str(EXAMPLES / "checkout-platform.yaml"), "-v").output.splitlines() if " dcos " in line]
    assert len(verbose) > 5 and any("verified 2026-11-23" in line for line in verbose)


def test_exit_1_when_the_target_is_not_viable(cli, tmp_path):
    path = write(tmp_path, "orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n")
    result = cli("check", path)
    assert result.exit_code == 1
    assert f"{path}:5:10 kubernetes fail scale.node-limit" in result.output


def test_platform_option_limits_and_decides(cli, tmp_path):
    path = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  nodes: 9000\n")
    only_k8s = cli("check", path, "--platform", "kubernetes", "--format", "json")
    data = json.loads(only_k8s.output)
    assert [p["id"] for p in data["files"][0]["platforms"]] == ["kubernetes"]
    assert only_k8s.exit_code == 1
    assert cli("check", path, "--platform", "kubernetes", "--platform", "mesos-marathon", "--as-of", "2019-01-01").exit_code == 0


def test_no_target_means_exit_1_only_when_no_platform_is_viable(cli, tmp_path):
    some = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  nodes: 9000\n", "some.yaml")
    assert cli("check", some, "--as-of", "2019-01-01").exit_code == 0
    none = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  nodes: 9000000\n  vendor_neutral: true\n", "none.yaml")
    assert cli("check", none).exit_code == 1


def test_fail_on_warn_and_never(cli, tmp_path):
    path = write(tmp_path, "orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  storage:\n    types: [aws-ebs]\n")
    assert cli("check", path).exit_code == 0  # a warning: the in-tree EBS plugin is gone, CSI needed
    assert cli("check", path, "--fail-on", "warn").exit_code == 1
    assert cli("check", write(tmp_path, "orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n", "n.yaml"), "--fail-on", "never").exit_code == 0


def test_unknown_platform_and_format_are_usage_errors(cli):
    result = cli("check", LOGZIO, "--platform", "kubernets")
    assert result.exit_code == 2
    assert "did you mean 'kubernetes'?" in result.output
    result = cli("check", LOGZIO, "--format", "jsn")
    assert result.exit_code == 2
    assert "did you mean 'json'?" in result.output
    result = cli("check", LOGZIO, "--as-of", "2021-02-30")
    assert result.exit_code == 2
    assert "expected a date as YYYY-MM-DD" in result.output


def test_json_shape_is_stable(cli):
    data = json.loads(cli("check", LOGZIO, "--format", "json").output)
    assert data["as_of"] == "2026-11-23"
    file = data["files"][0]
    assert set(file) >= {"path", "errors", "platforms"}
    platform = file["platforms"][0]
    assert set(platform) >= {"id", "verdict", "findings"}
    finding = platform["findings"][0]
    assert set(finding) >= {"rule", "platform", "severity", "message", "requirement", "line", "column", "sources"}
    assert all(f["sources"] for p in file["platforms"] for f in p["findings"])


def test_stdin_is_read_with_dash(cli):
    result = cli("check", "-", "--format", "json", input="orchlint: 1\nname: x\nrequirements:\n  production: true\n")
    data = json.loads(result.output)
    assert data["files"][0]["path"] == "<stdin>"


def test_output_file_is_written_whole(cli, tmp_path):
    out = tmp_path / "report.json"
    result = cli("check", LOGZIO, "--format", "text", "--format", f"json:{out}")
    assert result.exit_code == 0
    assert json.loads(out.read_text())["files"][0]["path"] == LOGZIO
    assert list(tmp_path.iterdir()) == [out]


def test_unwritable_output_is_refused_before_work(cli, tmp_path):
    result = cli("check", LOGZIO, "--format", f"json:{tmp_path}/missing-dir/out.json")
    assert result.exit_code == 2
    assert "missing or not writable" in result.output


def test_rules_explain_platforms_schema(cli):
    rules = cli("rules")
    assert rules.exit_code == 0
    assert "scale.node-limit" in rules.output and "§Performance and scalability" in rules.output
    explained = cli("explain", "scale.node-limit")
    assert explained.exit_code == 0
    assert "requirement: requirements.nodes" in explained.output and "FAIL" in explained.output
    unknown = cli("explain", "scale.node-limt")
    assert unknown.exit_code == 2 and "did you mean 'scale.node-limit'?" in unknown.output
    platforms = cli("platforms", "--platform", "kubernetes")
    assert platforms.exit_code == 0
    assert "max_nodes = 5000" in platforms.output and "verified" in platforms.output
    schema = json.loads(cli("schema").output)
    assert schema["$schema"].endswith("2020-12/schema")
    assert "nodes" in schema["properties"]["requirements"]["properties"]


def test_init_writes_a_valid_starter_and_will_not_overwrite(cli, tmp_path):
    target = tmp_path / "orchlint.yaml"
    assert cli("init", str(target)).exit_code == 0
    assert cli("check", str(target), "--fail-on", "never").exit_code == 0
    again = cli("init", str(target))
    assert again.exit_code == 2 and "already exists" in again.output
    assert cli("init", str(target), "--force").exit_code == 0
    assert "orchlint: 1" in cli("init", "-").output


def test_plugin_errors_exit_3_and_other_findings_remain(cli, tmp_path):
    plugin = broken_plugin(tmp_path, duplicate=True)
    result = cli("check", LOGZIO, "--plugin", str(plugin), "--format", "json")
    data = json.loads(result.output)
    assert result.exit_code == 3
    messages = [e["message"] for e in data["plugin_errors"]]
    assert any("duplicate rule id 'scale.node-limit'" in m for m in messages)
    # The plugin that came second is the one blamed, and the built-in rule keeps its id.
    duplicate = next(e for e in data["plugin_errors"] if "duplicate rule id" in e["message"])
    assert duplicate["plugin"] == str(plugin)
    assert "already registered by orchlint.rules" in duplicate["message"]
    explained = cli("explain", "scale.node-limit", "--plugin", str(plugin))
    assert explained.output.startswith("scale.node-limit: Peak nodes fit in one cluster\nplugin: orchlint.rules")
    assert any("acme.broken raised ValueError('broken on purpose')" in m for m in messages)
    assert any(f["rule"] == "maturity.production-ready" for p in data["files"][0]["platforms"] for f in p["findings"])


def test_a_plugin_that_cannot_import_is_named(cli):
    result = cli("check", LOGZIO, "--plugin", "no_such_module_xyz")
    assert result.exit_code == 3
    assert "plugin error: no_such_module_xyz: failed to import" in result.output


def test_blocking_the_builtin_rules_leaves_nothing_to_run_which_is_an_error(cli):
    # It once left no findings and exit 0: the gate switched off without a word (issue 17).
    result = cli("check", LOGZIO, "--block", "orchlint.rules", "--format", "json")
    assert result.exit_code == 2 and "no rule judged this file" in result.output


def test_real_subprocess_version_and_exit_code(tmp_path):
    path = write(tmp_path, "orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n")
    run = subprocess.run([sys.executable, "-m", "orchlint", "check", path], capture_output=True, text=True)
    assert run.returncode == 1
    assert "scale.node-limit" in run.stdout
    version = subprocess.run([sys.executable, "-m", "orchlint", "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("orchlint, version ")


def test_report_files_get_an_ordinary_file_mode(cli, tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        out = tmp_path / "r.json"
        cli("check", LOGZIO, "--format", f"json:{out}")
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o600)
        cli("check", LOGZIO, "--format", f"json:{out}")
        assert stat.S_IMODE(out.stat().st_mode) == 0o600  # an existing file keeps its mode
    finally:
        os.umask(old)
