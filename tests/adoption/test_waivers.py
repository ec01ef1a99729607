"""Waivers: a waived finding is reported as waived and stops counting; expiry, unused, malformed."""

from __future__ import annotations

import json

import pytest

from orchlint.cli.starter import STARTER

from ..conftest import TODAY, write

HEAD = "orchlint: 1\nname: svc\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n"


def waiver(rule="scale.node-limit", expires="2027-03-31", **extra) -> str:
    lines = [f"  - rule: {rule}"]
    lines += [f"    {k}: {v}" for k, v in extra.items()]
    lines += ["    reason: two clusters from Q2", "    owner: alice", f"    expires: {expires}"]
    return "\n".join(lines) + "\n"


def test_a_waived_finding_is_reported_as_waived_and_no_longer_fails(cli, tmp_path):
    plain = write(tmp_path, HEAD, "plain.yaml")
    assert cli("check", plain).exit_code == 1
    path = write(tmp_path, HEAD + "waivers:\n" + waiver(platform="kubernetes"))
    result = cli("check", path)
    assert result.exit_code == 0
    line = next(l for l in result.output.splitlines() if " kubernetes " in l and "scale.node-limit" in l)
    assert line.startswith(f"{path}:5:10 kubernetes waived scale.node-limit 9,000 nodes exceed")
    assert line.endswith("(fail waived until 2027-03-31 by alice: two clusters from Q2; waiver at line 7)")
    # The same rule on another platform is not waived: the waiver names kubernetes.
    assert f"{path}:5:10 ecs fail scale.node-limit" in result.output
    assert "1 waived" in result.output.splitlines()[-1]


def test_waived_findings_in_json_and_markdown(cli, tmp_path):
    path = write(tmp_path, HEAD + "waivers:\n" + waiver(platform="kubernetes"))
    data = json.loads(cli("check", path, "--format", "json").output)
    k8s = next(p for p in data["files"][0]["platforms"] if p["id"] == "kubernetes")
    assert k8s["verdict"] == "pass"
    finding = next(f for f in k8s["findings"] if f["rule"] == "scale.node-limit")
    assert finding["severity"] == "fail"  # its own severity stays; the waiver says why it does not count
    assert finding["waiver"] == {
        "rule": "scale.node-limit",
        "platform": "kubernetes",
        "requirement": None,
        "reason": "two clusters from Q2",
        "owner": "alice",
        "expires": "2027-03-31",
        "line": 7,
        "column": 5,
    }
    assert data["summary"]["waived"] == 1
    # The node limits of ecs, aks and openshift, and dcos and mesos-marathon's end of life.
    assert data["summary"]["findings"]["fail"] == 5
    markdown = cli("check", path, "--format", "markdown").output
    assert "- 🔕 waived (❌ fail) `nodes`: 9,000 nodes exceed" in markdown and "Rule `scale.node-limit`, line 5." in markdown
    assert "## Accepted risks (waivers)" in markdown
    assert "| 7 | `scale.node-limit` | `kubernetes` | any | alice | 2027-03-31 | 1 finding(s) | two clusters from Q2 |" in markdown


def test_a_prefix_and_a_requirement_path_narrow_what_is_waived(cli, tmp_path):
    text = HEAD + "  storage:\n    types: [nfs, aws-ebs]\nwaivers:\n" + waiver(rule="storage", requirement="storage.types[1]")
    data = json.loads(cli("check", write(tmp_path, text), "--format", "json").output)
    for platform in data["files"][0]["platforms"]:
        for f in platform["findings"]:
            waived = f["waiver"] is not None
            assert waived == (f["requirement"] == "requirements.storage.types[1]" and f["severity"] != "pass"), f
    assert data["summary"]["waived"] >= 1


def test_a_prefix_stops_at_a_dot(cli, tmp_path):
    # "scale.node" is not a prefix of "scale.node-limit": prefixes end at a dot.
    path = write(tmp_path, HEAD + "waivers:\n" + waiver(rule="scale.node"))
    result = cli("check", path)
    assert result.exit_code == 1
    assert "notice waiver.unused" in result.output


def test_an_expired_waiver_stops_applying_and_warns_at_its_own_line(cli, tmp_path):
    path = write(tmp_path, HEAD + "waivers:\n" + waiver(platform="kubernetes", expires="2026-11-22"))
    result = cli("check", path)
    assert result.exit_code == 1  # the failure counts again
    assert f"{path}:5:10 kubernetes fail scale.node-limit" in result.output
    # With -v, as without it but never cut to fit a line.
    expired = [l for l in cli("check", path, "-v").output.splitlines() if "waiver.expired" in l]
    assert expired == [
        f"{path}:7:5 kubernetes warn waiver.expired waiver of scale.node-limit on kubernetes expired after 2026-11-22 "
        "(owner alice: two clusters from Q2); 1 finding(s) it covered count again: renew it or fix them"
    ]


def test_a_waiver_still_applies_on_its_expiry_day(cli, tmp_path):
    path = write(tmp_path, HEAD + "waivers:\n" + waiver(platform="kubernetes", expires=TODAY.isoformat()))
    assert cli("check", path).exit_code == 0
    assert cli("check", path, "--as-of", "2026-11-24").exit_code == 1


def test_an_unused_waiver_is_a_notice_that_never_changes_the_exit_code(cli, tmp_path):
    path = write(tmp_path, HEAD + "waivers:\n" + waiver(rule="scale.node-limt", platform="kubernetes"))
    result = cli("check", path)
    assert result.exit_code == 1
    assert (
        f"{path}:7:5 notice waiver.unused unused waiver of scale.node-limt on kubernetes (owner alice, expires 2027-03-31): "
        "it matches no warn or fail finding; no rule 'scale.node-limt' is loaded (did you mean 'scale.node-limit'?); remove it"
    ) in result.output
    data = json.loads(cli("check", path, "--format", "json").output)
    assert data["files"][0]["notices"][0]["kind"] == "waiver.unused"
    assert data["summary"]["notices"] == 1
    assert "## Notices" in cli("check", path, "--format", "markdown").output


def test_a_waiver_whose_risk_is_gone_is_unused(cli, tmp_path):
    # 4,000 nodes fit Kubernetes: the waiver covers only a passing finding, so it is unused.
    text = HEAD.replace("9000", "4000") + "waivers:\n" + waiver(platform="kubernetes")
    result = cli("check", write(tmp_path, text))
    assert result.exit_code == 0
    assert "notice waiver.unused unused waiver of scale.node-limit" in result.output


def test_a_waiver_for_a_platform_left_out_with_platform_is_not_called_unused(cli, tmp_path):
    path = write(tmp_path, HEAD + "waivers:\n" + waiver(platform="ecs"))
    assert "waiver.unused" not in cli("check", path, "--platform", "kubernetes").output
    assert "waiver.unused" not in cli("check", path).output  # ecs fails nodes: it is used


@pytest.mark.parametrize(
    ("entry", "line", "column", "fragment"),
    [
        ("  - rule: Scale!\n    reason: r\n    owner: o\n    expires: 2027-01-01\n", 7, 11,
         'waivers[0].rule: expected a rule id such as scale.node-limit, or a prefix such as scale, got "Scale!"'),
        ("  - rule: scale\n    reason: r\n    owner: o\n    expires: 2027-02-30\n", 10, 14,
         'waivers[0].expires: expected a date (YYYY-MM-DD), got "2027-02-30"'),
        ("  - rule: scale\n    reason: r\n    owner: o\n", 7, 5, "waivers[0]: missing required key 'expires'"),
        ("  - rule: scale\n    reason: ''\n    owner: o\n    expires: 2027-01-01\n", 8, 13, "waivers[0].reason: expected a non-empty string"),
        ("  - rule: scale\n    reason: r\n    owner: o\n    expires: 2027-01-01\n    platfrom: ecs\n", 11, 5,
         "waivers[0].platfrom: unknown key 'platfrom' (did you mean 'platform'?)"),
        ("  - rule: scale\n    platform: kubernets\n    reason: r\n    owner: o\n    expires: 2027-01-01\n", 8, 15,
         "waivers[0].platform: unknown platform 'kubernets' (did you mean 'kubernetes'?)"),
        ("  - rule: scale\n    requirement: nodez\n    reason: r\n    owner: o\n    expires: 2027-01-01\n", 8, 18,
         "waivers[0].requirement: unknown requirement 'nodez' (did you mean 'nodes'?)"),
        ("  - rule: scale\n    requirement: nodes..x\n    reason: r\n    owner: o\n    expires: 2027-01-01\n", 8, 18,
         "waivers[0].requirement: expected a requirement key path such as requirements.storage.types"),
        ("  rule: scale\n", 7, 3, "waivers: expected a list, got mapping"),
    ],
)
def test_a_malformed_waiver_is_an_input_error_with_line_and_column(cli, tmp_path, entry, line, column, fragment):
    path = write(tmp_path, HEAD + "waivers:\n" + entry)
    result = cli("check", path)
    assert result.exit_code == 2
    assert f"{path}:{line}:{column} error {fragment}" in result.output


def test_the_schema_documents_waivers_and_the_starter_file_shows_them(cli, tmp_path):
    schema = json.loads(cli("schema").output)
    item = schema["properties"]["waivers"]["items"]
    assert set(item["required"]) == {"rule", "reason", "owner", "expires"}
    assert set(item["properties"]) == {"rule", "platform", "requirement", "reason", "owner", "expires"}
    assert "# waivers:" in STARTER
    uncommented = STARTER.replace("# waivers:", "waivers:").replace("#   ", "  ")
    assert cli("check", write(tmp_path, uncommented)).exit_code in (0, 1)


def test_priorities_list_every_requirement_key(cli):
    # The schema is written by hand: the keys a priority or a waiver can name must stay in step.
    schema = json.loads(cli("schema").output)
    requirements = set(schema["properties"]["requirements"]["properties"])
    assert set(schema["properties"]["priorities"]["propertyNames"]["enum"]) == requirements


def test_waivers_do_not_show_up_as_changes_in_a_re_review(cli, tmp_path):
    text = HEAD.replace("target: kubernetes\n", "target: kubernetes\ndecided: 2021-04-23\n") + "waivers:\n" + waiver(platform="kubernetes")
    data = json.loads(cli("check", write(tmp_path, text), "--format", "json").output)
    k8s = next(p for p in data["files"][0]["rereview"]["platforms"] if p["id"] == "kubernetes")
    assert [c["rule"] for c in k8s["changes"] if c["rule"] == "scale.node-limit"] == []


def test_a_real_waiver_is_a_sarif_suppression(cli, tmp_path):
    path = write(tmp_path, HEAD + "waivers:\n" + waiver(platform="kubernetes"))
    log = json.loads(cli("check", path, "--format", "sarif").output)
    results = [r for r in log["runs"][0]["results"] if r.get("ruleId") == "scale.node-limit"]
    suppressed = [r for r in results if r.get("suppressions")]
    assert [r["properties"]["platform"] for r in suppressed] == ["kubernetes"]
    assert suppressed[0]["suppressions"][0]["justification"] == "two clusters from Q2"
    assert suppressed[0]["suppressions"][0]["properties"]["owner"] == "alice"


def test_waiver_expired_is_a_registered_rule_that_explain_and_the_policy_know(cli, tmp_path):
    """Issue 18, item 10: ``orchlint explain waiver.expired`` knows it, ``rules`` lists it, and
    --ignore and --severity apply to it like any rule's."""
    explained = cli("explain", "waiver.expired")
    assert explained.exit_code == 0, explained.output
    assert explained.output.startswith("waiver.expired: A waiver has expired while its risk remains\nplugin: orchlint.adoption.waivers\n")
    assert "expires" in explained.output
    assert any(line.startswith("waiver.expired ") for line in cli("rules").output.splitlines())
    path = write(tmp_path, HEAD + "waivers:\n" + waiver(platform="kubernetes", expires="2026-11-22"))
    ignored = cli("check", path, "-v", "--ignore", "waiver.expired")
    assert "waiver.expired" not in ignored.output and "matches no rule" not in ignored.stderr
    assert f"{path}:5:10 kubernetes fail scale.node-limit" in ignored.output  # the finding still counts again
    louder = cli("check", path, "-v", "--severity", "waiver.expired=fail").output
    assert f"{path}:7:5 kubernetes fail waiver.expired waiver of scale.node-limit" in louder
    # The engine never runs it: a file without waivers gets no finding of it, and no JUnit testcase.
    clean = json.loads(cli("check", write(tmp_path, HEAD, "clean.yaml"), "--format", "json", "-v").output)
    assert not any(f["rule"] == "waiver.expired" for p in clean["files"][0]["platforms"] for f in p["findings"])


# Two zones 26 hours apart (POSIX TZ strings, so no time zone database is needed): at any moment
# at least one of them is on another calendar day than UTC.
ZONES = ("AOE+12", "LINT-14")


@pytest.fixture
def zone(monkeypatch):
    """Set the process's time zone for one call; restored afterwards."""
    import time

    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset")
    monkeypatch.delenv("ORCHLINT_TODAY")

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def _utc_day():
    import datetime as _dt

    return _dt.datetime.now(_dt.timezone.utc).date()


def test_the_run_day_is_today_in_utc_in_any_time_zone(zone):
    """Issue 17.15: "today" (and so waiver expiry) followed the machine's time zone, so the same
    commit could pass on one runner and fail on another on the same day."""
    from orchlint.cli.settings import today

    for name in ZONES:
        zone(name)
        before = _utc_day()
        assert today() in (before, _utc_day())


def test_a_waiver_expires_at_the_end_of_its_day_in_utc_in_any_time_zone(cli, tmp_path, zone):
    import datetime as _dt

    for _attempt in range(2):  # once more if the UTC day turned over during the run
        day = _utc_day()
        today = write(tmp_path, HEAD + "waivers:\n" + waiver(platform="kubernetes", expires=day.isoformat()), "today.yaml")
        yesterday = write(tmp_path, HEAD + "waivers:\n" + waiver(platform="kubernetes", expires=(day - _dt.timedelta(days=1)).isoformat()), "yesterday.yaml")
        runs = {}
        for name in ZONES:
            zone(name)
            runs[name] = json.loads(cli("check", today, yesterday, "--platform", "kubernetes", "--format", "json").output)
        if _utc_day() == day:
            break
    for name, data in runs.items():
        assert data["as_of"] == day.isoformat(), name
        first, second = data["files"]
        assert [f["rule"] for p in first["platforms"] for f in p["findings"] if f["waiver"]] == ["scale.node-limit"], name
        assert "waiver.expired" in [f["rule"] for p in second["platforms"] for f in p["findings"]], name


@pytest.mark.parametrize(
    ("key", "value", "column"),
    [
        ("rule", "scale." + "a" * 195, 11),  # 201 characters, each allowed by the pattern
        ("requirement", "requirements." + "a" * 188, 18),
        ("platform", "k" * 201, 15),
    ],
)
def test_waiver_rule_requirement_and_platform_have_a_length_limit(cli, tmp_path, key, value, column):
    """Issue 17.15: a waiver's rule and requirement had no length limit, so a megabyte-long
    id was carried into every report and message that cites the waiver."""
    assert len(value) == 201
    fields = {"rule": "scale", key: value}
    entry = f"  - rule: {fields['rule']}\n" + "".join(f"    {k}: {v}\n" for k, v in fields.items() if k != "rule")
    entry += "    reason: r\n    owner: o\n    expires: 2027-01-01\n"
    path = write(tmp_path, HEAD + "waivers:\n" + entry)
    result = cli("check", path)
    assert result.exit_code == 2
    line = 7 if key == "rule" else 8
    assert f"{path}:{line}:{column} error waivers[0].{key}: " in result.output
    assert "at most 200 characters" in result.output
    # 200 is still accepted by the schema (the id is then judged as usual).
    entry = entry.replace(value, value[:-1])
    assert "at most 200 characters" not in cli("check", write(tmp_path, HEAD + "waivers:\n" + entry, "ok.yaml")).output
