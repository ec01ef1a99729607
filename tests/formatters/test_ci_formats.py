"""The CI formats: sarif (validated against the official schema), junit (parsed strictly) and
github (workflow commands escaped as the runner decodes them)."""

from __future__ import annotations

import io
import json
import re

import pytest

from orchlint.engine.results import PlatformResult
from orchlint.formatters.base import RunInfo
from orchlint.formatters.github import escape_data, escape_property
from orchlint.formatters.junit import xml_text
from orchlint.lint.linter import Linter, RunOptions
from orchlint.lint.report import RunSummary
from orchlint.support.exits import FAIL_ON

from ..ci_helpers import strict_xml, valid_sarif, waive
from ..conftest import EXAMPLES, ROOT, TODAY, broken_plugin, write

EXAMPLE_PATHS = sorted(f"examples/{p.name}" for p in EXAMPLES.glob("*.yaml"))
HOSTILE_NAME = '<script>alert(1)</script> ]]> & \\" \' \\x1b[31m \\0 \\x01 \\x7f \\x85 \\uFFFE end'
HOSTILE = f'orchlint: 1\nname: "{HOSTILE_NAME}"\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n  production: true\n'
BAD_KEY = 'orchlint: 1\nname: x\nrequirements:\n  "bad\\x01<key>&\\n::warning::pwned": 1\n  nodes: 10\n'


def findings_from_json(cli, *args: str) -> list[dict]:
    data = json.loads(cli("check", *args, "--format", "json").output)
    return [dict(f, path=file["path"]) for file in data["files"] for p in file["platforms"] for f in p["findings"]]


def render(registry, fmt: str, report, *, fail_on: str = "fail", verbose: bool = False) -> str:
    """Run one formatter directly, as the CLI does, on a hand-made report."""
    stream = io.StringIO()
    formatter = registry.formatters[fmt](stream, verbose=verbose)
    rules = tuple(sorted(registry.rules.values(), key=lambda r: r.id))
    platforms = tuple(registry.platforms[p] for p in sorted(registry.platforms))
    formatter.start(RunInfo(as_of=TODAY, fail_on=fail_on, version="0.0.0", platforms=platforms, rules=rules))
    formatter.write(report)
    summary = RunSummary()
    summary.add(report, FAIL_ON[fail_on])
    formatter.finish(summary)
    return stream.getvalue()


def waived_report(registry, rule: str = "scale.node-limit"):
    linter = Linter(registry, RunOptions(as_of=TODAY))
    report = linter.lint_bytes("req.yaml", b"orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n")
    assert report.evaluation is not None
    report.evaluation.results = [
        PlatformResult(r.platform, tuple(waive(f, "capacity plan: 2 clusters by Q3") if f.rule == rule else f for f in r.findings))
        for r in report.evaluation.results
    ]
    return report


# -- sarif ------------------------------------------------------------------------------------


def test_sarif_of_every_example_validates_and_has_one_run(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = cli("check", *EXAMPLE_PATHS, "--format", "sarif")
    log = valid_sarif(result.output)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "orchlint"
    assert run["invocations"][0]["exitCode"] == result.exit_code


def test_sarif_rules_carry_every_rule_with_title_help_and_sources(cli, registry):
    run = valid_sarif(cli("check", str(EXAMPLES / "logzio.yaml"), "--format", "sarif").output)["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == set(registry.rules) | {"orchlint/input-error"}
    for rule_id, rule in registry.rules.items():
        descriptor = rules[rule_id]
        assert descriptor["shortDescription"]["text"] == rule.title
        assert descriptor["name"] and descriptor["fullDescription"]["text"]
        assert descriptor["help"]["text"] and descriptor["help"]["markdown"]
        for source in rule.sources:
            assert source.cite() in descriptor["help"]["text"]
        urls = [s.url for s in rule.sources if s.url.startswith("http")]
        assert descriptor.get("helpUri") == (urls[0] if urls else None)
    with_links = [r for r in rules.values() if "helpUri" in r]
    assert all("](<http" in r["help"]["markdown"] for r in with_links)


def test_sarif_results_are_exactly_the_warn_fail_and_unknown_findings(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    expected = sorted(
        (f["path"], f["line"], f["column"], f["rule"], f["platform"], {"fail": "error", "warn": "warning", "unknown": "note"}[f["severity"]])
        for f in findings_from_json(cli, *EXAMPLE_PATHS)
        if f["severity"] != "pass"
    )
    run = valid_sarif(cli("check", *EXAMPLE_PATHS, "--format", "sarif", "-v").output)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    got = []
    for result in run["results"]:
        (loc,) = result["locations"]
        artifact, region = loc["physicalLocation"]["artifactLocation"], loc["physicalLocation"]["region"]
        assert artifact["uriBaseId"] == "%SRCROOT%" and not artifact["uri"].startswith(("/", "file:"))
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"].startswith(result["properties"]["platform"] + ": ")
        got.append((artifact["uri"], region["startLine"], region["startColumn"], result["ruleId"], result["properties"]["platform"], result["level"]))
        # An unknown is a note that says why, never a problem found.
        assert (result["level"] == "note") == (result["properties"]["severity"] == "unknown") == result["properties"].get("unknown", False)
        if result["level"] == "note":
            assert result["properties"]["unknownReason"] in ("orchlint has no fact", "researched: no public source settles it")
    assert sorted(got) == expected
    assert {level for *_, level in got} == {"error", "warning", "note"}
    # What decides first: in each file the target's results come before the other platforms'.
    target_places = [r["properties"]["place"] for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "examples/checkout-platform.yaml"]
    assert target_places[0] == "deciding" and target_places.index("out") > target_places.index("deciding")
    assert target_places == sorted(target_places, key=["deciding", "candidate", "other", "out"].index)


def test_sarif_fingerprints_ignore_lines_and_tell_findings_apart(cli, tmp_path):
    body = "target: kubernetes\nrequirements:\n  nodes: 9000\n  storage:\n    types: [aws-ebs, nfs, gce-pd]\n  production: true\n"
    before = write(tmp_path, "orchlint: 1\nname: x\n" + body, "a.yaml")
    # Comments, a moved key and reflowed lists move every finding to another line.
    moved = "orchlint: 1\n# a comment\n# another\nname: x\n" + body.replace("  nodes: 9000\n", "") + "  nodes:\n    9000\n"
    after = write(tmp_path, moved.replace("[aws-ebs, nfs, gce-pd]", "\n      - aws-ebs\n      - nfs\n      - gce-pd"), "b.yaml")

    def prints(path):
        run = valid_sarif(cli("check", path, "--format", "sarif").output)["runs"][0]
        return {
            (r["ruleId"], r["properties"]["platform"], r["partialFingerprints"]["primaryLocationLineHash"]): r["locations"][0]["physicalLocation"]["region"]["startLine"]
            for r in run["results"]
        }

    first, second = prints(before), prints(after)
    assert first.keys() == second.keys()
    assert any(first[k] != second[k] for k in first)
    hashes = [k[2] for k in first]
    assert len(hashes) == len(set(hashes))  # storage.types items are told apart by their path


def test_sarif_input_errors_are_results_and_notifications(cli, tmp_path):
    bad = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  nodez: 3\n", "bad.yaml")
    good = write(tmp_path, "orchlint: 1\nname: x\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n", "good.yaml")
    result = cli("check", bad, good, "--format", "sarif")
    assert result.exit_code == 2
    run = valid_sarif(result.output)["runs"][0]
    errors = [r for r in run["results"] if r["ruleId"] == "orchlint/input-error"]
    assert len(errors) == 1 and errors[0]["level"] == "error"
    region = errors[0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (4, 3)
    assert "did you mean 'nodes'" in errors[0]["message"]["text"]
    # Outside the working directory: an absolute file URI, no base id.
    assert errors[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("file:///")
    assert any(r["ruleId"] == "scale.node-limit" for r in run["results"])  # the good file still reported
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 2
    (note,) = invocation["toolExecutionNotifications"]
    assert note["associatedRule"]["id"] == "orchlint/input-error" and note["message"] == errors[0]["message"]


def test_sarif_of_an_unreadable_file_and_stdin(cli, tmp_path):
    run = valid_sarif(cli("check", str(tmp_path / "missing.yaml"), "--format", "sarif").output)["runs"][0]
    (result,) = run["results"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    run = valid_sarif(cli("check", "-", "--format", "sarif", input="orchlint: 1\nname: x\nrequirements:\n  nodes: 9000\n").output)["runs"][0]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]} == {"%3Cstdin%3E"}


def test_sarif_plugin_errors_are_notifications(cli, tmp_path):
    plugin = broken_plugin(tmp_path)
    result = cli("check", str(EXAMPLES / "logzio.yaml"), "--plugin", str(plugin), "--format", "sarif")
    assert result.exit_code == 3
    invocation = valid_sarif(result.output)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert any("broken on purpose" in n["message"]["text"] for n in invocation["toolExecutionNotifications"])


def test_sarif_waived_findings_are_suppressed_not_dropped(registry):
    run = valid_sarif(render(registry, "sarif", waived_report(registry)))["runs"][0]
    waived = [r for r in run["results"] if r["ruleId"] == "scale.node-limit"]
    assert waived and all(
        r["suppressions"] == [
            {
                "kind": "external",
                "status": "accepted",
                "justification": "capacity plan: 2 clusters by Q3",
                "properties": {"owner": "team-platform", "expires": "2027-01-31", "rule": "scale.node-limit"},
            }
        ]
        for r in waived
    )
    assert all("suppressions" not in r for r in run["results"] if r["ruleId"] != "scale.node-limit")


def test_sarif_to_a_file_beside_text_on_stdout(cli, tmp_path):
    out = tmp_path / "orchlint.sarif"
    result = cli("check", str(EXAMPLES / "logzio.yaml"), "--format", "text", "--format", f"sarif:{out}")
    assert " fail " in result.output and "viable" in result.output
    valid_sarif(out.read_text(encoding="utf-8"))


# -- junit ------------------------------------------------------------------------------------


def test_junit_of_every_example_parses_strictly_with_a_suite_per_file_and_platform(cli, monkeypatch, registry):
    monkeypatch.chdir(ROOT)
    root = strict_xml(cli("check", *EXAMPLE_PATHS, "--format", "junit").output)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert sorted(s.get("name") for s in suites) == sorted(f"{path} [{p}]" for path in EXAMPLE_PATHS for p in registry.platforms)
    # Each file's target (the platform that decides) has the first suite.
    names = [s.get("name") for s in suites]
    assert names[names.index("examples/checkout-platform.yaml [kubernetes]") - 1].startswith("examples/aws-midsize.yaml")
    for suite in suites:
        cases = suite.findall("testcase")
        names = [c.get("name") for c in cases]
        assert names == sorted(set(names)) and set(names) <= set(registry.rules)
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert suite.get("errors") == "0"


@pytest.mark.parametrize("fail_on", ["fail", "warn", "never"])
def test_junit_failures_are_the_findings_at_or_above_fail_on(cli, monkeypatch, fail_on):
    monkeypatch.chdir(ROOT)
    threshold = {"fail": {"fail"}, "warn": {"fail", "warn"}, "never": set()}[fail_on]
    # A failure only for what decides the exit code: the blocking findings of a deciding
    # platform, in a file none of whose deciding platforms is viable.
    data = json.loads(cli("check", *EXAMPLE_PATHS, "--format", "json", "--fail-on", fail_on).output)
    expected = []
    for file in data["files"]:
        deciding = [p for p in file["platforms"] if p["id"] in file["deciding"]]
        if any(p["verdict"] not in threshold for p in deciding):
            continue  # some deciding platform is viable: the file passes
        expected += [(file["path"], p["id"], f["rule"], f["line"], f["column"]) for p in deciding for f in p["findings"] if f["severity"] in threshold]
    expected.sort()
    root = strict_xml(cli("check", *EXAMPLE_PATHS, "--format", "junit", "--fail-on", fail_on).output)
    got = []
    for suite in root.iter("testsuite"):
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert props["fail_on"] == fail_on
        for case in suite.iter("testcase"):
            for failure in case.findall("failure"):
                path, line, column = re.match(r"(.+?):(\d+):(\d+) ", failure.text).groups()
                assert path == props["file"] and failure.get("type") in threshold
                got.append((path, props["platform"], case.get("name"), int(line), int(column)))
    assert sorted(got) == expected


def test_junit_has_no_failure_on_a_run_that_exits_0_and_unknowns_are_skipped(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = cli("check", "examples/logzio.yaml", "--format", "junit")
    assert result.exit_code == 0
    root = strict_xml(result.output)
    assert not list(root.iter("failure"))  # ecs, swarm and others fail, but kubernetes decides and passes
    skipped = [(s.get("name"), c.get("name")) for s in root.iter("testsuite") for c in s.iter("testcase") if c.find("skipped") is not None]
    assert skipped == [("examples/logzio.yaml [ecs]", "community.size")]
    assert root.find("testsuite").get("name") == "examples/logzio.yaml [kubernetes]"  # the target first


def test_junit_input_and_plugin_errors_are_errors(cli, tmp_path):
    bad = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  nodez: 3\n  production: maybe\n", "bad.yaml")
    result = cli("check", bad, "--plugin", "no_such_module_xyz", "--format", "junit")
    assert result.exit_code == 2
    root = strict_xml(result.output)
    suite = root.find("testsuite")
    assert suite.get("name") == bad and suite.get("errors") == "1" and suite.get("tests") == "1"
    errors = suite.findall("testcase/error")
    assert len(errors) == 2 and all(e.get("type") == "input-error" for e in errors)
    assert errors[0].text.startswith(f"{bad}:4:3 error ")
    plugins = root.find("testsuite[@name='orchlint plugins']")
    assert plugins.find("testcase").get("name") == "no_such_module_xyz"
    assert "failed to import" in plugins.find("testcase/error").get("message")


def test_junit_survives_a_hostile_name_key_and_path(cli, tmp_path):
    path = write(tmp_path, HOSTILE, "a&b<c>'\".yaml")
    root = strict_xml(cli("check", path, "--format", "junit", "-v").output)
    names = {p.get("value") for p in root.iter("property") if p.get("name") == "name"}
    (name,) = names
    assert name.startswith("<script>alert(1)</script> ]]> & \" '") and name.endswith(" end")
    assert "\\x1b[31m" in name and "\\x00" in name and "\\x7f" in name and "\\ufffe" in name
    assert all(case.get("file") == path for case in root.iter("testcase"))
    bad = write(tmp_path, BAD_KEY, "bad.yaml")
    error = strict_xml(cli("check", bad, "--format", "junit").output).find(".//error")
    assert "<key>&" in error.get("message") and "\\x01" in error.get("message")


def test_xml_text_keeps_what_xml_allows_and_escapes_the_rest():
    assert xml_text("tab\there\nnew 🎉 é") == "tab\there\nnew 🎉 é"
    assert xml_text("a\r\nb\rc") == "a\nb\nc"
    assert xml_text("\x00\x1b\x7f\x85\ufffe\ud800") == "\\x00\\x1b\\x7f\\x85\\ufffe\\ud800"


def test_junit_waived_findings_are_not_failures(registry):
    root = strict_xml(render(registry, "junit", waived_report(registry)))
    cases = [c for c in root.iter("testcase") if c.get("name") == "scale.node-limit"]
    assert cases and all(c.find("failure") is None for c in cases)
    assert any("waived (capacity plan: 2 clusters by Q3)" in c.findtext("system-out", "") for c in cases)


# -- github -----------------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def decode_data(text: str) -> str:
    """What the Actions runner does to a command's message."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def decode_property(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse_commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    commands = []
    for line in output.splitlines():
        if line.startswith("orchlint: "):
            continue  # the closing summary is plain log text
        kind, props, data = COMMAND.match(line).groups()
        pairs = dict(p.split("=", 1) for p in props.split(",")) if props else {}
        commands.append((kind, {k: decode_property(v) for k, v in pairs.items()}, decode_data(data)))
    return commands


def test_github_escaping_is_exactly_what_the_runner_decodes():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a: b, c%") == "a%3A b%2C c%25"
    assert escape_data("%0A") == "%250A" and decode_data(escape_data("%0A")) == "%0A"
    for text in ["plain", "50%: a, b\nc\r\n", "%25%0A::x::", "x,y:z"]:
        assert decode_data(escape_data(text)) == text
        assert decode_property(escape_property(text)) == text
    assert escape_data("\x1b[31mred") == "\\x1b[31mred"


def test_github_annotations_are_the_most_important_ten_of_each_kind(cli, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    kinds = {"fail": "error", "warn": "warning", "unknown": "notice"}
    findings = findings_from_json(cli, *EXAMPLE_PATHS)
    known = {(kinds[f["severity"]], f["path"], f["line"], f["column"], f["rule"], f["platform"]) for f in findings if f["severity"] != "pass"}
    data = json.loads(cli("check", *EXAMPLE_PATHS, "--format", "json").output)
    deciding = {(file["path"], p) for file in data["files"] for p in file["deciding"]}
    output = cli("check", *EXAMPLE_PATHS, "--format", "github", "-v").output
    got = []
    for kind, props, message in parse_commands(output):
        assert list(props) == ["file", "line", "col", "title"]
        rule, platform = re.fullmatch(r"(\S+) \((\S+)\)", props["title"]).groups()
        assert message.startswith(f"{platform} {dict(error='fail', warning='warn', notice='unknown')[kind]}: ")
        got.append((kind, props["file"], int(props["line"]), int(props["col"]), rule, platform))
    assert set(got) <= known
    for kind in kinds.values():
        shown = [g for g in got if g[0] == kind]
        assert len(shown) == min(10, sum(1 for k in known if k[0] == kind))  # GitHub shows 10 of each
        # The deciding platforms' findings come first: none is left out for another's.
        decided = [g for g in shown if (g[1], g[5]) in deciding]
        assert shown[: len(decided)] == decided
        if len(shown) == 10:
            assert len(decided) == min(10, sum(1 for k in known if k[0] == kind and (k[1], k[5]) in deciding))
    assert "annotations not shown (GitHub shows 10 of each); every finding is in the job summary" in output
    assert output.splitlines()[-1].startswith(f"orchlint: {len(EXAMPLE_PATHS)} file(s) as of 2026-11-23: ")
    table = summary.read_text(encoding="utf-8")
    assert table.startswith(f"## orchlint: {len(EXAMPLE_PATHS)} file(s) as of 2026-11-23")
    assert all(f"| {path} |" in table for path in EXAMPLE_PATHS) and "| examples/logzio.yaml | fail | fail | fail?1 | fail | fail | pass | fail |" in table



def test_github_user_strings_cannot_inject_commands(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, BAD_KEY, "bad,file:x.yaml")
    output = cli("check", "bad,file:x.yaml", "--format", "github").output
    lines = output.splitlines()
    assert len(lines) == 2 and not any(line.startswith("::warning") for line in lines)
    ((kind, props, message),) = parse_commands(output)
    assert kind == "error" and props["file"] == "bad,file:x.yaml" and props["line"] == "4"
    assert "\n::warning::pwned" in message and "\x01" not in message and "\\x01" in message


@pytest.mark.parametrize(
    "name",
    ["esc\x1b[31m.yaml", "bidi\u202eevil.yaml", "new\nline\r.yaml", "50%:a,b.yaml", "back\\x1b.yaml", "tab\t.yaml"],
    ids=["escape", "bidi", "newline", "percent-colon-comma", "backslash", "tab"],
)
def test_github_annotations_name_the_real_file_not_its_printable_form(cli, tmp_path, monkeypatch, name):
    """Issue 17.15: ``file=`` carried the terminal-escaped display path, so an annotation on
    ``esc\x1b[31m.yaml`` pointed at a file literally named ``esc\\x1b[31m.yaml`` (another file,
    or none). The file property is the real path with only the runner's own escapes."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(HOSTILE)
    output = cli("check", name, "--format", "github").output
    commands = parse_commands(output)
    assert commands and {props["file"] for _kind, props, _message in commands} == {name}
    assert len(output.splitlines()) == len(commands) + 1  # + the closing summary: no line forged
    # The message and title are still made printable.
    assert all("\x1b" not in message and "\x1b" not in props["title"] for _kind, props, message in commands)


def test_github_annotations_for_an_undecodable_name_use_its_printable_form(cli, tmp_path, monkeypatch):
    import os

    monkeypatch.chdir(tmp_path)
    name = os.fsdecode(b"latin\xe9.yaml")  # not UTF-8: a workflow command cannot carry it
    with open(os.fsencode(name), "w", encoding="utf-8") as handle:
        handle.write(HOSTILE)
    output = cli("check", name, "--format", "github").output
    assert {props["file"] for _kind, props, _message in parse_commands(output)} == {"latin\\xe9.yaml"}


def test_github_waived_findings_are_notices(registry):
    commands = parse_commands(render(registry, "github", waived_report(registry)))
    notices = [c for c in commands if c[0] == "notice"]
    assert notices and all(c[2].endswith("(waived: capacity plan: 2 clusters by Q3)") for c in notices)
    assert not any(c[1]["title"].startswith("scale.node-limit") for c in commands if c[0] != "notice")


def test_sarif_uris_are_percent_encoded(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, HOSTILE, "a&b <c>'\"#%.yaml")
    run = valid_sarif(cli("check", "a&b <c>'\"#%.yaml", "--format", "sarif").output)["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"a%26b%20%3Cc%3E%27%22%23%25.yaml"}
    assert all(re.fullmatch(r"[A-Za-z0-9\-._~%!$&'()*+,;=:@/]+", uri) for uri in uris)


def test_sarif_rules_are_the_rules_that_ran(cli):
    output = cli("check", str(EXAMPLES / "logzio.yaml"), "--ignore", "community.size,licence", "--format", "sarif").output
    run = valid_sarif(output)["runs"][0]
    ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert "community.size" not in ids and not any(i.startswith("licence.") for i in ids)
    assert "lifecycle.maintained" in ids
    assert all(r["ruleId"] in ids for r in run["results"])
