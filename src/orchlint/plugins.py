"""Build the plugin manager: built-ins first, then installed plugins, then explicitly named ones.

There is no module-level manager; every call builds a fresh one, so tests need no reloads.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import pluggy

from orchlint import hookspecs

# Built-ins take the same path as third-party plugins: ordinary modules with hookimpls.
BUILTIN_PLUGINS = (
    "orchlint.knowledge",
    "orchlint.rules",
    "orchlint.formatters",
)
ENTRY_POINT_GROUP = "orchlint"


class PluginLoadError(Exception):
    def __init__(self, plugin: str, message: str) -> None:
        super().__init__(f"plugin {plugin!r}: {message}")
        self.plugin = plugin
        self.message = message


def get_plugin_manager(
    *,
    block: Iterable[str] = (),
    extra: Iterable[str] = (),
    entry_points: bool | None = None,
    builtins: bool = True,
) -> tuple[pluggy.PluginManager, list[PluginLoadError]]:
    """A fresh manager and the plugins that failed to load (the run goes on without them).

    ``entry_points`` defaults to on unless ORCHLINT_DISABLE_PLUGIN_AUTOLOAD is set, as pytest's
    PYTEST_DISABLE_PLUGIN_AUTOLOAD: explicitly named plugins still load.
    """
    if entry_points is None:
        entry_points = not os.environ.get("ORCHLINT_DISABLE_PLUGIN_AUTOLOAD")
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    failures: list[PluginLoadError] = []
    for name in block:
        pm.set_blocked(name)
    if builtins:
        for name in BUILTIN_PLUGINS:
            if not pm.is_blocked(name):
                pm.register(importlib.import_module(name), name=name)
    if entry_points:
        # One by one rather than pluggy's load_setuptools_entrypoints, which stops at the
        # first plugin that fails to import.
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            if pm.is_blocked(ep.name) or pm.has_plugin(ep.name):
                continue
            try:
                pm.register(ep.load(), name=ep.name)
            except Exception as exc:
                failures.append(PluginLoadError(ep.name, f"failed to load: {exc!r}"))
    for spec in extra:
        if pm.is_blocked(spec) or pm.has_plugin(spec):
            continue
        try:
            pm.register(_import(spec), name=spec)
        except PluginLoadError as exc:
            failures.append(exc)
        except Exception as exc:  # pluggy rejects hookimpls that do not match their spec
            failures.append(PluginLoadError(spec, f"invalid plugin: {exc}"))
    return pm, failures


def _import(spec: str) -> object:
    """``package.module`` or ``path/to/file.py``."""
    try:
        if spec.endswith(".py") or "/" in spec:
            path = Path(spec)
            if not path.is_file():
                raise PluginLoadError(spec, "no such file")
            module_name = f"orchlint_local_{path.stem}"
            loader_spec = importlib.util.spec_from_file_location(module_name, path)
            assert loader_spec is not None and loader_spec.loader is not None
            module = importlib.util.module_from_spec(loader_spec)
            sys.modules[module_name] = module
            loader_spec.loader.exec_module(module)
            return module
        return importlib.import_module(spec)
    except PluginLoadError:
        raise
    except Exception as exc:
        raise PluginLoadError(spec, f"failed to import: {exc!r}") from None
