"""Baselines: adopt on an existing file, then gate only what is new."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ..conftest import write
from ..controls import raw_controls

TEXT = (
    "orchlint: 1\nname: svc\ntarget: kubernetes\nrequirements:\n  nodes: 9000\n"
    "  storage:\n    types: [nfs, aws-ebs]\n"
)


def adopt(cli, tmp_path: Path, *files: str) -> str:
    baseline = str(tmp_path / "orchlint-baseline.json")
    result = cli("check", *files, "--write-baseline", baseline)
    assert result.exit_code == 0, result.output  # kubernetes fails, but adopting a baseline succeeds
    return baseline


def test_write_then_check_against_the_baseline_reports_nothing_new(cli, tmp_path):
    path = write(tmp_path, TEXT)
    assert cli("check", path).exit_code == 1
    baseline = adopt(cli, tmp_path, path)
    result = cli("check", path, "--baseline", baseline)
    assert result.exit_code == 0
    assert " fail " not in result.output and " warn " not in result.output
    assert result.output.splitlines()[-1].startswith("baseline: 0 new, ")
    assert ", 0 fixed (stale entries)" in result.output


def test_the_baseline_file_is_sorted_stable_and_keyed_without_lines(cli, tmp_path):
    path = write(tmp_path, TEXT)
    baseline = adopt(cli, tmp_path, path)
    text = Path(baseline).read_text()
    data = json.loads(text)
    assert data["orchlint_baseline"] == 1
    keys = [(e["file"], e["platform"], e["rule"], e["requirement"]) for e in data["findings"]]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    assert {"file": "req.yaml", "platform": "kubernetes", "rule": "scale.node-limit", "requirement": "requirements.nodes", "severity": "fail"} in data["findings"]
    # List items are keyed by value, so reordering the list does not move them.
    assert {"file": "req.yaml", "platform": "kubernetes", "rule": "storage.types", "requirement": "requirements.storage.types[aws-ebs]", "severity": "warn"} in data["findings"]
    assert all("line" not in e for e in data["findings"])
    # One entry per line, so a change to the baseline is a clean line diff.
    assert sum(1 for line in text.splitlines() if line.strip().startswith('{"file"')) == len(keys)
    adopt(cli, tmp_path, path)
    assert Path(baseline).read_text() == text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".orchlint-")] == []  # atomic: no temp left


def test_a_finding_that_moves_lines_is_still_matched(cli, tmp_path):
    path = write(tmp_path, TEXT)
    baseline = adopt(cli, tmp_path, path)
    moved = "# a new comment\n# and another\n" + TEXT.replace("types: [nfs, aws-ebs]", "types: [aws-ebs, nfs]")
    Path(path).write_text(moved)
    result = cli("check", path, "--baseline", baseline)
    assert result.exit_code == 0
    assert "baseline: 0 new," in result.output
    assert "stale" not in result.output.replace("(stale entries)", "")


def test_a_new_finding_is_reported_and_gates(cli, tmp_path):
    path = write(tmp_path, TEXT.replace("nodes: 9000", "nodes: 4000"))
    baseline = adopt(cli, tmp_path, path)
    Path(path).write_text(TEXT)
    result = cli("check", path, "--baseline", baseline)
    assert result.exit_code == 1
    assert f"{path}:5:10 kubernetes fail scale.node-limit" in result.output
    assert "storage.types" not in result.output.split("\n\n")[0]  # known warnings stay hidden
    data = json.loads(cli("check", path, "--baseline", baseline, "--format", "json").output)
    assert data["summary"]["baseline"]["new"] == data["files"][0]["baseline"]["new"] >= 2  # ecs and kubernetes
    assert data["summary"]["baseline"]["fixed"] == 0


def test_a_worse_severity_than_the_baseline_accepted_counts_as_new(cli, tmp_path):
    path = write(tmp_path, TEXT.replace("requirements:", "priorities:\n  nodes: should\nrequirements:"))
    baseline = adopt(cli, tmp_path, path)  # kubernetes: nodes is a warn
    Path(path).write_text(TEXT)
    result = cli("check", path, "--baseline", baseline)
    assert result.exit_code == 1
    assert "kubernetes fail scale.node-limit" in result.output


def test_a_fixed_finding_leaves_a_stale_entry(cli, tmp_path):
    path = write(tmp_path, TEXT)
    baseline = adopt(cli, tmp_path, path)
    Path(path).write_text(TEXT.replace("nodes: 9000", "nodes: 4000"))
    result = cli("check", path, "--baseline", baseline)
    assert result.exit_code == 0
    stale = [l for l in result.output.splitlines() if "baseline.stale" in l]
    assert f"{path}:5:10 notice baseline.stale stale baseline entry: kubernetes fail scale.node-limit requirements.nodes no longer occurs; refresh the baseline with --write-baseline" in stale
    data = json.loads(cli("check", path, "--baseline", baseline, "--format", "json").output)
    entry = {"file": "req.yaml", "platform": "kubernetes", "rule": "scale.node-limit", "requirement": "requirements.nodes", "severity": "fail"}
    assert entry in data["files"][0]["baseline"]["stale"]
    assert data["summary"]["baseline"]["fixed"] == len(stale)


def test_a_finding_in_another_file_is_never_hidden_by_an_old_one(cli, tmp_path):
    old = write(tmp_path, TEXT, "old.yaml")
    baseline = adopt(cli, tmp_path, old)
    other = write(tmp_path, TEXT, "other.yaml")
    result = cli("check", old, other, "--baseline", baseline)
    assert result.exit_code == 1
    assert f"{other}:5:10 kubernetes fail scale.node-limit" in result.output
    assert f"{old}:5:10" not in result.output


def test_entries_for_files_not_linted_or_platforms_left_out_are_not_stale(cli, tmp_path):
    a = write(tmp_path, TEXT, "a.yaml")
    b = write(tmp_path, TEXT, "b.yaml")
    baseline = adopt(cli, tmp_path, a, b)
    assert "baseline.stale" not in cli("check", a, "--baseline", baseline).output
    assert "baseline.stale" not in cli("check", a, "--platform", "kubernetes", "--baseline", baseline).output


def test_paths_are_relative_to_the_baseline_so_any_working_directory_works(cli, tmp_path, monkeypatch):
    (tmp_path / "svc").mkdir()
    write(tmp_path / "svc", TEXT)
    monkeypatch.chdir(tmp_path)
    baseline = adopt(cli, tmp_path, "svc/req.yaml")
    assert '"file": "svc/req.yaml"' in Path(baseline).read_text()
    monkeypatch.chdir(tmp_path / "svc")
    assert cli("check", "req.yaml", "--baseline", baseline).exit_code == 0
    assert cli("check", os.path.join("..", "svc", "req.yaml"), "--baseline", "../orchlint-baseline.json").exit_code == 0


def test_waived_findings_are_not_baselined(cli, tmp_path):
    text = TEXT + "waivers:\n  - rule: scale\n    platform: kubernetes\n    reason: r\n    owner: o\n    expires: 2030-01-01\n"
    baseline = adopt(cli, tmp_path, write(tmp_path, text))
    assert '"platform": "kubernetes", "rule": "scale.node-limit"' not in Path(baseline).read_text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "1:2 error baseline is not JSON: Expecting property name enclosed in double quotes"),
        ('{"orchlint_baseline": 2, "findings": []}', "orchlint_baseline: expected 1, got 2"),
        ('{"orchlint_baseline": 1,\n "findings": [\n  {"file": "a.yaml", "platform": "k", "rule": "r"}\n]}', "3:3 error findings[0]: missing required key 'requirement'"),
    ],
)
def test_a_malformed_baseline_is_an_input_error(cli, tmp_path, content, message):
    baseline = write(tmp_path, content, "baseline.json")
    result = CliRunnerErr.invoke(cli, "check", write(tmp_path, TEXT), "--baseline", baseline)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_missing_baseline_is_an_input_error(tmp_path):
    result = CliRunnerErr.invoke(None, "check", write(tmp_path, TEXT), "--baseline", str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert "cannot read baseline: No such file or directory" in result.stderr


def test_no_baseline_is_written_when_a_file_could_not_be_evaluated(tmp_path):
    baseline = tmp_path / "b.json"
    bad = write(tmp_path, "orchlint: 1\n", "bad.yaml")
    result = CliRunnerErr.invoke(None, "check", write(tmp_path, TEXT), bad, "--write-baseline", str(baseline))
    assert result.exit_code == 2
    assert "baseline not written: 1 file(s) could not be evaluated" in result.stderr
    assert not baseline.exists()


def test_an_unwritable_baseline_path_is_refused_before_any_work(tmp_path):
    result = CliRunnerErr.invoke(None, "check", write(tmp_path, TEXT), "--write-baseline", str(tmp_path / "no" / "b.json"))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


class CliRunnerErr:
    """Invoke the CLI with stderr kept apart, for messages that go there."""

    @staticmethod
    def invoke(_cli, *args: str):
        from click.testing import CliRunner

        from orchlint.cli import main

        try:
            runner = CliRunner(mix_stderr=False)
        except TypeError:  # click >= 8.2 always keeps stderr apart
            runner = CliRunner()
        return runner.invoke(main, list(args), catch_exceptions=False)


def test_rewriting_a_baseline_while_gating_on_it_keeps_the_known_findings(cli, tmp_path):
    path = write(tmp_path, TEXT)
    baseline = adopt(cli, tmp_path, path)
    before = Path(baseline).read_text()
    Path(path).write_text(TEXT.replace("types: [nfs, aws-ebs]", "types: [nfs]"))
    result = cli("check", path, "--baseline", baseline, "--write-baseline", baseline)
    assert result.exit_code == 0
    after = Path(baseline).read_text()
    assert "scale.node-limit" in after  # still there, though hidden from this run's report
    assert "aws-ebs" in before and "aws-ebs" not in after  # the stale entries are dropped


def test_a_malformed_baselines_errors_show_control_characters_escaped(cli, tmp_path):
    """Issue 17.14: a baseline is committed to the repository; its name and content never reach
    the terminal as escape sequences or bidi overrides."""
    content = '{"orchlint_baseline": "\\u202egnp.exe \\u001b]52;c;aGk=\\u0007 \\u0085", "findings": []}'
    baseline = write(tmp_path, content, "base\x1b]52;c;aGk=\x07\u202e.json")
    result = CliRunnerErr.invoke(cli, "check", write(tmp_path, TEXT), "--baseline", baseline)
    assert result.exit_code == 2
    assert raw_controls(result.stderr) == []
    assert "base\\x1b]52;c;aGk=\\x07\\u202e.json:1:" in result.stderr and "\\u202egnp.exe" in result.stderr


class _CountedFile(str):
    """A file name in a baseline entry that counts every comparison made with it."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        type(self).compared += 1
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        type(self).compared += 1
        return str.__ne__(self, other)

    def __lt__(self, other: str) -> bool:
        type(self).compared += 1
        return str.__lt__(self, other)

    __hash__ = str.__hash__


def test_applying_a_baseline_reads_only_the_linted_files_entries(cli, registry, tmp_path):
    """Issue 17.15: matching was quadratic (each file scanned every entry of the baseline, so
    50,000 files took 489 s with a baseline and 28 s without). The entries are indexed by file:
    linting one file compares none of the other files' entries."""
    import datetime as _dt

    from orchlint.adoption.baseline import Baseline, Entry
    from orchlint.lint.linter import Linter, RunOptions

    path = write(tmp_path, TEXT)
    real = json.loads(Path(adopt(cli, tmp_path, path)).read_text())["findings"]
    others = [
        Entry(_CountedFile(f"other-{n}.yaml"), platform, "scale.node-limit", "requirements.nodes", "fail")
        for n in range(2_000)
        for platform in ("kubernetes", "ecs", "nomad")
    ]
    own = [Entry(**item) for item in real]
    baseline = Baseline(str(tmp_path / "orchlint-baseline.json"), [*others, *own])
    linter = Linter(registry, RunOptions(as_of=_dt.date(2026, 11, 23), baseline=baseline))
    _CountedFile.compared = 0
    report = linter.lint_path(path)
    assert _CountedFile.compared == 0  # no entry of another file was looked at
    assert report.baseline.new == 0 and report.baseline.unchanged == len(own) and report.baseline.stale == []
    # The same verdict as a baseline holding only this file's entries.
    alone = Linter(registry, RunOptions(as_of=_dt.date(2026, 11, 23), baseline=Baseline(baseline.path, own))).lint_path(path)
    assert alone.baseline.to_json() == report.baseline.to_json()
    # And an entry of this file that no longer occurs is still reported stale.
    gone = Entry("req.yaml", "kubernetes", "scale.gone", "requirements.nodes", "fail")
    stale = Linter(registry, RunOptions(as_of=_dt.date(2026, 11, 23), baseline=Baseline(baseline.path, [*others, *own, gone])))
    _CountedFile.compared = 0
    assert stale.lint_path(path).baseline.stale == [gone]
    assert _CountedFile.compared == 0

