"""orchlint's built-in platforms and their facts: an ordinary plugin reading the YAML files here.

The YAML files are the source of truth. Parsing them costs about 30 ms, so a compiled copy
(``_compiled.py``, written by ``python -m orchlint.generate``) is used instead while the
fingerprint of every YAML file still matches the one it was compiled from; otherwise, for
example in a checkout where someone just edited a fact, the YAML is parsed as before.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable
from dataclasses import fields
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from orchlint.support.fingerprint import fingerprint, unchanged
from orchlint.hookspecs import hookimpl
from orchlint.model import Fact, FactHistory, Platform, Source

if TYPE_CHECKING:
    from pathlib import Path  # for annotations only: pathlib is imported where a Path is made

SOURCES_FILE = "_sources.yaml"

Loaded = tuple[tuple[Platform, tuple[Fact, ...]], ...]


def fact_files() -> list[Path]:
    return sorted(p for p in _directory().glob("*.yaml") if not p.name.startswith("_"))


# A string, for start-up: pathlib costs about 2 ms to import and a plain check needs none of it.
_DIRECTORY = os.path.dirname(os.path.realpath(__file__))


def _directory() -> Path:
    from pathlib import Path

    return Path(_DIRECTORY)


def fingerprints() -> tuple[tuple[str, tuple[int, int]], ...]:
    """(file name, fingerprint) of every YAML file the knowledge is read from."""
    directory = _directory()
    names = sorted(n for n in os.listdir(directory) if n.endswith(".yaml"))
    return tuple((name, fingerprint((directory / name).read_bytes())) for name in names)


@lru_cache(maxsize=1)
def _compiled_copy() -> Any:
    """The compiled module, or None when there is none or it is stale."""
    try:
        from orchlint.knowledge import _compiled as compiled
    except ImportError:
        return None
    printed = getattr(compiled, "FINGERPRINTS", None)
    directory = _DIRECTORY
    if not isinstance(printed, tuple) or [name for name, _ in printed] != sorted(n for n in os.listdir(directory) if n.endswith(".yaml")):
        return None
    if not all(unchanged(os.path.join(directory, name), fp) for name, fp in printed):
        return None
    return compiled


@lru_cache(maxsize=1)
def named_sources() -> dict[str, Source]:
    compiled = _compiled_copy()
    if compiled is not None:
        return {name: _source(entry) for name, entry in compiled.SOURCES.items()}
    from orchlint.factfile import load_named_sources

    return load_named_sources(_directory() / SOURCES_FILE)


@lru_cache(maxsize=1)
def _load() -> Loaded:
    compiled = _compiled_copy()
    if compiled is not None:
        return from_compiled(compiled.PLATFORMS)
    return parse_yaml()


def parse_yaml() -> Loaded:
    """Read the YAML files themselves (what the compiled copy is built from)."""
    from orchlint.factfile import load_fact_file

    sources = named_sources()
    loaded = []
    for path in fact_files():
        # Validated against facts.schema.json by the test suite, not on every start.
        platform, facts = load_fact_file(path, sources, validate=False)
        loaded.append((platform, tuple(facts)))
    return tuple(loaded)


class _Maker:
    """Facts from the compiled rows. The compiled data passed the fact schema when it was
    compiled, so each Fact is filled in directly (a frozen dataclass's __init__ sets its fields
    one by one through object.__setattr__: three times slower), and the sources and days many
    facts share are made once each."""

    def __init__(self) -> None:
        self._sources: dict[Any, Source] = {}
        self._days: dict[str | None, _dt.date | None] = {None: None}

    def source(self, entry: Any) -> Source:
        made = self._sources.get(entry)
        if made is None:
            made = self._sources[entry] = _source(entry)
        return made

    def day(self, text: str | None) -> _dt.date | None:
        made = self._days.get(text, _MISSING)
        if made is _MISSING:
            made = self._days[text] = _day(text)
        return made

    def facts(self, pid: str, rows: Any) -> list[Fact]:
        made = []
        for key, value, cited, verified, start, until, note, posts, dating, searched in rows:
            fact = object.__new__(Fact)
            fact.__dict__.update(
                zip(
                    _FACT_FIELDS,
                    (pid, key, value, tuple(map(self.source, cited)), self.day(verified), self.day(start), self.day(until), note, posts, *dating, tuple(searched), ""),
                )
            )
            made.append(fact)
        return made

    def histories(self, pid: str, rows: Any) -> list[FactHistory]:
        """The rows as one FactHistory per key, each made when first read."""
        by_key: dict[str, list[Any]] = {}
        for row in rows:
            by_key.setdefault(row[0], []).append(row)
        return [
            FactHistory(
                pid,
                key,
                len(keyed),
                frozenset(d for row in keyed for d in (self.day(row[4]), self.day(row[5])) if d is not None),
                partial(self.facts, pid, keyed),
            )
            for key, keyed in by_key.items()
        ]


def from_compiled(platforms: Any) -> Loaded:
    maker = _Maker()
    return tuple((_platform(meta), tuple(maker.facts(meta[0], rows))) for meta, rows in platforms)


def _platform(meta: tuple[str, str, str, str]) -> Platform:
    pid, name, summary, based_on = meta
    return Platform(pid, name, summary, based_on=based_on)


_MISSING: Any = object()
_FACT_FIELDS = tuple(f.name for f in fields(Fact))


def to_compiled(loaded: Loaded) -> tuple[Any, ...]:
    """Plain literals for ``_compiled.py``: the inverse of from_compiled."""
    return tuple(
        (
            (platform.id, platform.name, platform.summary, platform.based_on),
            tuple(
                (
                    f.key, f.value, tuple(_source_tuple(s) for s in f.sources), _iso(f.verified), _iso(f.valid_from), _iso(f.valid_until),
                    f.note, f.posts_said, (f.from_release, f.from_as_of, f.until_release), f.searched,
                )
                for f in facts
            ),
        )
        for platform, facts in loaded
    )


def _source(entry: tuple[str, str, str, str | None]) -> Source:
    title, url, section, date = entry
    return Source(title, url, section, _day(date))


def _source_tuple(source: Source) -> tuple[str, str, str, str | None]:
    return (source.title, source.url, source.section, _iso(source.date))


def _day(text: str | None) -> _dt.date | None:
    return _dt.date.fromisoformat(text) if text else None


def _iso(day: _dt.date | None) -> str | None:
    return day.isoformat() if day else None


def cite(*refs: str) -> tuple[Source, ...]:
    """Sources for a built-in rule, e.g. ``cite("post-2 §Storage")``."""
    from orchlint.factfile import resolve_source

    out = []
    for ref in refs:
        source = resolve_source(ref, named_sources())
        if source is None:
            raise KeyError(f"unknown source {ref!r}")
        out.append(source)
    return tuple(out)


def source_resolver() -> Callable[[str], Source | None]:
    """Resolves a rule file's ``sources:`` entries: URLs, or the named sources shipped here."""
    from orchlint.factfile import resolve_source

    named = named_sources()
    return lambda ref: resolve_source(ref, named)


@hookimpl
def orchlint_register_platforms(register: Callable[[Platform], None]) -> None:
    compiled = _compiled_copy()
    for meta, _rows in compiled.PLATFORMS if compiled is not None else ():
        register(_platform(meta))
    for platform, _facts in _load() if compiled is None else ():
        register(platform)


@hookimpl
def orchlint_register_facts(register: Callable[[Fact | FactHistory], None]) -> None:
    compiled = _compiled_copy()
    if compiled is not None:
        # One history per key, made when a rule first reads it: a check reads a fifth of them.
        maker = _Maker()
        for meta, rows in compiled.PLATFORMS:
            for history in maker.histories(meta[0], rows):
                register(history)
        return
    for _loaded_platform, facts in _load():  # no compiled copy: the YAML files, parsed
        for fact in facts:
            register(fact)
