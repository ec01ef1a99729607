"""The shipped knowledge: valid fact files, every fact sourced and dated, no overlapping windows."""

from __future__ import annotations

import datetime as _dt

import pytest

from orchlint.factfile import FactFileError, load_fact_file
from orchlint.knowledge import fact_files, named_sources


@pytest.mark.parametrize("path", fact_files(), ids=lambda p: p.name)
def test_fact_file_validates_against_the_shipped_schema(path):
    platform, facts = load_fact_file(path, named_sources(), validate=True)
    assert platform.id == path.stem
    assert facts


def test_six_platforms_with_sourced_dated_facts(registry):
    assert sorted(registry.platforms) == ["aks", "dcos", "ecs", "eks", "gke", "kubernetes", "mesos-marathon", "nomad", "openshift", "swarm"]
    for fact in registry.knowledge.all():
        assert fact.sources, fact
        assert _dt.date(2014, 1, 1) <= fact.verified <= _dt.date(2026, 11, 23), fact
        if fact.valid_from and fact.valid_until:
            assert fact.valid_from < fact.valid_until, fact
        if fact.value == "limited":
            assert fact.note, f"{fact.platform}/{fact.key} is limited without saying why"


def test_overlapping_windows_are_refused(registry):
    from dataclasses import replace

    from orchlint.plugins.registry import KnowledgeBase

    fact = registry.knowledge.history("nomad", "license")[0]
    kb = KnowledgeBase()
    assert kb.add(fact) is None
    assert "overlaps" in kb.add(replace(fact, value={"spdx": "X", "osi_approved": False}))


def test_a_broken_fact_file_names_file_line_and_column(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text("platform:\n  id: acme\n  name: Acme\nfacts:\n  max_nodes:\n    - value: 10\n      verified: 2025-01-01\n      sources: [nowhere]\n")
    with pytest.raises(FactFileError, match=r"acme.yaml:8:\d+: unknown source 'nowhere'"):
        load_fact_file(path, named_sources())
    path.write_text("platform:\n  id: acme\n  name: Acme\nfacts:\n  max_nodes:\n    - value: 10\n      sources: [post-1]\n")
    with pytest.raises(FactFileError, match=r"acme.yaml:6:\d+: facts.max_nodes\[0\]: missing required key 'verified'"):
        load_fact_file(path, named_sources())


def test_posts_claims_are_kept_where_the_docs_disagree(registry):
    said = {(f.platform, f.key) for f in registry.knowledge.all() if f.posts_said}
    assert ("mesos-marathon", "network.flat") in said
