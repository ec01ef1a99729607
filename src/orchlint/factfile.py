"""Read platform fact files: the YAML form in which orchlint's knowledge is written.

The built-in platforms use it, and so can a plugin that adds a platform. A fact cites its
sources either by name (``post-2 §Storage``, resolved against named sources) or by URL.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from orchlint.schemas import validation

from orchlint.support import yamlsource
from orchlint.model import Fact, InputError, Platform, Source

if TYPE_CHECKING:
    from pathlib import Path  # for annotations only: pathlib is imported where a Path is made


class FactFileError(Exception):
    def __init__(self, path: str, errors: list[InputError]) -> None:
        self.path = path
        self.errors = errors
        first = errors[0]
        super().__init__(f"{path}:{first.line or 1}:{first.column or 1}: {first.message}")


def load_named_sources(path: Path) -> dict[str, Source]:
    """A YAML mapping of name -> {title, url, date}."""
    doc = yamlsource.load(path.read_bytes())
    return {name: _named(entry) for name, entry in doc.data.items()}


def load_fact_file(
    path: Path, named_sources: Mapping[str, Source] | None = None, *, validate: bool = True
) -> tuple[Platform, list[Fact]]:
    """Read one fact file. ``validate=False`` is for files shipped in a package whose tests
    already validate them: it saves importing jsonschema at start-up."""
    try:
        doc = yamlsource.load(path.read_bytes(), dates_as_strings=True)
    except yamlsource.LoadError as exc:
        raise FactFileError(str(path), [exc.error]) from None
    errors = validation.validate(doc, "facts") if validate else []
    if errors:
        raise FactFileError(str(path), errors)
    data = doc.data
    sources = dict(named_sources or {})
    sources.update({name: _named(entry) for name, entry in data.get("sources", {}).items()})
    meta = data["platform"]
    platform = Platform(meta["id"], meta["name"], meta.get("summary", ""), based_on=meta.get("based_on", ""))
    facts: list[Fact] = []
    for key, entries in data["facts"].items():
        for index, entry in enumerate(entries):
            where = ("facts", key, index)
            cited = []
            for ref_index, ref in enumerate(entry["sources"]):
                source = resolve_source(ref, sources)
                if source is None:
                    line, col = doc.locate(where + ("sources", ref_index))
                    raise FactFileError(str(path), [InputError(f"unknown source {ref!r}", line, col)])
                cited.append(source)
            facts.append(
                Fact(
                    platform=platform.id,
                    key=key,
                    value=entry.get("value"),
                    sources=tuple(cited),
                    verified=_day(entry["verified"]),
                    valid_from=_day(entry.get("from")),
                    valid_until=_day(entry.get("until")),
                    note=entry.get("note", ""),
                    posts_said=entry.get("posts_said", ""),
                    from_release=entry.get("from_release", ""),
                    from_as_of=entry.get("from_as_of", False),
                    until_release=entry.get("until_release", ""),
                    searched=tuple(entry.get("unknown", ())),
                )
            )
    return platform, facts


def resolve_source(ref: str, named: Mapping[str, Source]) -> Source | None:
    """``https://...`` is a URL source; ``name`` or ``name §Section`` is a named one."""
    ref = ref.strip()
    if ref.startswith(("http://", "https://")):
        return Source(title=ref, url=ref)
    name, _, section = ref.partition("§")
    base = named.get(name.strip())
    if base is None:
        return None
    return Source(base.title, base.url, section.strip(), base.date)


def _named(entry: Mapping[str, Any]) -> Source:
    return Source(entry["title"], entry.get("url", ""), "", _day(entry.get("date")))


def _day(value: Any) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))
