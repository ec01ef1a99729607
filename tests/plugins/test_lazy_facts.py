"""Facts filed as a FactHistory are made when first read, and the knowledge answers exactly as
if every fact had been registered one by one."""

from __future__ import annotations

import datetime as _dt
import types

import pytest

from orchlint import knowledge
from orchlint.hookspecs import hookimpl
from orchlint.model import Fact, FactHistory, Platform, Source
from orchlint.plugins.manager import get_plugin_manager
from orchlint.plugins.registry import KnowledgeBase, build_registry
from orchlint.testing import plugin_manager

SOURCE = (Source("https://example.com/docs"),)


def _fact(platform, key, value, start, until=None):
    return Fact(platform, key, value, SOURCE, _dt.date(2026, 11, 23), start, until)


def _built_in() -> object:
    return build_registry(get_plugin_manager(entry_points=False)[0])


def test_building_the_registry_makes_no_built_in_fact():
    made = []
    registry = _built_in()
    later = registry.knowledge._later
    assert len(later) > 500  # every built-in key, distributions' inherited ones included
    for history in later.values():  # count what is made from here on
        history.make = (lambda make: lambda: made.append(1) or make())(history.make)
    registry.knowledge.at("kubernetes", "rollback", _dt.date(2026, 11, 23))
    assert len(made) == 1  # one key, not the knowledge


def test_the_built_in_knowledge_is_the_same_made_lazily_or_registered_fact_by_fact(monkeypatch):
    lazily = _built_in().knowledge.all()
    # Without the compiled copy the plugin registers each fact from the YAML files.
    monkeypatch.setattr(knowledge, "_compiled_copy", lambda: None)
    knowledge._load.cache_clear()
    try:
        one_by_one = _built_in().knowledge.all()
    finally:
        knowledge._load.cache_clear()
    assert lazily == one_by_one
    assert [f.sources for f in lazily] == [f.sources for f in one_by_one]
    assert len({f.platform for f in lazily if f.inherited_from}) == 4  # eks, aks, gke, openshift


def test_a_keys_days_split_time_where_its_facts_change_without_making_them():
    registry = _built_in()
    knowledge = registry.knowledge
    days = {(platform, key): sorted(knowledge.days(platform, key)) for platform in registry.platforms for key in knowledge.keys(platform)}
    assert knowledge._later  # nothing was made to find them
    facts = knowledge.all()
    for fact in facts:
        changes = days[fact.platform, fact.key]
        assert {d for d in (fact.valid_from, fact.valid_until) if d is not None} <= set(changes)
        # Between two of its key's days a fact holds or does not alike: what the engine's reuse needs.
        for first, last in zip(changes, changes[1:]):
            assert fact.holds_on(first) == fact.holds_on(last - _dt.timedelta(days=1)), (fact.platform, fact.key, first)


def test_a_plugin_fact_is_compared_with_a_built_in_key_not_made_yet():
    class Plugin:
        @hookimpl
        def orchlint_register_facts(self, register):
            register(_fact("kubernetes", "rollback", False, _dt.date(2020, 1, 1)))

    registry = build_registry(plugin_manager(Plugin(), builtins=True))
    assert any("kubernetes/rollback" in e.message and "overlaps" in e.message for e in registry.errors)


def test_a_third_party_history_is_made_and_checked_at_once():
    made = []

    def make():
        made.append(1)
        return [_fact("mine", "rollback", "sometimes", _dt.date(2020, 1, 1))]

    module = types.ModuleType("history_plugin")

    @hookimpl
    def orchlint_register_platforms(register):
        register(Platform("mine", "Mine"))

    @hookimpl
    def orchlint_register_facts(register):
        register(FactHistory("mine", "rollback", 1, frozenset({_dt.date(2020, 1, 1)}), make))

    module.orchlint_register_platforms = orchlint_register_platforms
    module.orchlint_register_facts = orchlint_register_facts
    registry = build_registry(plugin_manager(module))
    assert made == [1]
    # checked as a fact registered alone would be: rollback takes true, false or "limited"
    assert any(e.plugin == "history_plugin" and "rollback" in e.message for e in registry.errors)


@pytest.mark.parametrize("first", ["history", "fact"])
def test_a_key_filed_twice_is_compared(first):
    kb = KnowledgeBase()
    history = FactHistory("p", "k", 1, frozenset({_dt.date(2020, 1, 1)}), lambda: [_fact("p", "k", 1, _dt.date(2020, 1, 1))])
    overlapping = _fact("p", "k", 2, _dt.date(2021, 1, 1))
    if first == "history":
        assert kb.add_later(history) == []
        assert "overlaps" in (kb.add(overlapping) or "")
    else:
        assert kb.add(overlapping) is None
        assert any("overlaps" in c for c in kb.add_later(history))
