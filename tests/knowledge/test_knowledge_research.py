"""The knowledge lint and coverage: every built-in platform knows every key, and every fact is
sourced, dated by its release (or flagged as an as-of fallback) and without gaps in its history."""

from __future__ import annotations

import datetime as _dt
import json

import pytest

from orchlint import factlint

from orchlint.knowledge import coverage
from orchlint.knowledge import named_sources, parse_yaml
from orchlint.model import Fact, Source

from ..conftest import ROOT, TODAY

BUILT_IN = ["aks", "dcos", "ecs", "eks", "gke", "kubernetes", "mesos-marathon", "nomad", "openshift", "swarm"]
URL = Source("https://example.org/release-notes", "https://example.org/release-notes")


def built_in_facts() -> list[Fact]:
    return [fact for _platform, facts in parse_yaml() for fact in facts]


def test_the_shipped_facts_pass_the_knowledge_lint():
    assert factlint.problems(built_in_facts(), TODAY) == []


@pytest.mark.parametrize("platform", BUILT_IN)
def test_every_vocabulary_key_is_covered_today(registry, platform):
    [found] = coverage.coverage(registry, TODAY, [platform])
    missing = [key for key, status, _fact in found.cells if status == coverage.MISSING]
    assert missing == [], f"{platform} has no fact for {missing}: research them (docs/knowledge.md)"


@pytest.mark.parametrize("platform", BUILT_IN)
def test_every_key_is_known_back_to_the_platforms_first_release(registry, platform):
    start = min(f.valid_from for f in registry.knowledge.history(platform, "lifecycle"))
    base = registry.platforms[platform].based_on
    # A distribution's inherited keys are known from when its base's are: OpenShift 3.0
    # (2015-06-24) shipped a Kubernetes from before v1.0 (2015-07-21), which orchlint does not
    # judge, so those few weeks are honestly unknown.
    base_start = min(f.valid_from for f in registry.knowledge.history(base, "lifecycle")) if base else start
    gaps = {}
    for key in coverage.vocabulary():
        history = registry.knowledge.history(platform, key)
        inherited = bool(history) and all(f.inherited_from for f in history)
        why = factlint.history_gaps(history, max(start, base_start) if inherited else start, TODAY)
        if why:
            gaps[key] = why
    assert gaps == {}, f"{platform} since its first release {start}: {gaps}"


def test_researched_unknowns_are_at_most_five_percent_and_each_is_listed_in_the_docs(registry):
    result = coverage.coverage(registry, TODAY, BUILT_IN)
    cells = sum(len(c.cells) for c in result)
    unknown = [(c.platform, key) for c in result for key, status, _f in c.cells if status == coverage.RESEARCHED_UNKNOWN]
    assert len(unknown) <= 0.05 * cells, unknown
    docs = (ROOT / "docs" / "knowledge.md").read_text(encoding="utf-8")
    for platform, key in unknown:
        assert f"| {platform} | `{key}` |" in docs, f"{platform}/{key} is a researched unknown not listed in docs/knowledge.md"


# Named sources without a URL: the seed posts, and the list of review questions orchlint asks
# beyond them (issue 19), which the built-in rules cite; every fact rests on a URL.
NO_URL = ("post-1", "post-2", "review-questions")


def test_every_named_source_is_cited_and_has_a_url_or_is_orchlints_own(registry):
    cited = {s.title for fact in built_in_facts() for s in fact.sources}
    cited |= {s.title for rule in registry.rules.values() for s in rule.sources}
    for name, source in named_sources().items():
        assert source.title in cited, f"named source {name!r} is never cited"
        assert source.url.startswith("https://") or name in NO_URL, name
    assert not any(s.title == named_sources()["review-questions"].title for fact in built_in_facts() for s in fact.sources)


def test_the_vocabulary_in_the_docs_is_the_schemas():
    docs = (ROOT / "docs" / "knowledge.md").read_text(encoding="utf-8")
    for key in coverage.vocabulary():
        base, _, item = key.partition(".")
        assert f"`{base}" in docs and (not item or f"`{item}`" in docs), key


# -- the lint itself: each rule fires on a fact that breaks it ---------------------------------

def fact(**changes) -> Fact:
    base = dict(platform="p", key="rollback", value=True, sources=(URL,), verified=_dt.date(2026, 1, 1), valid_from=_dt.date(2020, 1, 1), from_release="p 1.0")
    base.update(changes)
    return Fact(**base)


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"sources": (Source("post-1"),)}, "cites no https URL"),
        ({"verified": _dt.date(2027, 1, 1)}, "after today"),
        ({"valid_from": None, "from_release": ""}, "no 'from'"),
        ({"from_release": ""}, "tied to no release"),
        ({"from_as_of": True, "note": "looked in the changelog"}, "both from_release and from_as_of"),
        ({"from_release": "", "from_as_of": True}, "from_as_of without a note"),
        ({"value": "limited"}, "'limited' without a note"),
        ({"value": None, "searched": ("the docs",)}, "researched unknown without a note"),
        ({"value": None, "searched": ("the docs",), "note": "n", "valid_from": None}, "researched unknown with no 'from'"),
    ],
)
def test_the_knowledge_lint_names_each_breach(changes, complaint):
    found = factlint.problems([fact(**changes)], TODAY)
    assert len(found) == 1 and complaint in found[0], found


def test_the_knowledge_lint_accepts_a_release_dated_history_and_refuses_a_gap():
    first = fact(valid_until=_dt.date(2021, 1, 1))
    assert factlint.problems([first, fact(valid_from=_dt.date(2021, 1, 1), from_release="p 2.0")], TODAY) == []
    [gap] = factlint.problems([first, fact(valid_from=_dt.date(2021, 2, 1), from_release="p 2.0")], TODAY)
    assert "a gap or overlap" in gap


# -- orchlint platforms --coverage ------------------------------------------------------------

def test_coverage_command_prints_the_matrix_and_totals(cli):
    result = cli("platforms", "--coverage")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == BUILT_IN
    assert any(line.startswith("health_check.grpc ") for line in lines)
    for platform in BUILT_IN:
        size = len(coverage.vocabulary())
        assert any(line.startswith(f"{platform}: {size}/{size} keys covered (100%)") for line in lines), platform


def test_coverage_json_lists_every_cell_and_the_researched_unknowns(cli):
    data = json.loads(cli("platforms", "--coverage", "--format", "json").output)
    assert data["as_of"] == TODAY.isoformat()
    assert data["keys"] == list(coverage.vocabulary())
    assert [p["platform"] for p in data["platforms"]] == BUILT_IN
    for entry in data["platforms"]:
        assert entry["missing"] == 0 and entry["covered"] == len(coverage.vocabulary())
        assert set(entry["cells"].values()) <= {coverage.KNOWN, coverage.RESEARCHED_UNKNOWN}
    for unknown in data["researched_unknown"]:
        assert unknown["searched"] and unknown["note"]


def test_coverage_before_a_platform_existed_is_missing_and_exits_1(cli):
    result = cli("platforms", "--coverage", "--platform", "ecs", "--as-of", "2010-01-01")
    assert result.exit_code == 1
    assert f"ecs: 0/{len(coverage.vocabulary())} keys covered (0%)" in result.output


def test_coverage_of_an_unknown_platform_is_a_usage_error(cli):
    result = cli("platforms", "--coverage", "--platform", "nomda")
    assert result.exit_code == 2
    assert "unknown platform 'nomda'" in result.output and "nomad" in result.output


def test_a_realistic_aws_requirements_file_gets_no_no_fact_finding_on_any_platform(cli):
    # A mid-size AWS team: stateful services, vendor support required, custom-metric
    # autoscaling, host networking, health checks, rollback.
    data = json.loads(cli("check", str(ROOT / "examples" / "aws-midsize.yaml"), "--format", "json", "-v").output)
    platforms = data["files"][0]["platforms"]
    assert sorted(p["id"] for p in platforms) == BUILT_IN
    no_fact = [(p["id"], f["rule"], f["message"]) for p in platforms for f in p["findings"] if "has no fact" in f["message"]]
    assert no_fact == []
    assert sum(len(p["findings"]) for p in platforms) > 6 * 20


# -- a researched unknown in a finding --------------------------------------------------------

@pytest.mark.parametrize("rule_module", ["declarative", "python"])
def test_a_researched_unknown_warns_and_cites_where_was_searched(rule_module):
    from orchlint.model import Outcome, Severity
    from orchlint.testing import load_rule, researched_unknown, run_rule

    if rule_module == "declarative":
        rule, requirements, key = load_rule(ROOT / "rules" / "deploy_rollback.yaml"), {"rollback": True}, "rollback"
    else:
        from orchlint.rules.scale_node_limit import RULE as rule

        requirements, key = {"nodes": 10}, "max_nodes"
    [finding] = run_rule(rule, requirements, {key: researched_unknown("the vendor's docs", "its changelog")})
    assert finding.severity is Severity.UNKNOWN and finding.outcome is Outcome.UNKNOWN
    assert "researched, and no public source settles it" in finding.message
    assert "searched: the vendor's docs; its changelog" in finding.message
    assert finding.fact is not None and finding.fact.searched == ("the vendor's docs", "its changelog")
    [plain] = run_rule(rule, requirements, {})
    assert "has no fact" in plain.message and plain.fact is None
