"""Which files ``orchlint check`` lints: the FILES given, what directories hold, what globs match.

A directory is searched recursively, in a stable order (each directory's files by name, then
its subdirectories by name), for files named like requirements files: ``orchlint.yaml``,
``orchlint.yml``, ``*.orchlint.yaml`` and ``*.orchlint.yml`` by default, the names ``orchlint
init`` writes and the pre-commit hook matches, so that a monorepo's other YAML (manifests, CI
files) is left alone. ``--include GLOB`` replaces those name patterns. Hidden files and
directories (a name starting with a dot) are skipped, and symbolic links to directories are not
followed. A glob (``services/*/orchlint.yaml``, ``**`` for any depth) is expanded in sorted
order. A file named explicitly is always linted, whatever its name. Paths are yielded one by one,
so a long listing never sits in memory.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

DEFAULT_INCLUDE = ("orchlint.yaml", "orchlint.yml", "*.orchlint.yaml", "*.orchlint.yml")


@dataclass(frozen=True)
class NothingFound:
    """A directory or glob that holds no requirements file: reported as that path's error."""

    path: str
    message: str


def expand(args: Sequence[str], include: Sequence[str] = DEFAULT_INCLUDE) -> Iterator[str | NothingFound]:
    """Every file to lint, in order; a directory or glob with none yields a NothingFound."""
    seen: set[str] | None = set() if len(args) > 1 else None  # one argument cannot repeat a file
    for arg in args:
        found = False
        for path in _expand_one(arg, include):
            found = True
            if seen is not None:
                key = os.path.normpath(path)
                if key in seen:
                    continue
                seen.add(key)
            yield path
        if not found:
            patterns = ", ".join(include)
            what = "directory" if os.path.isdir(arg) else "pattern"
            yield NothingFound(arg, f"no requirements file found ({what} searched for {patterns}; see --include)")


def count(args: Sequence[str], include: Sequence[str] = DEFAULT_INCLUDE) -> int:
    """How many paths ``expand`` will give, without holding them (for the progress bar)."""
    return sum(1 for item in expand(args, include) if not isinstance(item, NothingFound))


def _expand_one(arg: str, include: Sequence[str]) -> Iterator[str]:
    if arg == "-" or (os.path.exists(arg) and not os.path.isdir(arg)):
        yield arg
    elif os.path.isdir(arg):
        yield from walk(arg, include)
    elif glob.has_magic(arg):
        for match in sorted(glob.iglob(arg, recursive=True)):
            if os.path.isdir(match):
                yield from walk(match, include)
            else:
                yield match
    else:
        yield arg  # missing: linting it reports "cannot read file"


def walk(top: str, include: Sequence[str]) -> Iterator[str]:
    for root, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and any(fnmatch.fnmatchcase(name, pattern) for pattern in include):
                yield os.path.join(root, name)
