"""The documentation's walkthrough (docs/write-a-rule.md), configuration example and docs/examples work exactly as written."""

from __future__ import annotations

import json
import re

import pytest

from ..conftest import EXAMPLES, ROOT

DOCS = ROOT / "docs"
LOGZIO = str(EXAMPLES / "logzio.yaml")


def _block(first_line: str, page: str = "write-a-rule.md") -> str:
    """The fenced code block of the documentation page that starts with ``first_line``."""
    text = (DOCS / page).read_text(encoding="utf-8")
    match = re.search(r"```[a-z]*\n(" + re.escape(first_line) + r"\n.*?)```", text, re.DOTALL)
    assert match, f"no block of docs/{page} starts with {first_line!r}"
    return match.group(1)


@pytest.fixture
def policy(tmp_path):
    directory = tmp_path / "policy"
    directory.mkdir()
    (directory / "licence-osi.yaml").write_text(_block("# policy/licence-osi.yaml"), encoding="utf-8")
    (tmp_path / "acme_rules.py").write_text(_block("# policy/acme_rules.py"), encoding="utf-8")
    return tmp_path


def test_walkthrough_rule_file_passes_orchlint_test(cli, policy):
    result = cli("test", str(policy / "policy"))
    assert result.exit_code == 0
    assert result.output == "1 rules, 3 examples, 0 failed\n"


def test_walkthrough_rule_file_fails_nomad_on_its_licence(cli, policy):
    result = cli("check", LOGZIO, "--rules", str(policy / "policy"), "--select", "acme", "--format", "json")
    platforms = {p["id"]: p for p in json.loads(result.stdout)["files"][0]["platforms"]}
    (nomad,) = platforms["nomad"]["findings"]
    assert (nomad["rule"], nomad["severity"]) == ("acme.osi-licence", "fail")
    assert nomad["message"].startswith("HashiCorp Nomad is licensed BUSL-1.1, which OSP-2 forbids (")
    assert [f["severity"] for f in platforms["kubernetes"]["findings"]] == ["pass"]  # Apache-2.0, a dated fact
    assert [f["severity"] for f in platforms["ecs"]["findings"]] == ["fail"]  # proprietary


def test_walkthrough_python_rule_and_its_tests(cli, policy):
    result = cli("check", LOGZIO, "--plugin", str(policy / "acme_rules.py"), "--select", "acme", "--format", "json")
    platforms = {p["id"]: p for p in json.loads(result.stdout)["files"][0]["platforms"]}
    assert [f["severity"] for f in platforms["kubernetes"]["findings"]] == ["fail"]  # third-party support only
    namespace: dict = {}
    exec(compile((policy / "acme_rules.py").read_text(), "acme_rules.py", "exec"), namespace)
    exec(_block("from orchlint.testing import check, check_example"), namespace)
    namespace["test_examples"]()
    namespace["test_position"]()


def test_docs_configuration_example_is_valid(tmp_path):
    from orchlint.cli.configfile import load_file

    path = tmp_path / ".orchlint.yaml"
    path.write_text(_block("# .orchlint.yaml", "configuration.md"), encoding="utf-8")
    values, _origins = load_file(path)
    assert values["select"] == ("acme", "licence", "scale")


def test_docs_example_plugin_uses_every_hook(cli):
    plugin = str(ROOT / "docs" / "examples" / "tier1_policy.py")
    result = cli("check", LOGZIO, "--plugin", plugin, "--format", "tier1-summary", "--platform", "acme-k8s", "--platform", "kubernetes")
    assert result.output == f"{LOGZIO}: acme-k8s\n"
    listed = json.loads(cli("plugins", "--json", "--plugin", plugin).stdout)
    entry = next(e for e in listed if e["name"] == plugin)
    assert entry["contributed"] == {
        "platforms": ["acme-k8s"],
        "facts": ["acme-k8s/max_nodes", "acme-k8s/vendor_support"],
        "requirements": ["acme"],
        "rules": ["acme.production-vendor"],
        "formats": ["tier1-summary"],
    }
    tested = cli("test", "--plugin", plugin, "--select", "acme")
    assert tested.exit_code == 0
