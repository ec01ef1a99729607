"""Plugin discovery without importlib.metadata gives importlib.metadata's answer."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

from orchlint.plugins import entrypoints


def _described(eps):
    return [(ep.name, ep.value, ep.group, ep.dist.name if ep.dist else None, ep.dist.version if ep.dist else None) for ep in eps]


def test_same_entry_points_as_importlib_metadata_for_every_group_installed_here():
    groups = set(importlib.metadata.entry_points().groups)
    assert {"console_scripts", "orchlint"} <= groups  # this environment has orchlint's plugins installed
    for group in sorted(groups):
        assert _described(entrypoints.entry_points(group)) == _described(importlib.metadata.entry_points(group=group)), group


def test_loads_what_importlib_metadata_loads():
    for ours, theirs in zip(entrypoints.entry_points("orchlint"), importlib.metadata.entry_points(group="orchlint")):
        assert ours.load() is theirs.load()


def _dist(tmp_path: Path, dirname: str, name: str, version: str, entry_points: str) -> None:
    info = tmp_path / dirname
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nlong text\nName: not this\n")
    (info / "entry_points.txt").write_text(entry_points)


def test_first_distribution_on_the_path_wins_and_files_are_read_as_importlib_reads_them(tmp_path, monkeypatch):
    first, second = tmp_path / "a", tmp_path / "b"
    _dist(first, "My_Plugin-2.0.dist-info", "my-plugin", "2.0", "# comment\n[orchlint]\n  mine = json : dumps [extra]\n[other]\nx = y\n")
    _dist(second, "my.plugin-1.0.dist-info", "my.plugin", "1.0", "[orchlint]\nold = json\n")
    _dist(second, "other-0.1.egg-info", "other", "0.1", "[orchlint]\nother = json.decoder:JSONDecoder.decode\n")
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "missing"), str(second)])
    ours = entrypoints.entry_points("orchlint")
    theirs = list(importlib.metadata.entry_points(group="orchlint"))
    assert _described(ours) == _described(theirs)
    assert [ep.name for ep in ours] == ["mine", "other"]
    import json

    assert ours[0].load() is json.dumps
    assert ours[1].load() is json.decoder.JSONDecoder.decode


def test_a_zip_file_on_the_path_is_left_to_importlib_metadata(tmp_path, monkeypatch):
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip archive
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert entrypoints._plain_environment() is False
    assert entrypoints.entry_points("orchlint") == list(importlib.metadata.entry_points(group="orchlint"))


def test_python_dash_m_does_not_load_entry_points_committed_to_the_current_directory(tmp_path):
    # A repository under review could commit a *.dist-info whose entry point runs its code.
    import os
    import subprocess
    import sys

    info = tmp_path / "evil-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[orchlint]\nevil = evil_plugin\n")
    (tmp_path / "evil_plugin.py").write_text("import pathlib\npathlib.Path('PWNED').write_text('x')\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHLINT_")}
    done = subprocess.run([sys.executable, "-m", "orchlint", "plugins"], capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "evil" not in done.stdout
    assert not (tmp_path / "PWNED").exists()
