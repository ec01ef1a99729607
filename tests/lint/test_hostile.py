"""The hostile corpus (tests/hostile/manifest.yaml): each input gets its exact message, its exit
code and no traceback; the worst ones also run in a subprocess under a memory limit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

from tests.hostile.generated import GENERATORS
from tests.hostile.limits import MEMORY_LIMIT, run_limited

HOSTILE = Path(__file__).resolve().parent.parent / "hostile"
MANIFEST: dict[str, dict] = yaml.safe_load((HOSTILE / "manifest.yaml").read_text("utf-8"))
WORST = sorted(name for name, case in MANIFEST.items() if case.get("worst"))
ESC = "\x1b"


def case_path(name: str, tmp_path: Path) -> str:
    if MANIFEST[name].get("generated"):
        path = tmp_path / name
        path.write_bytes(GENERATORS[name]())
        return str(path)
    return str(HOSTILE / name)


def test_the_manifest_lists_every_file_and_every_generator():
    on_disk = {
        p.relative_to(HOSTILE).as_posix()
        for p in HOSTILE.rglob("*.yaml")
        if p.name != "manifest.yaml"
    }
    generated = {name for name, case in MANIFEST.items() if case.get("generated")}
    assert on_disk == set(MANIFEST) - generated
    assert generated == set(GENERATORS)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_hostile_input_gets_its_message(cli, tmp_path, name):
    case = MANIFEST[name]
    path = case_path(name, tmp_path)
    result = cli("check", path)
    assert result.exit_code == case["exit"], result.output
    if "expect" in case:
        assert f"{path}:{case['expect']}" in result.output
    assert "Traceback" not in result.output
    assert ESC not in result.output, "no terminal escape from the input reaches the text output"


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_hostile_input_gives_parseable_json_with_positions(cli, tmp_path, name):
    path = case_path(name, tmp_path)
    result = cli("check", path, "--format", "json")
    doc = json.loads(result.output)
    assert doc["summary"]["exit_code"] == result.exit_code == MANIFEST[name]["exit"]
    for error in doc["files"][0]["errors"]:
        assert isinstance(error["line"], int) and error["line"] >= 1
        assert isinstance(error["column"], int) and error["column"] >= 1


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced reliably on Linux only")
@pytest.mark.parametrize("name", WORST)
def test_worst_cases_stay_within_a_memory_limit(tmp_path, name):
    path = case_path(name, tmp_path)
    done = run_limited(["check", path, "--format", "text", "--format", f"json:{tmp_path / 'out.json'}"])
    assert done.returncode == MANIFEST[name]["exit"], done.stderr[-2000:]
    assert f"{path}:{MANIFEST[name]['expect']}" in done.stdout
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert done.peak_rss_kib * 1024 < MEMORY_LIMIT
