"""Safe YAML loading that remembers where every key and value was written.

PyYAML's composer gives nodes with marks; we build plain Python data from them ourselves
so that, in one pass, we record positions, reject duplicate keys (PyYAML silently keeps the
last one) and bound the work an alias bomb or deep nesting can cause.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from dataclasses import field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from orchlint.model import InputError, Mutable, record

try:  # the C composer is several times faster; both give the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_NODES = 100_000  # values after alias expansion: bounds a "billion laughs"
# Below this many characters the composer cannot nest deep enough to exhaust the C stack (it
# took 60,000 levels here; 20,000 were fine), and the builder bounds depth and size itself: the
# event pass of _check_shape, which parsed every file twice, is for larger texts only.
SHAPE_CHECK_ABOVE = 2048
MAX_NUMBER_CHARS = 100  # int() on a long literal is slow, and huge ints cannot be printed
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")

Path = tuple  # of str keys and int indexes


class LoadError(Exception):
    """The text is not a usable YAML document; ``error`` says where and why."""

    def __init__(self, error: InputError) -> None:
        super().__init__(error.message)
        self.error = error


@record
class Document(Mutable):
    """Loaded YAML data with the line and column of each key and value."""

    data: Any
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    value_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def __init__(
        self, data: Any, key_marks: dict[Path, tuple[int, int]] | None = None, value_marks: dict[Path, tuple[int, int]] | None = None
    ) -> None:
        self.data = data
        self.key_marks = {} if key_marks is None else key_marks  # as the default_factory would
        self.value_marks = {} if value_marks is None else value_marks

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


def read_bounded(path: Any) -> bytes:
    """A file's bytes (``-``: standard input's), at most one past MAX_BYTES: enough to refuse
    it without reading it all (``/dev/zero`` or an endless FIFO as a configuration file)."""
    if path == "-":
        if sys.stdin is None:
            raise OSError("there is no standard input")
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    # Opened without blocking and refused unless regular: opening a FIFO (or a committed
    # symlink to /proc/self/fd/0) for reading would otherwise wait for a writer for ever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as handle:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, f"not a regular file ({_kind(status.st_mode)}); pipe other input into '-'", str(path))
        # Sized to the file: asking for MAX_BYTES + 1 at once allocated a megabyte per read
        # (13 µs of a small file's 20). One byte more tells a file that grew, or a /proc file
        # whose size reads 0, and then the rest is read up to the limit.
        data = handle.read(min(status.st_size, MAX_BYTES) + 1)
        if status.st_size < len(data) <= MAX_BYTES:
            data += handle.read(MAX_BYTES + 1 - len(data))
        return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO or pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def load(text: str | bytes, *, dates_as_strings: bool = False) -> Document:
    """Parse one YAML document. Raises LoadError with a line and column where it can."""
    if len(text) > MAX_BYTES:
        raise LoadError(InputError(f"file is larger than the {MAX_BYTES:,}-byte limit", 1, 1))
    if isinstance(text, bytes):
        text = _decode(text)
    text = text.lstrip("\ufeff")
    try:
        if len(text) > SHAPE_CHECK_ABOVE:
            _check_shape(text)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and "single document" in exc.context:
            problem = "several YAML documents in one file; orchlint reads one"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if problem.startswith("mapping values are not allowed") and col > 1024:
            problem += " (a key may be at most 1,024 characters long)"  # YAML's limit for plain keys
        if problem == "found invalid Unicode character escape code" and _SURROGATE.search(text, max(mark.index - 3, 0), mark.index + 4):
            # JSON writes characters beyond U+FFFF as surrogate pairs; YAML has \U0001F600 instead.
            problem += " (a surrogate pair such as \\ud83d\\ude00: write the character itself, or \\U0001F600)"
        raise LoadError(InputError(f"YAML syntax error: {problem}", line, col)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, e.g. a control character
        line, col = _line_col(text, exc.position)
        raise LoadError(InputError(f"YAML error: character {exc.character:#06x} is not allowed in YAML", line, col)) from None
    except yaml.YAMLError as exc:
        raise LoadError(InputError(f"YAML error: {exc}", 1, 1)) from None
    if node is None:
        raise LoadError(InputError("file is empty: expected a YAML mapping", 1, 1))
    builder = _Builder(dates_as_strings)
    data = builder.build(node, (), 0)
    return Document(data, builder.key_marks, builder.value_marks)


_OTHER_UNICODE = {b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16", b"\x00\x00\xfe\xff": "UTF-32"}


def _decode(data: bytes) -> str:
    for bom, encoding in _OTHER_UNICODE.items():
        if data.startswith(bom):
            raise LoadError(InputError(f"file is {encoding}; orchlint reads UTF-8", 1, 1))
    # A UTF-8 byte order mark is dropped first (by hand: the utf-8-sig codec is a module to
    # import), so that positions count from the first character an editor shows.
    data = data.removeprefix(b"\xef\xbb\xbf")
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _byte_line_col(data, nul)
        raise LoadError(InputError("file is binary, not YAML text (NUL byte)", line, col))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_line_col(data, exc.start)
        raise LoadError(InputError(f"file is not UTF-8: byte {data[exc.start]:#04x} cannot be decoded", line, col)) from None


def _byte_line_col(data: bytes, offset: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _check_shape(text: str) -> None:
    """Bound nesting and size on the event stream before composing.

    libyaml's parser keeps its own stack, but the composer recurses in C: a few hundred
    thousand ``[`` crash the interpreter (SIGSEGV) before any Python limit applies.
    """
    depth = count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH + 1:  # the root collection is level 0 for the builder
                line, col = event.start_mark.line + 1, event.start_mark.column + 1
                raise LoadError(InputError(f"nesting is deeper than the {MAX_DEPTH}-level limit", line, col))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, yaml.NodeEvent) and not isinstance(event, yaml.AliasEvent):
            count += 1
            if count > MAX_NODES:
                line, col = event.start_mark.line + 1, event.start_mark.column + 1
                raise LoadError(InputError(f"document has more than {MAX_NODES:,} values", line, col))


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
        if path not in self.value_marks:
            self.value_marks[path] = _pos(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if node.tag not in _COLLECTION_TAGS:
            # !!set, !!omap or a local tag would otherwise be read as a plain mapping or list
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise LoadError(InputError(f"unsupported tag {tag!r}", *_pos(node), dotted(path)))
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._mapping(node, path, depth)  # the composer makes no other kind of node

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
            child = path + (key,)
            self.key_marks[child] = _pos(key_node)
            seen[key] = self.key_marks[child][0]
            out[key] = self.build(value_node, child, depth + 1)
        return out

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        tag = node.tag
        if tag == _STR:  # most scalars: no constructor needed
            return node.value
        if self.dates_as_strings and tag == _TIMESTAMP:
            return node.value  # the schema checks the date, with a clearer message
        if node.tag == "tag:yaml.org,2002:binary":  # no requirement is binary data
            raise LoadError(InputError("unsupported tag '!!binary'", *_pos(node), dotted(path)))
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and len(node.value) > MAX_NUMBER_CHARS:
            raise LoadError(
                InputError(f"number is too long ({len(node.value):,} characters; the limit is {MAX_NUMBER_CHARS})", *_pos(node), dotted(path))
            )
        try:
            plain = _PLAIN.get(tag)
            if plain is not None:
                # The same constructor construct_object would pick, without its bookkeeping.
                return plain(self.constructor, node)
            value = self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise LoadError(InputError(f"invalid value: {exc.problem}", *_pos(node), dotted(path))) from None
        except ValueError as exc:  # e.g. a timestamp such as 2021-02-30
            raise LoadError(InputError(f"invalid value: {exc}", *_pos(node), dotted(path))) from None
        except Exception:  # PyYAML's constructors trip on odd input, e.g. `!!int` with no digits (IndexError)
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise LoadError(InputError(f"invalid value {_cut(node.value)!r} for tag {tag!r}", *_pos(node), dotted(path))) from None
        return value


_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN = {
    tag: SafeConstructor.yaml_constructors[tag]
    for tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:float")
}


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
