"""orchlint's built-in platforms and their facts: an ordinary plugin reading the YAML files here."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from orchlint.factfile import load_fact_file, load_named_sources, resolve_source
from orchlint.hookspecs import hookimpl
from orchlint.model import Fact, Platform, Source


def fact_files() -> list[Path]:
    return sorted(p for p in _directory().glob("*.yaml") if not p.name.startswith("_"))


def _directory() -> Path:
    return Path(str(resources.files(__name__)))


@lru_cache(maxsize=1)
def named_sources() -> dict[str, Source]:
    return load_named_sources(_directory() / "_sources.yaml")


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[Platform, tuple[Fact, ...]], ...]:
    sources = named_sources()
    loaded = []
    for path in fact_files():
        # Validated against facts.schema.json by the test suite, not on every start.
        platform, facts = load_fact_file(path, sources, validate=False)
        loaded.append((platform, tuple(facts)))
    return tuple(loaded)


def cite(*refs: str) -> tuple[Source, ...]:
    """Sources for a built-in rule, e.g. ``cite("post-2 §Storage")``."""
    out = []
    for ref in refs:
        source = resolve_source(ref, named_sources())
        if source is None:
            raise KeyError(f"unknown source {ref!r}")
        out.append(source)
    return tuple(out)


def source_resolver() -> Callable[[str], Source | None]:
    """Resolves a rule file's ``sources:`` entries: URLs, or the named sources shipped here."""
    named = named_sources()
    return lambda ref: resolve_source(ref, named)


@hookimpl
def orchlint_register_platforms(register: Callable[[Platform], None]) -> None:
    for platform, _facts in _load():
        register(platform)


@hookimpl
def orchlint_register_facts(register: Callable[[Fact], None]) -> None:
    for _platform, facts in _load():
        for fact in facts:
            register(fact)
