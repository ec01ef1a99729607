"""Many files: directories and globs, stable order, the fleet view, progress only on a terminal."""

from __future__ import annotations

import io
import json

from orchlint.support.discover import expand
from orchlint.lint.progress import Progress

SERVICE = "orchlint: 1\nname: {name}\nrequirements:\n  nodes: {nodes}\n"


def _monorepo(root):
    for name, nodes in (("b-svc", 9000), ("a-svc", 100), ("c/deep", 200)):
        directory = root / name
        directory.mkdir(parents=True)
        (directory / "orchlint.yaml").write_text(SERVICE.format(name=name.replace("/", "-"), nodes=nodes))
    (root / "a-svc" / "deployment.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\n")  # not ours
    (root / ".hidden").mkdir()
    (root / ".hidden" / "orchlint.yaml").write_text(SERVICE.format(name="hidden", nodes=1))
    (root / "c" / "notes.yml").write_text("# orchlint: mentioned in a comment only\nx: 1\n")
    return root


def test_a_directory_contributes_its_requirements_files_in_a_stable_order(tmp_path):
    root = _monorepo(tmp_path)
    files, errors = expand([str(root)])
    assert [str(p.relative_to(root)) for p in map(type(root), files)] == ["a-svc/orchlint.yaml", "b-svc/orchlint.yaml", "c/deep/orchlint.yaml"]
    assert errors == []


def test_globs_and_repeats(tmp_path):
    root = _monorepo(tmp_path)
    files, _ = expand([str(root / "*-svc" / "orchlint.yaml"), str(root / "a-svc" / "orchlint.yaml")])
    assert files == [str(root / "a-svc" / "orchlint.yaml"), str(root / "b-svc" / "orchlint.yaml")]
    files, errors = expand([str(root / "nothing-*.yaml")])
    assert files == [] and errors == [f"{root / 'nothing-*.yaml'}: no requirements files found in this pattern"]


def test_check_on_a_directory_reports_each_file_and_the_fleet(cli, tmp_path):
    root = _monorepo(tmp_path)
    result = cli("check", str(root), "--platform", "kubernetes", "--platform", "nomad", "--select", "scale")
    assert result.exit_code == 0  # every service has a viable platform
    assert "\nfleet: nomad 3/3, kubernetes 2/3 files viable\n" in result.output  # b-svc's 9,000 nodes
    only = cli("check", str(root), "--platform", "kubernetes", "--select", "scale")
    assert only.exit_code == 1
    assert "deployment.yaml" not in result.output and "hidden" not in result.output
    data = json.loads(cli("check", str(root), "--format", "json", "--select", "scale").stdout)
    assert [f["path"] for f in data["files"]] == [str(root / p / "orchlint.yaml") for p in ("a-svc", "b-svc", "c/deep")]
    assert data["summary"]["fleet"]["kubernetes"] == 2


def test_an_empty_directory_is_an_error_not_a_silent_pass(cli, tmp_path):
    result = cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert f"orchlint: error: {tmp_path}: no requirements files found in this directory" in result.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_only_on_a_terminal_and_clears_itself():
    quiet = io.StringIO()
    progress = Progress(quiet, 3)
    for name in ("a", "b", "c"):
        progress.step(name)
    progress.done()
    assert quiet.getvalue() == ""
    terminal = _Terminal()
    progress = Progress(terminal, 2)
    progress.step("a.yaml")
    progress.step("b.yaml")
    progress.done()
    text = terminal.getvalue()
    assert "1/2 a.yaml" in text and "2/2 b.yaml" in text
    assert text.endswith("\r\x1b[2K")
    single = _Terminal()
    Progress(single, 1).step("only.yaml")
    assert single.getvalue() == ""
