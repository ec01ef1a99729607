"""Safe YAML loading that remembers where every key and value was written.

PyYAML's composer gives nodes with marks; we build plain Python data from them ourselves
so that, in one pass, we record positions, reject duplicate keys (PyYAML silently keeps the
last one) and bound the work an alias bomb or deep nesting can cause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from orchlint.model import InputError

try:  # the C composer is several times faster; both give the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_NODES = 100_000

Path = tuple  # of str keys and int indexes


class LoadError(Exception):
    """The text is not a usable YAML document; ``error`` says where and why."""

    def __init__(self, error: InputError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass
class Document:
    data: Any
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    value_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of ``path``, or of its nearest written ancestor."""
        path = tuple(path)
        while path:
            marks = self.key_marks if key and path in self.key_marks else self.value_marks
            if path in marks:
                return marks[path]
            path = path[:-1]
        return self.value_marks.get((), (1, 1))


def dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load(text: str | bytes, *, dates_as_strings: bool = False) -> Document:
    """Parse one YAML document. Raises LoadError with a line and column where it can."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise LoadError(InputError(f"file is larger than the {MAX_BYTES:,}-byte limit"))
        if b"\x00" in text:
            raise LoadError(InputError("file is binary, not YAML text"))
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LoadError(InputError(f"file is not UTF-8: byte {exc.start} cannot be decoded")) from None
    elif len(text) > MAX_BYTES:
        raise LoadError(InputError(f"file is larger than the {MAX_BYTES:,}-byte limit"))
    text = text.lstrip("\ufeff")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and "single document" in exc.context:
            problem = "several YAML documents in one file; orchlint reads one"
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise LoadError(InputError(f"YAML syntax error: {problem}", line, col)) from None
    except yaml.YAMLError as exc:
        raise LoadError(InputError(f"YAML error: {exc}")) from None
    except RecursionError:
        raise LoadError(InputError(f"nesting is deeper than the {MAX_DEPTH}-level limit")) from None
    if node is None:
        raise LoadError(InputError("file is empty: expected a YAML mapping", 1, 1))
    builder = _Builder(dates_as_strings)
    data = builder.build(node, (), 0)
    return Document(data, builder.key_marks, builder.value_marks)


class _Builder:
    def __init__(self, dates_as_strings: bool) -> None:
        self.dates_as_strings = dates_as_strings
        self.constructor = SafeConstructor()
        self.key_marks: dict[Path, tuple[int, int]] = {}
        self.value_marks: dict[Path, tuple[int, int]] = {}
        self.count = 0

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise LoadError(InputError(f"document has more than {MAX_NODES:,} values (alias expansion?)", *_pos(node)))
        if depth > MAX_DEPTH:
            raise LoadError(InputError(f"nesting is deeper than the {MAX_DEPTH}-level limit", *_pos(node), dotted(path)))
        mark = node.start_mark
        if path not in self.value_marks:
            self.value_marks[path] = (mark.line + 1, mark.column + 1)
        kind = type(node)
        if kind is yaml.ScalarNode:
            return self._scalar(node, path)
        if kind is yaml.MappingNode:
            return self._mapping(node, path, depth)
        if kind is yaml.SequenceNode or isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise LoadError(InputError("merge keys (<<) are not supported", *_pos(key_node), dotted(path)))
            key = self._scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise LoadError(InputError("keys must be strings", *_pos(key_node), dotted(path)))
            if key in seen:
                raise LoadError(
                    InputError(
                        f"duplicate key {key!r} (first written at line {seen[key]})",
                        *_pos(key_node),
                        dotted(path + (key,)),
                    )
                )
            mark = key_node.start_mark
            seen[key] = mark.line + 1
            child = path + (key,)
            self.key_marks[child] = (mark.line + 1, mark.column + 1)
            out[key] = self.build(value_node, child, depth + 1)
        return out

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        tag = node.tag
        if tag == _STR:  # most scalars: no constructor needed
            return node.value
        if self.dates_as_strings and tag == _TIMESTAMP:
            return node.value  # the schema checks the date, with a clearer message
        try:
            plain = _PLAIN.get(tag)
            if plain is not None and type(node) is yaml.ScalarNode:
                # The same constructor construct_object would pick, without its bookkeeping.
                return plain(self.constructor, node)
            value = self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise LoadError(InputError(f"invalid value: {exc.problem}", *_pos(node), dotted(path))) from None
        except ValueError as exc:  # e.g. a timestamp such as 2021-02-30
            raise LoadError(InputError(f"invalid value: {exc}", *_pos(node), dotted(path))) from None
        return value


_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN = {
    tag: SafeConstructor.yaml_constructors[tag]
    for tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:float")
}


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
