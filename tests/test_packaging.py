"""Release readiness (issue 18, items 1 and 2): orchlint is not on PyPI, so its users install it
from a clone, a git URL or a built wheel, and a plugin's users install orchlint first.

These tests do what the README says with what ``python -m build`` makes: build orchlint's wheel
and sdist (and the example plugins'), check them with ``twine check``, install the wheel into a
fresh virtual environment with no package index, run ``orchlint check examples/logzio.yaml``
there, then install a plugin package the same way and see orchlint load it. A build that prints
a setuptools deprecation warning fails.

Nothing is downloaded: builds run ``--no-isolation`` with the setuptools of this environment,
and orchlint's dependencies reach the fresh environment as copies of the installed
distributions (a ``.pth`` file points at them), so pip in there finds them installed and checks
the wheels' requirements against them. ``build`` and ``twine`` come from the README's test
command; without them these tests are skipped, except in CI, where they fail.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from orchlint import __version__

from .conftest import ROOT, TODAY

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PLUGINS = ("orchlint-acme-policy", "orchlint-managed-k8s")
# What a checkout holds that a build must not see (and that may be large).
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv*", "venv", "site", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis", ".pytest_cache",
    ".ruff_cache", ".data",
)


def _need(module: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError:
        message = f"{module} is not installed (the README's test command installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must build the release: never skip it there
        pytest.skip(message)


def _clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without what would change what pip or Python find: no
    PYTHONPATH (a checkout's src/), no pip configuration (an index, find-links), no plugin
    switch from conftest."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PIP_") and k not in ("PYTHONPATH", "PYTHONHOME", "ORCHLINT_DISABLE_PLUGIN_AUTOLOAD", "VIRTUAL_ENV")
    }
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def _run(*args: str | Path, cwd: Path = ROOT, ok: tuple[int, ...] = (0,), **env: str) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=_clean_env(**env), capture_output=True, text=True, encoding="utf-8", timeout=300, check=False
    )
    assert run.returncode in ok, f"{' '.join(map(str, args))} exited {run.returncode}:\n{run.stdout}\n{run.stderr}"
    return run


def _build(source: Path, outdir: Path) -> str:
    """``python -m build`` (sdist, then the wheel from it) without isolation; its output."""
    run = _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", outdir, source, cwd=source)
    return run.stdout + run.stderr


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """orchlint's and the plugins' sdists and wheels, built from a copy of the checkout, and
    each build's output."""
    _need("build")
    _need("twine")
    top = tmp_path_factory.mktemp("release")
    shutil.copytree(ROOT, top / "orchlint", ignore=NOT_COPIED)
    dist = top / "dist"
    logs = {"orchlint": _build(top / "orchlint", dist / "orchlint")}
    for plugin in PLUGINS:
        logs[plugin] = _build(top / "orchlint" / "plugins" / plugin, dist / plugin)
    return dist, logs


def _only(directory: Path, pattern: str) -> Path:
    (found,) = directory.glob(pattern)
    return found


def test_build_makes_a_wheel_and_an_sdist_that_twine_accepts(release):
    dist, _logs = release
    for name in ("orchlint", *PLUGINS):
        wheel = _only(dist / name, "*.whl")
        sdist = _only(dist / name, "*.tar.gz")
        checked = _run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
        assert checked.stdout.count("PASSED") == 2, checked.stdout
    wheel = _only(dist / "orchlint", "*.whl")
    assert wheel.name == f"orchlint-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"orchlint-{__version__}.dist-info/METADATA").decode("utf-8")
    # The rule pack, the knowledge and the schemas are package data: a wheel without them lints nothing.
    assert {"orchlint/rules/storage_types.yaml", "orchlint/knowledge/nomad.yaml", "orchlint/schemas/requirements.schema.json"} <= names
    assert f"orchlint-{__version__}.dist-info/licenses/LICENSE" in names
    assert "License-Expression: Apache-2.0" in metadata and "License-File: LICENSE" in metadata


def test_no_build_prints_a_setuptools_deprecation_warning(release):
    _dist, logs = release
    for name, log in logs.items():
        deprecations = [line for line in log.splitlines() if re.search(r"SetuptoolsDeprecationWarning|deprecat", line, re.I)]
        assert deprecations == [], f"building {name} warned:\n" + "\n".join(deprecations)


def test_the_version_has_one_source():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "orchlint.__version__"}
    licence = project["project"]["license"]
    assert licence == "Apache-2.0" and project["project"]["license-files"] == ["LICENSE"]
    for plugin in PLUGINS:
        meta = tomllib.loads((ROOT / "plugins" / plugin / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        assert meta["license"] == licence and meta["license-files"] == ["LICENSE"]
        assert (ROOT / "plugins" / plugin / "LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes()
        assert "orchlint>=0.1" in meta["dependencies"]


def _copy_dependencies(target: Path) -> None:
    """orchlint's dependencies, and theirs, copied from this environment with their metadata."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pending = list(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"])
    seen: set[str] = set()
    while pending:
        requirement = Requirement(pending.pop())
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        dist = importlib.metadata.distribution(requirement.name)
        for file in dist.files or ():
            if file.parts[0] == "..":  # a console script outside site-packages
                continue
            source = Path(str(dist.locate_file(file)))
            if source.is_file():
                (target / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / file)
        pending.extend(dist.requires or ())
    assert {"pluggy", "pyyaml", "jsonschema", "click"} <= seen


@pytest.fixture(scope="module")
def fresh(release, tmp_path_factory):
    """A new virtual environment holding only orchlint's dependencies (no orchlint)."""
    top = tmp_path_factory.mktemp("fresh")
    venv = top / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    _run(base, "-m", "venv", venv)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    deps = top / "deps"
    _copy_dependencies(deps)
    (purelib / "orchlint-test-deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    missing = _run(python, "-c", "import orchlint", ok=(1,))
    assert "No module named 'orchlint'" in missing.stderr  # nothing of this checkout leaks in
    return python


def test_the_wheel_installs_into_a_fresh_venv_without_an_index_and_lints(release, fresh, tmp_path):
    dist, _logs = release
    python = fresh
    bin_dir = python.parent
    _run(python, "-m", "pip", "install", "--no-index", _only(dist / "orchlint", "*.whl"))
    where = _run(python, "-c", "import orchlint; print(orchlint.__file__)").stdout.strip()
    assert Path(where).is_relative_to(python.parent.parent), where
    assert __version__ in _run(bin_dir / "orchlint", "--version").stdout
    run = _run(bin_dir / "orchlint", "check", "examples/logzio.yaml", ORCHLINT_TODAY=TODAY.isoformat(), NO_COLOR="1")
    assert "examples/logzio.yaml:" in run.stdout and "kubernetes" in run.stdout.splitlines()[-3]
    assert "1 file(s) as of" in run.stdout

    # A plugin package, installed the same way once orchlint is: its orchlint>=0.1 is satisfied.
    _run(python, "-m", "pip", "install", "--no-index", _only(dist / "orchlint-acme-policy", "*.whl"))
    plugins = _run(bin_dir / "orchlint", "plugins").stdout
    assert re.search(r"acme_policy .*\[loaded\]\s+from: entry point", plugins), plugins
    svc = tmp_path / "svc.yaml"
    svc.write_text("orchlint: 1\nname: svc\ntarget: ecs\n", encoding="utf-8")
    run = _run(bin_dir / "orchlint", "check", svc, ok=(1,), ORCHLINT_TODAY="2020-06-01", NO_COLOR="1")
    assert " ecs fail acme.on-premises-only " in run.stdout


# The one way the documentation installs orchlint from somewhere other than a clone or a wheel.
FROM_GIT = '"orchlint @ git+https://github.com/OWNER/orchlint@v0.1.0"'


def _install_docs() -> dict[str, str]:
    paths = [ROOT / "README.md", ROOT / "action.yml", *sorted((ROOT / "docs").rglob("*.md")), *sorted((ROOT / "plugins").glob("*/README.md"))]
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in paths}


def test_every_install_command_tells_the_same_story():
    """orchlint is not on PyPI: no page installs it by name from an index, and every git URL
    install is spelt the README's way."""
    seen_git = 0
    for page, text in _install_docs().items():
        text = text.replace("`pip install orchlint` does not install it", "")
        for match in re.finditer(r"pip install ([^\n`]*)", text):
            args = match.group(1).split(" #")[0]
            seen_git += args.count(FROM_GIT)
            rest = args.replace(FROM_GIT, "")
            assert "git+" not in rest, f"{page}: {match.group(0)}: spell a git install {FROM_GIT}"
            assert not re.search(r"(?<![\w./-])orchlint(?![\w-])", rest), f"{page}: {match.group(0)}: orchlint is not on an index"
    assert seen_git >= 5
    readme = _install_docs()["README.md"]
    assert "orchlint is not on PyPI" in readme and "dist/orchlint-0.1.0-py3-none-any.whl" in readme
    assert f"-{__version__}-py3-none-any.whl" in readme


def test_the_test_command_installs_the_build_tools():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    (command,) = [line for line in ci.splitlines() if line.startswith("python3 -m venv .venv-test")]
    assert {"build", "twine", '"setuptools>=77"'} <= set(command.split())
    for page in ("README.md", "docs/getting-started.md"):
        assert f"```sh\n{command}\n```" in (ROOT / page).read_text(encoding="utf-8"), page


def test_the_plugin_packaging_the_guide_shows_is_the_example_plugins():
    guide = (ROOT / "docs" / "write-a-rule.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```toml\n(.*?)```", guide, re.S)
    shown = tomllib.loads(block)
    real = tomllib.loads((ROOT / "plugins" / "orchlint-acme-policy" / "pyproject.toml").read_text(encoding="utf-8"))
    assert shown["build-system"] == real["build-system"]
    assert shown["project"]["entry-points"] == real["project"]["entry-points"]
    assert {k: v for k, v in shown["project"].items() if k != "entry-points"}.items() <= real["project"].items()
