"""DigitalOcean Kubernetes (DOKS) as an orchlint platform: a distribution of Kubernetes.

A platform plugin contributes a Platform and its dated, sourced facts; the built-in rules then
judge it like any other. DOKS is declared ``based_on: kubernetes``, so orchlint gives it every
fact of its built-in ``kubernetes`` platform from DOKS's first release (its earliest
``lifecycle`` fact, GA on 2019-05-21) on, and the plugin states only the keys where DOKS differs
(licence, vendor, HA control plane, node limit, zones, monitoring, ingress, GPUs, ...); each key
it states replaces the whole inherited history of that key. The facts live in ``doks.yaml`` in
orchlint's fact-file format (see orchlint's docs/knowledge.md), read with
``orchlint.factfile.load_fact_file``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from orchlint.factfile import load_fact_file
from orchlint.hookspecs import hookimpl
from orchlint.model import Fact, Platform

__version__ = "0.1.0"
FACT_FILE = Path(__file__).with_name("doks.yaml")


@lru_cache(maxsize=1)
def _load() -> tuple[Platform, tuple[Fact, ...]]:
    platform, facts = load_fact_file(FACT_FILE)
    return platform, tuple(facts)


@hookimpl
def orchlint_register_platforms(register: Callable[[Platform], None]) -> None:
    register(_load()[0])


@hookimpl
def orchlint_register_facts(register: Callable[[Fact], None]) -> None:
    for fact in _load()[1]:
        register(fact)
