"""What-if: judge a variant of a requirements file without editing it, and explain failures.

``--set requirements.nodes=4000`` edits a copy of the loaded document (values are YAML scalars or
flow collections, so ``[cpu, memory]`` and ``true`` mean what they would in the file); the copy is
validated against the schema like any file. ``--explain-fail`` asks, for each platform that is
not viable, which requirements would have to be relaxed (dropped) for it to become viable: it
tries subsets of that platform's failing requirements by increasing size, so the answer is the
smallest set, within a bounded number of evaluations.
"""

from __future__ import annotations

import copy
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any


from orchlint.support import yamlsource
from orchlint.support.yamlsource import Document, dotted

if TYPE_CHECKING:
    from orchlint.engine.results import Gate
    from orchlint.lint.linter import Linter
    from orchlint.lint.report import FileReport

MAX_EVALUATIONS = 128  # per platform: 7 failing requirements are searched exhaustively
_PART = re.compile(r"([A-Za-z0-9_-]+)|\[(\d+)\]")


class SetError(ValueError):
    """A --set or --unset that cannot be applied; the message names the option."""


@dataclass(frozen=True)
class Assignment:
    option: str  # as typed, for messages
    path: tuple[str | int, ...]
    value: Any = None
    unset: bool = False

    @property
    def dotted(self) -> str:
        return dotted(self.path)


def parse_path(text: str, option: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for piece in text.split("."):
        matches = list(_PART.finditer(piece))
        # Each dotted piece is a key, optionally followed by [index]es: nothing else, no gaps.
        if not piece or "".join(m.group(0) for m in matches) != piece or matches[0].group(1) is None:
            raise SetError(f"{option}: {text!r} is not a key path such as requirements.nodes or requirements.storage.types[0]")
        for match in matches:
            parts.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
    return tuple(parts)


def parse_set(text: str) -> Assignment:
    from orchlint.support.terminal import clean

    # Named in messages: printable, and short even when the value is a 500-byte alias bomb.
    option = clean(f"--set {text if len(text) <= 80 else text[:77] + '...'}")
    path_text, sep, value_text = text.partition("=")
    if not sep:
        raise SetError(f"{option}: expected PATH=VALUE, e.g. requirements.nodes=4000")
    path = parse_path(path_text.strip(), option)
    if value_text.strip() == "":
        raise SetError(f"{option}: no value after '='; to drop a requirement use --unset {path_text.strip()}")
    # The loader files go through: its limits on size, aliases and nesting hold for --set too
    # (yaml.safe_load let 500 bytes of aliases grow to gigabytes).
    try:
        value = yamlsource.load(value_text, dates_as_strings=True).data
    except yamlsource.LoadError as exc:
        raise SetError(f"{option}: the value is not YAML: {exc.error.message}") from None
    return Assignment(option, path, value)


def parse_unset(text: str) -> Assignment:
    return Assignment(f"--unset {text}", parse_path(text.strip(), f"--unset {text}"), unset=True)


def variant(doc: Document, assignments: list[Assignment]) -> Document:
    """A copy of ``doc`` with the assignments applied; positions of untouched keys are kept."""
    data = copy.deepcopy(doc.data)
    for a in assignments:
        node = data
        for depth, key in enumerate(a.path[:-1]):
            child = _get(node, key)
            if child is None and not a.unset:
                child = {}
                _put(node, key, child, a)
            if child is None:
                break  # unsetting below an absent key: nothing to do
            if not isinstance(child, (dict, list)):
                raise SetError(f"{a.option}: {dotted(a.path[: depth + 1])} is {_kind(child)}, so it has no key {a.path[depth + 1]!r}")
            node = child
        else:
            if a.unset:
                _delete(node, a.path[-1])
            else:
                _put(node, a.path[-1], a.value, a)
    return Document(data, doc.key_marks, doc.value_marks)


def _get(node: Any, key: str | int) -> Any:
    if isinstance(node, dict) and isinstance(key, str):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int):
        return node[key] if key < len(node) else None
    return None


def _put(node: Any, key: str | int, value: Any, a: Assignment) -> None:
    if isinstance(node, dict) and isinstance(key, str):
        node[key] = value
    elif isinstance(node, list) and isinstance(key, int) and key <= len(node):
        node[key:key + 1] = [value]
    else:
        raise SetError(f"{a.option}: cannot set {key!r} in {_kind(node)}")


def _delete(node: Any, key: str | int) -> None:
    if isinstance(node, dict):
        node.pop(key, None)
    elif isinstance(node, list) and isinstance(key, int) and key < len(node):
        del node[key]


def _kind(value: Any) -> str:
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else f"the value {value!r}"


def errors_for_assignments(errors: list[Any], assignments: list[Assignment]) -> tuple[list[str], list[Any]]:
    """Split schema errors into those a --set caused (named by the option) and the file's own."""
    mine, theirs = [], []
    for error in errors:
        owner = next((a for a in assignments if _under(error.path, a.dotted)), None)
        if owner is not None:
            mine.append(f"{owner.option}: {error.message}")
        else:
            theirs.append(error)
    return mine, theirs


def _under(path: str, prefix: str) -> bool:
    return bool(path) and (path == prefix or path.startswith((prefix + ".", prefix + "[")))


# -- --explain-fail --------------------------------------------------------------------------


@dataclass(frozen=True)
class Relaxation:
    platform: str
    relax: tuple[str, ...]  # requirement paths to drop, e.g. requirements.nodes
    unrelaxable: tuple[str, ...] = ()  # rules that judge every file and block the platform
    smallest: bool = True  # False when the search hit its bound
    tried: int = 0

    def sentence(self) -> str:
        if not self.relax:
            which = "which judges" if len(self.unrelaxable) == 1 else "which judge"
            rules = ", ".join(self.unrelaxable)
            return f"{self.platform} cannot become viable by relaxing requirements: it fails {rules}, {which} every file"
        bound = "" if self.smallest else " (search bounded: this set works, a smaller one may too)"
        return f"{self.platform} becomes viable if these requirements are relaxed: {', '.join(self.relax)}{bound}"

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "relax": list(self.relax),
            "unrelaxable": list(self.unrelaxable),
            "smallest": self.smallest,
            "tried": self.tried,
        }


def explain_failures(linter: Linter, report: FileReport) -> dict[str, Relaxation]:
    threshold = linter.options.threshold
    doc = report.document
    if (threshold.severity is None and not threshold.unknowns) or doc is None:
        return {}
    out = {}
    for result in report.results:
        if threshold.serves(result):
            continue
        blocking = [f for f in result.findings if threshold.blocking(f)]
        unrelaxable = sorted({f.rule for f in blocking if not f.requirement})
        if unrelaxable:
            out[result.platform.id] = Relaxation(result.platform.id, (), tuple(unrelaxable))
            continue
        keys = list(dict.fromkeys(f.requirement.split(".")[1].split("[")[0] for f in blocking))
        order = {k: i for i, k in enumerate(report.requirements)}
        keys.sort(key=lambda k: order.get(k, len(order)))
        out[result.platform.id] = _search(linter, report, doc, result.platform.id, keys, threshold)
    return out


def _search(linter: Linter, report: FileReport, doc: Document, platform: str, keys: list[str], threshold: Gate) -> Relaxation:
    tried = 0
    for size in range(1, len(keys) + 1):
        for subset in itertools.combinations(keys, size):
            if tried >= MAX_EVALUATIONS:
                return Relaxation(platform, tuple(f"requirements.{k}" for k in keys), smallest=False, tried=tried)
            tried += 1
            if _viable_without(linter, report, doc, platform, subset, threshold):
                return Relaxation(platform, tuple(f"requirements.{k}" for k in subset), tried=tried)
    # Dropping every failing requirement did not help: another rule reads them. Say so honestly.
    return Relaxation(platform, tuple(f"requirements.{k}" for k in keys), smallest=False, tried=tried)


def _viable_without(linter: Linter, report: FileReport, doc: Document, platform: str, keys: tuple[str, ...], threshold: Gate) -> bool:
    data = dict(doc.data)
    data["requirements"] = {k: v for k, v in (data.get("requirements") or {}).items() if k not in keys}
    data["priorities"] = {k: v for k, v in (data.get("priorities") or {}).items() if k not in keys}
    relaxed = Document(data, doc.key_marks, doc.value_marks)
    evaluation, _ = linter.evaluate(relaxed, linter.options.as_of, report.waivers, platforms=[platform])
    return all(threshold.serves(r) for r in evaluation.results)
