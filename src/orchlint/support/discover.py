"""Turn the command line's FILES into requirements files: files, directories and globs.

A file named on the command line is always linted. A directory contributes every ``*.yaml`` and
``*.yml`` file below it (hidden files and directories skipped) that declares ``orchlint`` at
its top level, so a monorepo's other YAML (CI, manifests) is left alone. Deciding that fails
closed: a file that might declare it (quoted, flow style, after a long comment) is parsed,
and anything that is not a regular file, cannot be read or cannot be parsed but names
``orchlint`` is linted, so that its error is reported rather than the file silently skipped.
A directory that cannot be read is an error, never an empty directory. A glob contributes
what it matches. The order is stable: arguments in the order given, each expanded in sorted
order, and a file reached twice is linted once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path  # for annotations only: pathlib is imported where a Path is made

SUFFIXES = (".yaml", ".yml")
_DECLARES = re.compile(rb"^orchlint[ \t]*:", re.MULTILINE)
_GLOB_CHARS = re.compile(r"[*?\[]")


def expand(arguments: tuple[str, ...] | list[str]) -> tuple[list[str], list[str]]:
    """The files to lint, and an error for each argument that contributed none and for each
    directory that could not be read."""
    seen: set[str] = set()
    files: list[str] = []
    notices: list[str] = []
    for argument in arguments:
        unreadable: list[str] = []
        found = list(_expand_one(argument, unreadable))
        notices += unreadable
        if not found and not unreadable:
            kind = "directory" if os.path.isdir(argument) else "pattern"
            notices.append(f"{argument}: no requirements files found in this {kind}")
        for path in found:
            key = path if path == "-" else os.path.normpath(path)
            if key not in seen:
                seen.add(key)
                files.append(path)
    return files, notices


def _expand_one(argument: str, unreadable: list[str]) -> Iterator[str]:
    if argument == "-" or os.path.isfile(argument):
        yield argument
    elif os.path.isdir(argument):
        from pathlib import Path  # here: linting named files never needs it (2 ms to import)

        yield from (str(p) for p in yaml_files(Path(argument), unreadable) if declares_orchlint(p))
    elif _GLOB_CHARS.search(argument):
        import glob  # here: only a pattern argument needs it

        yield from sorted(p for p in glob.glob(argument, recursive=True) if os.path.isfile(p))
    else:
        yield argument  # missing: linting it reports "cannot read file" with the reason


def yaml_files(root: Path, unreadable: list[str] | None = None) -> list[Path]:
    """Every ``*.yaml`` / ``*.yml`` entry below ``root``, sorted; hidden files and directories
    are skipped (and hidden directories not entered). A directory that cannot be listed is
    added to ``unreadable`` (as a message) when given."""

    def failed(exc: OSError) -> None:
        if unreadable is not None:
            unreadable.append(f"{exc.filename or root}: cannot read directory: {exc.strerror or exc}")

    # Iterative, not os.walk: before Python 3.12 os.walk recurses, and a tree 1,000 levels
    # deep (easy to commit) raised RecursionError.
    from pathlib import Path

    out: list[Path] = []
    stack = [str(root)]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            failed(exc)
            continue
        subdirs = []
        for entry in listed:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                subdirs.append(entry.path)
            elif entry.name.endswith(SUFFIXES):
                out.append(Path(entry.path))
        stack.extend(reversed(subdirs))
    return sorted(out)


def declares_orchlint(path: Path) -> bool:
    """Whether a file found in a directory is a requirements file (or may be: then it is linted
    and its problem reported). Most files are decided by a line at the top level or by not
    mentioning orchlint at all; the rest are parsed, within the same limits as linting."""
    from orchlint.support import yamlsource

    try:
        data = yamlsource.read_bounded(path)
    except OSError:
        return True  # not a regular file, or unreadable: linting reports why
    data = data.removeprefix(b"\xef\xbb\xbf")
    if _DECLARES.search(data):
        return True
    wide = data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]  # UTF-16 or UTF-32
    if b"orchlint" not in data and b"\\" not in data and not wide:  # else only an escape could spell it
        return False
    try:
        doc = yamlsource.load(data)
    except yamlsource.LoadError:
        return b"orchlint" in data or wide  # broken, and perhaps meant for orchlint: report it
    except RecursionError:  # pragma: no cover - yamlsource limits nesting before this
        return True
    return isinstance(doc.data, dict) and "orchlint" in doc.data
