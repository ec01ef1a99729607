"""Project configuration: find it, validate it, and merge it with the command line.

Looked for from the current directory upward: the first directory holding ``.orchlint.yaml``
or a ``pyproject.toml`` with a ``[tool.orchlint]`` table wins; ``--config PATH`` overrides the
search. Every effective value remembers where it came from, for ``orchlint config``.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from orchlint.schemas import validation

from orchlint.support import yamlsource
from orchlint.model import InputError
from orchlint.engine.policy import LEVELS, Policy
from orchlint.engine.timelimit import DEFAULT_RULE_TIMEOUT, RULE_TIMEOUT_ENV, parse_rule_timeout

if TYPE_CHECKING:
    from pathlib import Path  # for annotations: pathlib is imported only once a file is found

CONFIG_NAMES = (".orchlint.yaml", ".orchlint.yml")
PYPROJECT = "pyproject.toml"
DEFAULTS: Mapping[str, Any] = {
    "plugins": (),
    "block": (),
    "rules": (),
    "select": (),
    "ignore": (),
    "severity": {},
    "fail_on": "fail",
    "fail_on_unknown": False,
    "platforms": (),
    "rule_timeout": DEFAULT_RULE_TIMEOUT,  # seconds; ORCHLINT_RULE_TIMEOUT overrides the file
}
# Settings the command line adds to rather than replaces.
ADDITIVE = ("plugins", "block", "rules")
PATH_SETTINGS = ("plugins", "rules", "block")
OPTION_NAMES = {"plugins": "--plugin", "platforms": "--platform"}


class ConfigError(Exception):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


class Settings:
    """The effective settings, each with where it came from. (A plain class, not a dataclass:
    making one compiles its methods, about a millisecond on every start.)"""

    def __init__(self) -> None:
        self.values: dict[str, Any] = dict(DEFAULTS)
        self.origins: dict[str, str] = {k: "default" for k in DEFAULTS}
        self.path: Path | None = None
        self.notices: list[str] = []  # settings that have no effect
        self.item_origins: dict[tuple[str, str], str] = {}  # (setting, entry) -> origin
        self.given: dict[str, Any] = {}  # what the command line gave, to resolve again elsewhere
        self.isolated = False

    def origin_of(self, setting: str, entry: str) -> str:
        return self.item_origins.get((setting, entry), self.origins[setting])

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def policy(self) -> Policy:
        return Policy(tuple(self["select"]), tuple(self["ignore"]), dict(self["severity"]))

    def notice(self, setting: str, message: str, entry: str | None = None) -> None:
        where = self.origin_of(setting, entry) if entry is not None else self.origins.get(setting, setting)
        self.notices.append(f"{where}: {setting}: {message}")


# A pyproject.toml already read (and parsed, unless it is broken) to find its table: its bytes
# and its TOML data, so that loading it does not read and parse it again.
Preread = tuple[bytes, Any]


def find_config(start: str | Path) -> tuple[Path | None, list[str], Preread | None]:
    """The configuration file that applies in ``start`` (an absolute directory), notices about
    files it shadows, and what was read of it while looking (a pyproject.toml only)."""
    # Walked with os.path: most runs find no file, and pathlib costs 2 ms to import.
    directory = os.fspath(start)
    while True:
        found = [os.path.join(directory, name) for name in CONFIG_NAMES if os.path.isfile(os.path.join(directory, name))]
        pyproject = os.path.join(directory, PYPROJECT)
        preread = _tool_table(pyproject) if os.path.isfile(pyproject) else None
        if preread is not None:
            found.append(pyproject)
        if found:
            from pathlib import Path

            notices = [f"{Path(other)}: ignored, because {os.path.basename(found[0])} in the same directory takes precedence" for other in found[1:]]
            return Path(found[0]), notices, preread if found[0] == pyproject else None
        parent = os.path.dirname(directory)
        if parent == directory:
            return None, [], None
        directory = parent


def _tomllib() -> Any:
    # Imported when needed: a project without pyproject.toml should not pay for a TOML parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised only on Python 3.10
        import tomli as tomllib
    return tomllib


def _tool_table(path: str | Path) -> Preread | None:
    """What was read of a pyproject.toml that has a [tool.orchlint] table; None if it has none."""
    try:
        raw = yamlsource.read_bounded(path)
    except OSError:
        return None
    if len(raw) > yamlsource.MAX_BYTES:
        # Too large to parse, so whether it holds a [tool.orchlint] table cannot be told from
        # what was read. A table can be anywhere, so the whole file is searched for the name;
        # if it is there, the file is the configuration and load_file refuses it, naming it:
        # a gate must never run without its settings and not say so.
        return (raw, None) if _names_orchlint(path) else None
    if b"orchlint" not in raw:
        # No table can be named orchlint without the name (short of a \u escape in a quoted
        # key): most projects' pyproject.toml is answered without importing a TOML parser.
        return None
    tomllib = _tomllib()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        # Broken, but apparently meant for orchlint: load it, so the error is reported.
        return (raw, None) if b"tool.orchlint" in raw else None
    tool = data.get("tool")
    return (raw, data) if isinstance(tool, dict) and "orchlint" in tool else None


SCAN_LIMIT = 64 * 1024 * 1024  # bytes of an over-limit pyproject.toml searched for the name


def _names_orchlint(path: str | Path) -> bool:
    """Whether a pyproject.toml too large to parse has ``orchlint`` anywhere in it, read in
    chunks; past SCAN_LIMIT, or if it cannot be read again, True: it cannot be told cheaply."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return True
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return True
        tail = b""
        for _ in range(SCAN_LIMIT // (1024 * 1024)):
            chunk = handle.read(1024 * 1024)
            if not chunk:
                return False
            if b"orchlint" in tail + chunk:
                return True
            tail = chunk[-7:]  # a name split across two chunks
    return True


def load_file(path: Path, preread: Preread | None = None, display: str | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Validated values and, per setting, where it was written. Raises ConfigError.

    ``preread`` is the file's content read elsewhere (e.g. from git at another revision), with
    ``path`` still where it lives, which relative plugin and rule paths are taken from."""
    display = display or str(path)
    try:
        raw = preread[0] if preread is not None else yamlsource.read_bounded(path)
    except OSError as exc:
        raise ConfigError([f"{display}: cannot read configuration: {exc.strerror or exc}"]) from None
    if len(raw) > yamlsource.MAX_BYTES:
        if path.name == PYPROJECT:
            message = (
                f"{display}:1:1: file is larger than the {yamlsource.MAX_BYTES:,}-byte limit, so its "
                "[tool.orchlint] table cannot be read; move the settings to an .orchlint.yaml beside it "
                "(which takes precedence) or name another file with --config"
            )
            raise ConfigError([message])
        raise ConfigError([f"{display}:1:1: file is larger than the {yamlsource.MAX_BYTES:,}-byte limit"])
    if path.name == PYPROJECT:
        doc = _pyproject_document(display, raw, preread[1] if preread is not None else None)
    else:
        try:
            doc = yamlsource.load(raw, dates_as_strings=True)
        except yamlsource.LoadError as exc:
            raise ConfigError([_format(display, exc.error)]) from None
        if doc.data is None:
            doc = yamlsource.Document({})
    if not isinstance(doc.data, dict):
        raise ConfigError([f"{display}:1:1: expected a mapping of settings"])
    errors = validation.validate(doc, "config")
    if errors:
        raise ConfigError([_format(display, e) for e in errors])
    values = dict(doc.data)
    base = path.parent
    for key in PATH_SETTINGS:
        if key in values:
            values[key] = tuple(_relative(entry, base, key) for entry in values[key])
    for key in ("block", "select", "ignore", "platforms"):
        if key in values:
            values[key] = tuple(values[key])
    if "severity" in values:
        values["severity"] = {pattern: LEVELS[level] for pattern, level in values["severity"].items()}
    origins = {}
    for key in values:
        line, col = doc.locate((key,), key=True)
        origins[key] = f"{display}:{line}:{col}"
        # Each entry's own position, so a notice about one pattern points at that pattern.
        entries = enumerate(doc.data[key]) if isinstance(doc.data[key], list) else ()
        if isinstance(doc.data[key], dict):
            entries = ((entry, entry) for entry in doc.data[key])
        for index, entry in entries:
            line, col = doc.locate((key, index), key=isinstance(index, str))
            resolved = _relative(entry, base, key) if key in PATH_SETTINGS else entry
            origins[f"{key}\0{resolved}"] = f"{display}:{line}:{col}"
    return values, origins


def _relative(entry: str, base: Path, key: str) -> str:
    # A module name stays as it is; a path is taken relative to the configuration file.
    # Rule directories are always paths; a plugin or a block entry is one only if it looks it.
    looks_like_path = entry.endswith(".py") or "/" in entry or entry.startswith(".")
    if key != "rules" and not looks_like_path:
        return entry
    from pathlib import Path

    path = Path(entry)
    return str(path if path.is_absolute() else (base / path))


def _pyproject_document(display: str, raw: bytes, data: Any = None) -> yamlsource.Document:
    if data is None:
        data = _parse_toml(display, raw)
    table = data.get("tool", {}).get("orchlint", {})
    marks = _toml_key_marks(raw.decode("utf-8"), table)
    return yamlsource.Document(table, key_marks=marks, value_marks=marks)


def _parse_toml(display: str, raw: bytes) -> Any:
    tomllib = _tomllib()
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError([f"{display}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{match.group(1)}:{match.group(2)}" if match else "1:1"
        if "(at end of document)" in str(exc):
            where = f"{len(raw.splitlines()) + 1}:1"
        reason = re.sub(r" \(at (line|end of document).*", "", str(exc))
        raise ConfigError([f"{display}:{where}: invalid TOML: {reason}"]) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError([f"{display}:1:1: invalid TOML: nested too deeply"]) from None


def _toml_key_marks(text: str, table: Mapping[str, Any]) -> dict[Any, tuple[int, int]]:
    """Line and column of each top-level key of [tool.orchlint], so errors point at it."""
    marks: dict[Any, tuple[int, int]] = {}
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            header = re.match(r"\[\s*tool\s*\.\s*orchlint\s*(?:\.\s*([A-Za-z0-9_-]+)\s*)?\]", stripped)
            inside = header is not None and header.group(1) is None
            if header is not None and header.group(1) is None:
                marks[()] = (number, 1)
            elif header is not None and header.group(1) in table:  # [tool.orchlint.severity]
                marks[(header.group(1),)] = (number, 1)
            continue
        match = re.match(r"(\s*)([A-Za-z0-9_-]+)\s*=", line)
        if inside and match and match.group(2) in table:
            marks[(match.group(2),)] = (number, len(match.group(1)) + 1)
    return marks


def _format(display: str, error: InputError) -> str:
    return f"{display}:{error.line or 1}:{error.column or 1}: {error.message}"


def resolve(
    cli: Mapping[str, Any],
    *,
    config_path: str | None,
    cwd: str | Path,
    isolated: bool = False,
    found: tuple[Path | None, Preread | None, str] | None = None,
) -> Settings:
    """Defaults, overridden by the configuration file, overridden by the command line.

    ``cli`` holds only the options the user actually gave; additive settings are combined.
    ``isolated`` ignores every configuration file (flake8's ``--isolated``). ``found`` is a
    configuration chosen by the caller: (its path, its content, how to name it), e.g. the
    file as it was at a git revision; a path of None means no configuration at all.
    """
    settings = Settings()
    settings.given = dict(cli)
    settings.isolated = isolated
    display = None
    if isolated:
        if config_path is not None:
            raise ConfigError(["--isolated ignores every configuration file; it cannot be given with --config"])
        path, shadowed, preread = None, [], None
    elif found is not None:
        path, preread, display = found
        shadowed = []
    elif config_path is not None:
        from pathlib import Path

        path: Path | None = Path(config_path)
        if not path.is_file():
            raise ConfigError([f"{config_path}: no such configuration file"])
        shadowed: list[str] = []
        preread = None
    else:
        path, shadowed, preread = find_config(cwd)
    settings.path = path
    settings.notices.extend(shadowed)
    if path is not None:
        values, origins = load_file(path, preread, display)
        settings.values.update(values)
        for name, origin in origins.items():
            key, _, entry = name.partition("\0")
            if entry:
                settings.item_origins[(key, entry)] = origin
            else:
                settings.origins[key] = origin
    # The environment overrides the file: a CI job can loosen the limit for one slow runner.
    text = os.environ.get(RULE_TIMEOUT_ENV, "").strip()
    if text:
        try:
            settings.values["rule_timeout"] = parse_rule_timeout(text)
        except ValueError as exc:
            raise ConfigError([str(exc)]) from None
        settings.origins["rule_timeout"] = RULE_TIMEOUT_ENV
    for key, value in cli.items():
        option = OPTION_NAMES.get(key, "--" + key.replace("_", "-"))
        if key in ADDITIVE and settings.origins[key] != "default":
            for entry in value:
                settings.item_origins.setdefault((key, entry), option)
            settings.values[key] = tuple(dict.fromkeys((*settings.values[key], *value)))
            settings.origins[key] += f" + {option}"
        elif key == "severity" and settings.origins[key] != "default":
            settings.values[key] = {**settings.values[key], **value}
            settings.origins[key] += f" + {option}"
        else:
            settings.values[key] = value
            settings.origins[key] = option
    return settings


def report_unused(settings: Settings, rule_ids: list[str], plugin_names: list[str], platform_ids: list[str]) -> None:
    """Record the settings that have no effect once the rules and plugins are known."""
    from orchlint.support.suggest import did_you_mean

    prefixes = sorted({*rule_ids, *(r.split(".")[0] for r in rule_ids)})
    for setting, pattern, why in settings.policy.unused(rule_ids):
        hint = did_you_mean(pattern, prefixes) if why == "matches no rule" else ""
        settings.notice(setting, f"{pattern!r} {why}{hint}", pattern)
    for name in settings["block"]:
        if name not in plugin_names:
            hint = did_you_mean(name, plugin_names)
            settings.notice("block", f"{name!r} is not a plugin orchlint knows{hint}, so blocking it does nothing", name)
    for spec in settings["plugins"]:
        if spec in settings["block"]:
            settings.notice("plugins", f"{spec!r} is also blocked, so it is not loaded", spec)
    unknown = [p for p in settings["platforms"] if p not in platform_ids]
    if unknown:
        raise ConfigError(
            [f"{settings.origins['platforms']}: platforms: unknown platform {unknown[0]!r}"
             f"{did_you_mean(unknown[0], platform_ids)}; known: {', '.join(sorted(platform_ids))}"]
        )

