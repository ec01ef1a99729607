"""Turn the command line's FILES into requirements files: files, directories and globs.

A file named on the command line is always linted. A directory contributes every ``*.yaml`` and
``*.yml`` file below it (hidden files and directories skipped) that declares ``orchlint:`` at
its top level, so a monorepo's other YAML (CI, manifests) is left alone. A glob contributes
what it matches. The order is stable: arguments in the order given, each expanded in sorted
order, and a file reached twice is linted once.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator
from pathlib import Path

SUFFIXES = (".yaml", ".yml")
SNIFF_BYTES = 65536
_DECLARES = re.compile(rb"^orchlint[ \t]*:", re.MULTILINE)
_GLOB_CHARS = re.compile(r"[*?\[]")


def expand(arguments: tuple[str, ...] | list[str]) -> tuple[list[str], list[str]]:
    """The files to lint, and an error for each argument that contributed none."""
    seen: set[str] = set()
    files: list[str] = []
    notices: list[str] = []
    for argument in arguments:
        found = list(_expand_one(argument))
        if not found:
            kind = "directory" if os.path.isdir(argument) else "pattern"
            notices.append(f"{argument}: no requirements files found in this {kind}")
        for path in found:
            key = path if path == "-" else os.path.normpath(path)
            if key not in seen:
                seen.add(key)
                files.append(path)
    return files, notices


def _expand_one(argument: str) -> Iterator[str]:
    if argument == "-" or os.path.isfile(argument):
        yield argument
    elif os.path.isdir(argument):
        yield from (str(p) for p in yaml_files(Path(argument)) if declares_orchlint(p))
    elif _GLOB_CHARS.search(argument):
        yield from sorted(p for p in glob.glob(argument, recursive=True) if os.path.isfile(p))
    else:
        yield argument  # missing: linting it reports "cannot read file" with the reason


def yaml_files(root: Path) -> list[Path]:
    """Every ``*.yaml`` / ``*.yml`` file below ``root``, sorted; hidden files and directories
    are skipped (and hidden directories not entered)."""
    out = []
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        out.extend(Path(directory) / n for n in names if n.endswith(SUFFIXES) and not n.startswith("."))
    return sorted(out)


def declares_orchlint(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return True  # let linting report why it cannot be read
    return _DECLARES.search(head.lstrip(b"\xef\xbb\xbf")) is not None
