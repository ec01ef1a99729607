"""What ``orchlint plugins`` shows: each plugin, where it came from, and what it contributed."""

from __future__ import annotations

import sys
from typing import Any

from orchlint.plugins.manager import PluginManager
from orchlint.plugins.registry import Registry

KINDS = ("platforms", "facts", "requirements", "rules", "formats")


def describe(pm: PluginManager, registry: Registry) -> list[dict[str, Any]]:
    failed = {e.plugin: e.message for e in registry.errors}
    entries = []
    for name, origin in pm.origins.items():
        plugin = pm.get_plugin(name)
        contributed = registry.contributions.get(name, {})
        entries.append(
            {
                "name": name,
                "status": "error" if name in failed else "loaded",
                "from": origin,
                "version": pm.versions.get(name) or None,
                "location": _location(plugin),
                "contributed": {kind: sorted(contributed.get(kind, [])) for kind in KINDS},
                "error": failed.get(name),
            }
        )
    for name, origin in pm.skipped.items():
        entries.append({"name": name, "status": "blocked", "from": origin, "version": None, "location": None,
                        "contributed": {kind: [] for kind in KINDS}, "error": None})
    loaded = set(pm.origins) | set(pm.skipped)
    for name, message in failed.items():
        if name not in loaded:  # failed to import: never registered
            entries.append({"name": name, "status": "error", "from": None, "version": None, "location": None,
                            "contributed": {kind: [] for kind in KINDS}, "error": message})
    return entries


def _location(plugin: Any) -> str | None:
    path = getattr(plugin, "__file__", None)
    if path is None:  # a plugin object rather than a module
        path = getattr(sys.modules.get(type(plugin).__module__), "__file__", None)
    return path or None


def to_text(entries: list[dict[str, Any]]) -> str:
    lines = []
    for entry in entries:
        version = f" {entry['version']}" if entry["version"] else ""
        lines.append(f"{entry['name']}{version}  [{entry['status']}]  from: {entry['from'] or '-'}")
        if entry["location"]:
            lines.append(f"    location: {entry['location']}")
        for kind in KINDS:
            items = entry["contributed"][kind]
            if not items:
                continue
            shown = ", ".join(items) if kind != "facts" else f"{len(items)} facts"
            lines.append(f"    {kind}: {shown}")
        if entry["error"]:
            lines.append(f"    error: {entry['error']}")
    from orchlint.support.terminal import clean

    return "\n".join(clean(line) for line in lines)  # names and ids from plugins: never an escape
