"""Installed plugins (entry points in one group) found without importing importlib.metadata.

Importing importlib.metadata costs 15 to 30 ms on every start (it brings email, zipfile, csv
and more), while the answer needs only a directory listing per ``sys.path`` entry and the
``entry_points.txt`` of each installed distribution. This follows importlib.metadata's rules:
``*.dist-info`` and ``*.egg-info`` directories on ``sys.path``, in path order, the first
distribution of a given (normalised) name winning. Anything unusual, such as a zip file on
``sys.path`` or an import hook that provides its own distributions, is left to
importlib.metadata itself.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterator
from functools import cached_property, reduce
from typing import Any

from orchlint.model import Frozen, record


_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")
_NORMALIZE = re.compile(r"[-_.]+")


@record
class Distribution(Frozen):
    path: str  # the .dist-info or .egg-info directory

    def __init__(self, path: str) -> None:
        self.__dict__["path"] = path

    @property
    def name(self) -> str:
        return self._headers.get("Name", "")

    @property
    def version(self) -> str:
        return self._headers.get("Version", "")

    @cached_property  # name and version are both asked for each plugin: METADATA is read once
    def _headers(self) -> dict[str, str]:
        for meta in ("METADATA", "PKG-INFO"):
            try:
                with open(os.path.join(self.path, meta), encoding="utf-8", errors="replace") as handle:
                    headers: dict[str, str] = {}
                    for line in handle:
                        if not line.strip():
                            break
                        key, sep, value = line.partition(":")
                        if sep and not key.startswith((" ", "\t")):
                            headers.setdefault(key.strip(), value.strip())
                    return headers
            except OSError:
                continue
        return {}


@record
class EntryPoint(Frozen):
    name: str
    value: str
    group: str
    dist: Distribution | None = None

    def __init__(self, name: str, value: str, group: str, dist: Distribution | None = None) -> None:
        self.__dict__.update(name=name, value=value, group=group, dist=dist)

    def load(self) -> Any:
        match = _VALUE.match(self.value)
        if match is None:
            raise ValueError(f"malformed entry point value {self.value!r}")
        module = importlib.import_module(match.group("module"))
        attrs = filter(None, (match.group("attr") or "").split("."))
        return reduce(getattr, attrs, module)


def entry_points(group: str) -> list[Any]:
    """The entry points in ``group``, as importlib.metadata.entry_points(group=...) gives them."""
    if not _plain_environment():
        import importlib.metadata

        return list(importlib.metadata.entry_points(group=group))
    out = []
    seen: set[str] = set()
    for info, name in _distributions():
        if name in seen:
            continue
        seen.add(name)
        try:
            with open(os.path.join(info, "entry_points.txt"), encoding="utf-8") as handle:
                text = handle.read()
        except OSError:
            continue
        if f"[{group}]" not in text:
            continue
        dist = Distribution(info)
        out += [EntryPoint(n, v, group, dist) for section, n, v in _pairs(text) if section == group]
    return out


def _plain_environment() -> bool:
    """True when every place distributions can come from is a directory importlib.metadata
    would only list, so that listing it ourselves gives the same answer."""
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None) is not None:
            return False
    return not any(entry and os.path.isfile(entry) for entry in sys.path)


def _distributions() -> Iterator[tuple[str, str]]:
    """(metadata directory, normalised name) in importlib.metadata's order."""
    for entry in sys.path:
        base = entry or "."
        try:
            children = os.listdir(base)
        except OSError:
            continue
        eggs = []
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")):
                name = low.rpartition(".")[0].partition("-")[0]
                yield os.path.join(base, child), _NORMALIZE.sub("_", name)
            elif low == "egg-info" and base.endswith(".egg"):
                eggs.append(os.path.join(base, child))
        for egg in eggs:
            name = os.path.basename(base).rpartition(".")[0].partition("-")[0]
            yield egg, _NORMALIZE.sub("_", name.lower())


def _pairs(text: str) -> Iterator[tuple[str, str, str]]:
    """(section, name, value) from an entry_points.txt, as importlib.metadata reads it."""
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        name, _, value = line.partition("=")
        yield section or "", name.strip(), value.strip()
