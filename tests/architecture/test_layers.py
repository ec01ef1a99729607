"""The tree keeps its plan: no import loop between modules, at most 8 levels, and every import
goes down the table of layers below.

Imports are read from the source (deferred imports inside functions included); those made only
for type checkers (under ``if TYPE_CHECKING:``) never run and are left out. Importing
``orchlint.a.b`` also runs the package ``orchlint.a``, so that counts as an import too.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent.parent / "src" / "orchlint"

# Lowest first. A module may import modules of its own layer or of a lower one; which of those
# may import which is the loop test's business. The packages a module's import runs implicitly
# (``orchlint.lint`` for ``orchlint.lint.report``) only count for loops and levels: their
# ``__init__`` files import nothing heavy.
LAYERS = [
    ["orchlint", "orchlint.model", "orchlint.support", "orchlint.engine.frozen"],
    ["orchlint.rulekit", "orchlint.schemas", "orchlint.factlint", "orchlint.engine.results", "orchlint.engine.timelimit", "orchlint.engine.policy"],
    ["orchlint.hookspecs", "orchlint.factfile", "orchlint.declarative", "orchlint.plugins.registry", "orchlint.plugins.entrypoints", "orchlint.engine"],
    ["orchlint.lint.report", "orchlint.formatters.base", "orchlint.knowledge", "orchlint.plugins"],
    ["orchlint.adoption", "orchlint.compare", "orchlint.formatters", "orchlint.rules"],
    ["orchlint.lint", "orchlint.testing", "orchlint.generate"],
    ["orchlint.cli", "orchlint.__main__"],
]


def _name(path: Path) -> str:
    parts = ["orchlint", *path.relative_to(SOURCE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_graph(explicit_only: bool = False) -> dict[str, set[str]]:
    paths = {_name(p): p for p in SOURCE.rglob("*.py") if "__pycache__" not in p.parts}
    graph = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for statement in node.body
            for inner in ast.walk(statement)
        }
        found = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                while name and name not in paths:
                    name = name.rpartition(".")[0]
                while "." in name:
                    found.add(name)
                    if explicit_only:
                        break
                    name = name.rpartition(".")[0]
        graph[module] = {m for m in found if m != module and not module.startswith(m + ".")}
    return graph


def layer(module: str) -> tuple[int, str]:
    """The layer of the longest entry of LAYERS that is the module or a package above it."""
    best = (-1, "")
    for number, entries in enumerate(LAYERS):
        for entry in entries:
            if (module == entry or module.startswith(entry + ".")) and len(entry) > len(best[1]):
                best = (number, entry)
    return best


def levels(graph: dict[str, set[str]]) -> dict[str, int]:
    done: dict[str, int] = {}

    def level(module: str, path: tuple[str, ...]) -> int:
        assert module not in path, "import loop: " + " -> ".join((*path[path.index(module):], module))
        if module not in done:
            done[module] = 1 + max((level(m, (*path, module)) for m in graph[module]), default=0)
        return done[module]

    for module in graph:
        level(module, ())
    return done


def test_no_import_loop_and_at_most_8_levels():
    found = levels(module_graph())
    assert max(found.values()) <= 8, sorted(found.items(), key=lambda item: -item[1])[:5]


def test_every_module_has_a_layer_and_imports_only_downwards():
    graph = module_graph(explicit_only=True)
    unplaced = [m for m in graph if layer(m)[0] < 0]
    assert unplaced == [], "add these modules to LAYERS"
    upwards = []
    for module, imported in sorted(graph.items()):
        mine, _entry = layer(module)
        for other in sorted(imported):
            theirs, _entry = layer(other)
            if theirs > mine:
                upwards.append(f"{module} (layer {mine}) imports {other} (layer {theirs})")
    assert upwards == []


def test_a_loop_is_found():
    # The check itself: a made-up loop of two modules is reported with its path.
    try:
        levels({"a": {"b"}, "b": {"a"}})
    except AssertionError as exc:
        assert "import loop: a -> b -> a" in str(exc)
    else:
        raise AssertionError("the loop was not found")


def test_no_private_name_is_imported_across_packages():
    crossing = []
    for path in SOURCE.rglob("*.py"):
        if "__pycache__" in path.parts:
            continue
        module = _name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("orchlint"):
                for alias in node.names:
                    if alias.name.startswith("_") and alias.name != "__version__":
                        same = node.module.split(".")[:2] == module.split(".")[:2]
                        if not same:
                            crossing.append(f"{module} imports {node.module}.{alias.name}")
    assert crossing == []
