"""The documentation site builds with ``mkdocs build --strict`` and its reference is complete.

Strict mode fails on any warning: a broken link or anchor, a page left out of the nav. The
generated reference (docs/hooks/reference.py) must have a page for every rule ``orchlint rules``
lists and every platform it knows, and a section for every key of the requirements file and of
the configuration. The README stays short and keeps the two commands on its first screen.

Everything about orchlint is asked of its command line, as the hook does, so these tests do not
depend on where its modules live.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from ..conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"


def _orchlint(*args: str, ok: tuple[int, ...] = (0,)) -> str:
    env = dict(os.environ, ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1", NO_COLOR="1")
    run = subprocess.run([sys.executable, "-m", "orchlint", *args], env=env, capture_output=True, text=True,
                         encoding="utf-8", check=False, cwd=ROOT / "docs")
    assert run.returncode in ok, run.stderr
    return run.stdout


def _mkdocs_installed() -> bool:
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not _mkdocs_installed():
        message = "mkdocs-material is not installed (the README's test command installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must build the site: never skip it there
        pytest.skip(message)
    site_dir = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"),
         "--site-dir", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", check=False,
    )
    assert run.returncode == 0, f"mkdocs build --strict failed:\n{run.stdout}\n{run.stderr}"
    assert "WARNING" not in run.stderr, run.stderr
    return site_dir


def _page(site, path: str) -> str:
    page = site / path / "index.html"
    assert page.is_file(), f"the site has no page {path}/"
    return page.read_text(encoding="utf-8")


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_every_rule_has_a_page(site):
    listed = [line.split()[0] for line in _orchlint("rules").splitlines() if line and not line.startswith(" ")]
    assert len(listed) >= 20
    index = _page(site, "reference/rules")
    for rule_id in listed:
        page = _page(site, f"reference/rules/{rule_id}")
        assert rule_id in page
        assert f'href="{rule_id}/"' in index, f"the rules index does not link {rule_id}"
    # the page carries what `orchlint explain` says: rationale, facts read, sources and examples
    page = _page(site, "reference/rules/scale.node-limit")
    assert "max_nodes" in page and "multi_cluster" in page and "post-2" in page
    assert "<strong>fail</strong>" in page and 'href="../../requirements/#requirements.nodes"' in page


def test_every_platform_has_a_page_with_its_facts_and_coverage(site):
    coverage = json.loads(_orchlint("platforms", "--coverage", "--format", "json", ok=(0, 1)))
    platforms = [p["platform"] for p in coverage["platforms"]]
    assert {"kubernetes", "nomad", "swarm", "ecs", "dcos", "mesos-marathon"} <= set(platforms)
    index = _page(site, "reference/platforms")
    for platform in platforms:
        page = _page(site, f"reference/platforms/{platform}")
        assert f'href="{platform}/"' in index
        for key in coverage["keys"]:
            assert f"<code>{key}</code>" in page, f"{platform}'s page does not show the coverage of {key}"
    listing = _orchlint("platforms", "--platform", "nomad")
    page = _page(site, "reference/platforms/nomad")
    for verified in set(re.findall(r"verified (\d{4}-\d{2}-\d{2})", listing)):
        assert f"verified {verified}" in page
    for url in set(re.findall(r"source: (https://\S+)", listing)):
        assert f'href="{url}"' in page, f"the nomad page does not cite {url}"


def test_every_requirements_key_has_a_section(site):
    schema = json.loads(_orchlint("schema"))
    ids = _ids(_page(site, "reference/requirements"))
    assert set(schema["properties"]) <= ids
    assert {f"requirements.{key}" for key in schema["properties"]["requirements"]["properties"]} <= ids
    assert {f"waivers.{key}" for key in schema["properties"]["waivers"]["items"]["properties"]} <= ids


def test_every_configuration_setting_has_a_section(site):
    schema = json.loads(_orchlint("schema", "--config"))
    assert set(schema["properties"]) <= _ids(_page(site, "reference/configuration"))


def test_the_hand_written_pages_are_built(site):
    for page in ("getting-started", "requirements", "commands", "output", "integrations", "review", "rereview",
                 "adoption", "waivers", "many-files", "configuration", "write-a-rule", "rules", "plugins",
                 "knowledge", "performance", "architecture"):
        _page(site, page)
    architecture = _page(site, "architecture")
    assert "generated: module map" not in architecture  # the map of the tree was filled in
    assert "<code>hookspecs.py</code>" in architecture or "<code>hookspecs/</code>" in architecture
    assert (site / "report-screenshot.png").is_file()
    assert (site / "examples" / "tier1_policy.py").is_file()


def test_the_readme_is_short_and_starts_with_the_two_commands():
    lines = README.splitlines()
    assert len(lines) < 250
    first_screen = "\n".join(lines[:40])
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    (test_command,) = [line for line in ci.splitlines() if line.startswith("python3 -m venv .venv-test")]
    assert "mkdocs-material" in test_command
    assert f"```sh\n{test_command}\n```" in first_screen
    assert "```sh\npython3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/orchlint check examples/logzio.yaml\n```" in first_screen


def test_the_readme_links_into_the_docs_resolve():
    links = re.findall(r"\]\((docs/[^)#]+)(?:#[^)]*)?\)", README)
    assert len(links) >= 15
    for link in links:
        assert (ROOT / link).exists(), f"the README links {link}, which does not exist"


def test_the_readme_snippets_match_the_docs_and_the_example():
    """The README's YAML is a copy of the documentation's CI snippets or of its example file."""
    docs = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))
    example = (ROOT / "examples" / "logzio.yaml").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", README, re.S)
    assert len(blocks) >= 4
    for block in blocks:
        assert block in docs or example.endswith(block), f"this README block is in no docs page:\n{block}"
