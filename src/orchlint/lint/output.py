"""Where formatted output goes: stdout, or files that appear whole or not at all."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import click

from orchlint import __version__
from orchlint.formatters.base import Formatter, RunInfo
from orchlint.support.atomic import atomic_file, is_special


class FormatSpec:
    """One --format: a format name and where it goes. (A plain class, not a dataclass: making
    one compiles its methods, about a millisecond on every start.)"""

    def __init__(self, name: str, path: str | None) -> None:
        self.name = name
        self.path = path  # None: standard output


def parse_format_specs(specs: Sequence[str], known: Mapping[str, Any]) -> list[FormatSpec]:
    parsed = []
    for spec in specs:
        name, _, path = spec.partition(":")
        if name not in known:
            from orchlint.support.suggest import did_you_mean

            raise click.BadParameter(
                f"unknown format {name!r}{did_you_mean(name, known)}; known: {', '.join(sorted(known))}",
                param_hint="--format",
            )
        parsed.append(FormatSpec(name, None if path in ("", "-") else path))  # json:- is standard output
    if sum(1 for s in parsed if s.path is None) > 1:
        raise click.BadParameter("only one format can go to standard output; give the others a :PATH", param_hint="--format")
    seen: dict[str, str] = {}
    for spec in parsed:
        if spec.path is not None:
            check_writable(spec.path, "--format")
            same = seen.setdefault(os.path.realpath(spec.path), spec.name)
            if same != spec.name or sum(1 for s in parsed if s.path == spec.path) > 1:
                raise click.BadParameter(f"two outputs go to {spec.path}: one would silently replace the other", param_hint="--format")
    return parsed


def check_writable(path: str, option: str) -> None:
    """Refuse, before any work, an output path that could not be written at the end: a
    directory, a missing or unwritable directory, a mount point (a bind-mounted file cannot
    be replaced atomically), so that a long run never ends in a lost report."""
    if os.path.isdir(path):
        raise click.BadParameter(f"{path} is a directory", param_hint=option)
    if is_special(path):  # /dev/stdout, a FIFO: written through, see atomic_file
        return
    target = os.path.realpath(path)
    if os.path.exists(target) and os.path.ismount(target):
        raise click.BadParameter(f"cannot replace {path}: it is a mount point; mount its directory instead", param_hint=option)
    directory = os.path.dirname(target)
    if not os.path.isdir(directory):
        raise click.BadParameter(f"cannot write {path}: directory {directory} is missing or not writable", param_hint=option)
    # os.access says yes to root everywhere, even in /proc: only creating a file tells.
    import tempfile  # only when writing files (with shutil, several modules)

    try:
        fd, probe = tempfile.mkstemp(prefix=".orchlint-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise click.BadParameter(f"cannot write {path}: {exc.strerror or exc}", param_hint=option) from None
    os.close(fd)
    os.unlink(probe)


def refuse_overwriting_inputs(outputs: Sequence[tuple[str, str | None]], inputs: Sequence[str]) -> None:
    """An output that is also an input (``report a.yaml -o a.yaml``) would destroy it: refused
    before any work. ``outputs`` are (option, path or None for standard output)."""
    def identity(path: str) -> tuple[Any, ...]:
        try:
            info = os.stat(path)
            return (info.st_dev, info.st_ino)  # hard links and symlinks too
        except OSError:
            return (os.path.realpath(path),)

    read = {identity(p): p for p in inputs if p != "-"}
    for option, path in outputs:
        if path is not None and not is_special(path) and identity(path) in read:
            raise click.BadParameter(f"{path} is also an input ({read[identity(path)]}); writing it would destroy it", param_hint=option)


class FormatterFailed(Exception):
    """An output format's code raised: the run stops, and the plugin that registered the format
    is named (exit 3), rather than a traceback reported as a verdict."""

    def __init__(self, message: str) -> None:  # one argument: it crosses from worker processes
        super().__init__(message)


def format_owner(registry: Any, name: str) -> str:
    for plugin, kinds in registry.contributions.items():
        if name in kinds.get("formats", ()):
            return plugin
    return "?"


def guarded(owner: str, name: str, call: Any, *args: Any) -> Any:
    """``call(*args)`` for the output format ``name`` of plugin ``owner``; a fault in it becomes
    FormatterFailed. Writing errors (OSError) and Ctrl-C keep their own meaning."""
    try:
        return call(*args)
    except (OSError, FormatterFailed):
        raise
    except (Exception, SystemExit) as exc:  # SystemExit too: a plugin does not decide the exit code
        raise FormatterFailed(f"plugin error: {owner}: output format {name!r} raised {exc!r}") from None


class Outputs:
    def __init__(self, formatters: list[Formatter], owners: list[tuple[str, str]] | None = None) -> None:
        self.formatters = formatters
        self.owners = owners or [("?", type(f).__name__) for f in formatters]  # (plugin, format) of each

    def write(self, report: Any) -> None:
        for formatter, (owner, name) in zip(self.formatters, self.owners):
            guarded(owner, name, formatter.write, report)

    def take(self, rendered: Any) -> None:
        """A file rendered elsewhere (a parallel worker, see parallel.Rendered)."""
        for formatter, (owner, name), (text, kept) in zip(self.formatters, self.owners, rendered.parts):
            guarded(owner, name, formatter.take, text, kept)

    def finish(self, summary: Any) -> None:
        for formatter, (owner, name) in zip(self.formatters, self.owners):
            guarded(owner, name, formatter.finish, summary)


@contextlib.contextmanager
def open_outputs(
    specs: Sequence[FormatSpec], registry: Any, linter: Any, options: Any, *, color: bool, verbose: bool
) -> Iterator[Outputs]:
    info = RunInfo(
        as_of=options.as_of,
        fail_on=options.fail_on,
        fail_on_unknown=options.fail_on_unknown,
        version=__version__,
        platforms=tuple(registry.platforms[p] for p in linter.platforms),
        rules=tuple(linter.engine.rules),
    )
    with contextlib.ExitStack() as stack:
        formatters = []
        owners = []
        for spec in specs:
            if spec.path is None:
                stream = sys.stdout
                use_color = color and stream.isatty()
            else:
                stream = stack.enter_context(atomic_file(spec.path))
                use_color = False
            owner = format_owner(registry, spec.name)
            formatter = guarded(owner, spec.name, lambda: registry.formatters[spec.name](stream, color=use_color, verbose=verbose))
            guarded(owner, spec.name, formatter.start, info)
            formatters.append(formatter)
            owners.append((owner, spec.name))
        yield Outputs(formatters, owners)
