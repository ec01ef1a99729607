"""Build the plugin manager: built-ins first, then installed plugins, then explicitly named ones.

There is no module-level manager; every call builds a fresh one, so tests need no reloads.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable

import pluggy

from orchlint import hookspecs
from orchlint.rulekit import Rule

# Built-ins take the same path as third-party plugins: ordinary modules with hookimpls.
BUILTIN_PLUGINS = (
    "orchlint.knowledge",
    "orchlint.rules",
    "orchlint.formatters",
    "orchlint.adoption.waivers",  # the rule waiver.expired, whose findings apply() makes
)
ENTRY_POINT_GROUP = "orchlint"


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, remembering where each plugin came from for ``orchlint plugins``."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.origins: dict[str, str] = {}  # name -> "built-in", "entry point (dist 1.0)", ...
        self.versions: dict[str, str] = {}
        self.skipped: dict[str, str] = {}  # blocked plugins -> where they would have come from

    def add(self, plugin: object, name: str, origin: str, version: str = "") -> None:
        self.register(plugin, name=name)
        self.origins[name] = origin
        self.versions[name] = version


class RuleDirectory:
    """A directory of declarative rule files, registered as a plugin named ``rules:DIR``."""

    def __init__(self, rules: Iterable[Rule], directory: str = "") -> None:
        self.rules = list(rules)
        self.__file__ = directory  # where ``orchlint plugins`` says it lives

    @hookspecs.hookimpl
    def orchlint_register_rules(self, register: Callable[[Rule], None]) -> None:
        for rule in self.rules:
            register(rule)


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
    origins: dict[str, str] | None = None,
) -> tuple[PluginManager, list[PluginLoadError]]:
    """A fresh manager and the plugins that failed to load (the run goes on without them).

    ``entry_points`` defaults to on unless ORCHLINT_DISABLE_PLUGIN_AUTOLOAD is set, as pytest's
    PYTEST_DISABLE_PLUGIN_AUTOLOAD: explicitly named plugins still load. ``origins`` says where
    each ``extra`` plugin was named (``--plugin``, a configuration file).
    """
    from orchlint import __version__

    if entry_points is None:
        entry_points = not os.environ.get("ORCHLINT_DISABLE_PLUGIN_AUTOLOAD")
    pm = PluginManager()
    failures: list[PluginLoadError] = []
    for name in block:
        pm.set_blocked(name)
    if builtins:
        for name in BUILTIN_PLUGINS:
            if pm.is_blocked(name):
                pm.skipped[name] = "built-in"
            else:
                pm.add(importlib.import_module(name), name, "built-in", __version__)
    if entry_points:
        # One by one rather than pluggy's load_setuptools_entrypoints, which stops at the
        # first plugin that fails to import.
        from orchlint.plugins.entrypoints import entry_points as installed

        for ep in installed(ENTRY_POINT_GROUP):
            origin = f"entry point {ep.value}" + (f" from {ep.dist.name}" if ep.dist else "")
            if pm.is_blocked(ep.name):
                pm.skipped[ep.name] = origin
                continue
            if pm.has_plugin(ep.name):
                continue
            try:
                pm.add(ep.load(), ep.name, origin, ep.dist.version if ep.dist else "")
            except (Exception, SystemExit) as exc:  # SystemExit too: a plugin does not decide the exit code
                failures.append(PluginLoadError(ep.name, f"failed to load: {exc!r}"))
    for spec in extra:
        origin = (origins or {}).get(spec, "--plugin")
        if pm.is_blocked(spec):
            pm.skipped[spec] = origin
            continue
        if pm.has_plugin(spec):
            continue
        try:
            module = _import(spec)
            pm.add(module, spec, origin, str(getattr(module, "__version__", "")))
        except PluginLoadError as exc:
            failures.append(exc)
        except (Exception, SystemExit) as exc:  # pluggy rejects hookimpls that do not match their spec
            failures.append(PluginLoadError(spec, f"invalid plugin: {exc}"))
    return pm, failures


def _import(spec: str) -> object:
    """``package.module`` or ``path/to/file.py``."""
    try:
        if spec.endswith(".py") or "/" in spec:
            from pathlib import Path

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
    except (Exception, SystemExit) as exc:  # SystemExit at import too: the plugin is named, exit 3
        raise PluginLoadError(spec, f"failed to import: {exc!r}") from None
