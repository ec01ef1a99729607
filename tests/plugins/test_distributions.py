"""A distribution (``Platform.based_on``) inherits its base platform's facts from its own first
release on, and its own facts replace the inherited history key by key, for built-in
platforms and plugins alike."""

from __future__ import annotations

import datetime as _dt
import types

from orchlint.hookspecs import hookimpl
from orchlint.model import Fact, Platform, Source
from orchlint.plugins.registry import build_registry
from orchlint.testing import plugin_manager, registry_for

SOURCE = (Source("https://example.com/docs"),)
DAY = _dt.date


def _plugin(platforms, facts) -> types.ModuleType:
    module = types.ModuleType("distro_plugin")

    @hookimpl
    def orchlint_register_platforms(register):
        for platform in platforms:
            register(platform)

    @hookimpl
    def orchlint_register_facts(register):
        for fact in facts:
            register(fact)

    module.orchlint_register_platforms = orchlint_register_platforms
    module.orchlint_register_facts = orchlint_register_facts
    return module


def fact(platform, key, value, start, until=None, release="r"):
    return Fact(platform, key, value, SOURCE, DAY(2026, 11, 23), start, until, from_release=release)


BASE = Platform("upstream", "Upstream")
DISTRO = Platform("distro", "Distro", based_on="upstream")
UPSTREAM_FACTS = [
    fact("upstream", "lifecycle", {"status": "active"}, DAY(2015, 1, 1)),
    fact("upstream", "max_nodes", 100, DAY(2015, 1, 1), DAY(2016, 1, 1)),  # ended before the distro began
    fact("upstream", "max_nodes", 5000, DAY(2016, 1, 1)),
    fact("upstream", "rollback", False, DAY(2015, 1, 1), DAY(2019, 1, 1)),
    fact("upstream", "rollback", True, DAY(2019, 1, 1), release="upstream 2.0"),
    fact("upstream", "vendor_support", "third-party", DAY(2015, 1, 1)),
]
DISTRO_FACTS = [
    fact("distro", "lifecycle", {"status": "active"}, DAY(2018, 6, 5), release="Distro GA"),
    fact("distro", "vendor_support", "single-vendor", DAY(2018, 6, 5), release="Distro GA"),
]


def _registry(platforms=(BASE, DISTRO), facts=(*UPSTREAM_FACTS, *DISTRO_FACTS), *, faulty=False):
    plugin = _plugin(list(platforms), list(facts))
    return build_registry(plugin_manager(plugin)) if faulty else registry_for(plugin)


def test_inherited_facts_start_at_the_distributions_first_release_and_own_facts_win():
    reg = _registry()
    assert reg.errors == []
    nodes = reg.knowledge.history("distro", "max_nodes")
    assert [(f.value, f.valid_from, f.from_release, f.inherited_from) for f in nodes] == [(5000, DAY(2018, 6, 5), "Distro GA", "upstream")]
    rollback = reg.knowledge.history("distro", "rollback")
    assert [(f.value, f.valid_from, f.valid_until) for f in rollback] == [(False, DAY(2018, 6, 5), DAY(2019, 1, 1)), (True, DAY(2019, 1, 1), None)]
    assert rollback[1].from_release == "upstream 2.0"  # a change after the distro began keeps its release
    support = reg.knowledge.history("distro", "vendor_support")
    assert [(f.value, f.inherited_from) for f in support] == [("single-vendor", "")]
    assert reg.knowledge.at("distro", "rollback", DAY(2018, 1, 1)) is None  # before it existed: unknown
    assert reg.knowledge.at("upstream", "vendor_support", DAY(2020, 1, 1)).value == "third-party"  # the base is untouched


def test_a_distribution_of_a_distribution_inherits_through_both():
    grand = Platform("grand", "Grand", based_on="distro")
    reg = _registry((BASE, DISTRO, grand), (*UPSTREAM_FACTS, *DISTRO_FACTS, fact("grand", "lifecycle", {"status": "active"}, DAY(2020, 1, 1))))
    assert reg.errors == []
    assert reg.knowledge.at("grand", "vendor_support", DAY(2021, 1, 1)).value == "single-vendor"
    assert reg.knowledge.at("grand", "max_nodes", DAY(2021, 1, 1)).inherited_from == "upstream"


def test_a_missing_base_a_cycle_or_no_lifecycle_is_the_plugins_error():
    orphan = _registry((Platform("orphan", "Orphan", based_on="nowhere"),), [fact("orphan", "lifecycle", {"status": "active"}, DAY(2020, 1, 1))], faulty=True)
    assert any("based on unknown platform 'nowhere'" in e.message for e in orphan.errors)
    a, b = Platform("a", "A", based_on="b"), Platform("b", "B", based_on="a")
    cycle = _registry((a, b), [fact("a", "lifecycle", {"status": "active"}, DAY(2020, 1, 1)), fact("b", "lifecycle", {"status": "active"}, DAY(2020, 1, 1))], faulty=True)
    assert any("is based on itself" in e.message for e in cycle.errors)
    undated = _registry((BASE, DISTRO), UPSTREAM_FACTS, faulty=True)
    assert any("has no dated 'lifecycle' fact" in e.message for e in undated.errors)
