"""``orchlint explain RULE --platform ID``: the notes, dates and sources a one-line finding leaves out."""

from __future__ import annotations


def test_explain_with_a_platform_shows_the_facts_the_rule_reads(cli):
    result = cli("explain", "scale.node-limit", "--platform", "ecs")
    assert result.exit_code == 0
    block = result.output[result.output.index("facts it reads for ecs (Amazon ECS) on 2026-11-23:") :]
    assert "  max_nodes = 5000  [since 2022-04-05 (" in block
    assert "      note: Container instances per cluster went 2,000 -> 5,000" in block
    assert "      source: https://github.com/awsdocs/amazon-ecs-developer-guide/" in block


def test_explain_shows_a_researched_unknown_with_where_was_searched_and_the_day_given(cli):
    output = cli("explain", "scale.node-limit", "--platform", "swarm").output
    assert "  max_nodes = unknown (researched)  [since 2016-07-28" in output and "      searched: " in output
    before = cli("explain", "scale.node-limit", "--platform", "ecs", "--as-of", "2019-06-01").output
    assert "  max_nodes = 2000  [2018-12-14 until 2022-04-05 (" in before


def test_explain_reads_prefixes_and_says_when_a_fact_is_missing_on_the_day(cli):
    output = cli("explain", "storage.types", "--platform", "kubernetes", "--as-of", "2015-01-01").output
    block = output[output.index("facts it reads for kubernetes") :]
    assert "  storage.nfs: no fact on this day (unknown)" in block  # before Kubernetes 1.0


def test_explain_of_an_unknown_platform_is_a_usage_error(cli):
    result = cli("explain", "scale.node-limit", "--platform", "swarn")
    assert result.exit_code == 2 and "unknown platform 'swarn' (did you mean 'swarm'?)" in result.output
