"""The value types every part of orchlint shares: sources, facts, platforms, findings.

All are frozen dataclasses so that plugins cannot change what another plugin sees,
and findings sort deterministically. Their methods are written once
(``Frozen``, ``Ordered``, ``Mutable`` below) rather than generated at every start; each
``__init__`` is written out, and a test holds it to the fields.
"""

from __future__ import annotations

import copy
import datetime as _dt
import enum
import json
from collections.abc import Callable
from dataclasses import FrozenInstanceError, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar

# -- records: dataclasses whose methods are written once -------------------------------------
#
# ``@dataclass(frozen=True)`` compiles five to nine small functions per class when its module is
# imported: 0.3-0.6 ms a class, and a one-file ``orchlint check`` imports about thirty such
# classes, a fifth of what orchlint itself adds to the stack's start-up. Here a class is declared
# ``@dataclass(init=False, repr=False, eq=False)`` (the fields are collected, nothing is
# compiled) with a hand-written ``__init__`` by ``@record``, and one of these bases supplies once,
# for every class, what the generated methods did:
#
# - ``Frozen``: assigning or deleting an attribute raises ``dataclasses.FrozenInstanceError``;
#   instances compare equal and hash by their compared fields, and repr as a dataclass would;
# - ``Ordered``: a ``Frozen`` class that also sorts by its compared fields (``order=True``);
# - ``Mutable``: equality and repr only, and unhashable, as a plain ``@dataclass``.
#
# ``dataclasses.fields``, ``replace``, ``asdict`` and ``is_dataclass`` work as before. A test
# (tests/test_records.py) holds every ``__init__`` to its class's fields, so a field
# added without its argument fails there, not in a user's run.

T = TypeVar("T", bound=type)


def record(cls: T) -> T:
    """``@dataclass`` for a class on one of the bases below that writes its own ``__init__``."""
    if "__init__" not in cls.__dict__ or not issubclass(cls, (Frozen, Mutable)):
        raise TypeError(f"{cls.__qualname__}: a record writes its own __init__ and has Frozen, Ordered or Mutable as a base")
    cls = dataclass(init=False, repr=False, eq=False)(cls)
    if issubclass(cls, Frozen):
        # Say it is frozen, as it behaves, so that ``@dataclass(frozen=True)`` may still derive a
        # class from it (a plugin's or a test's), and a non-frozen one still may not.
        params = copy.copy(cls.__dataclass_params__)  # type: ignore[attr-defined]
        params.frozen = True
        cls.__dataclass_params__ = params  # type: ignore[attr-defined]
    return cls


# class -> what its instances are compared (and hashed) by, and the fields its repr shows
_COMPARED: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
_SHOWN: dict[type, tuple[str, ...]] = {}


def _compared(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    key = _COMPARED.get(cls)
    if key is None:
        names = [f.name for f in fields(cls) if f.compare]
        if len(names) > 1:
            key = attrgetter(*names)  # a tuple of the values, built in C
        else:  # attrgetter of one name gives the bare value: keep it a tuple, as a dataclass does
            key = lambda obj: tuple(getattr(obj, name) for name in names)  # noqa: E731
        _COMPARED[cls] = key
    return key


def _repr(obj: Any) -> str:
    cls = type(obj)
    shown = _SHOWN.get(cls)
    if shown is None:
        shown = _SHOWN[cls] = tuple(f.name for f in fields(cls) if f.repr)
    return f"{cls.__qualname__}({', '.join(f'{name}={getattr(obj, name)!r}' for name in shown)})"


class Mutable:
    """Equality by the compared fields and a dataclass's repr; unhashable, like ``@dataclass``."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = _compared(self.__class__)
        return key(self) == key(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return _repr(self)


class Frozen:
    """What ``@dataclass(frozen=True)`` generates: no assignment, equality, hashing and repr."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = _compared(self.__class__)
        return key(self) == key(other)

    def __hash__(self) -> int:
        return hash(_compared(self.__class__)(self))

    def __repr__(self) -> str:
        return _repr(self)


class Ordered(Frozen):
    """``@dataclass(frozen=True, order=True)``: sorted by the compared fields, in order."""

    __slots__ = ()

    @classmethod
    def sort_key(cls) -> Callable[[Any], tuple[Any, ...]]:
        """A key that sorts instances as their order does, with no Python ``__lt__`` call per
        comparison: ``sorted(findings, key=Finding.sort_key())``."""
        return _compared(cls)

    def __lt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = _compared(self.__class__)
        return key(self) < key(other)

    def __le__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = _compared(self.__class__)
        return key(self) <= key(other)

    def __gt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = _compared(self.__class__)
        return key(self) > key(other)

    def __ge__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = _compared(self.__class__)
        return key(self) >= key(other)


class Severity(enum.IntEnum):
    """How bad a finding is. The engine stamps it; rules never choose it.

    UNKNOWN is a finding orchlint cannot judge: the platform has no fact for it, or only a
    researched unknown. It sorts below PASS, so it never makes a verdict worse; it is counted
    apart, and gated apart (``fail_on_unknown``).
    """

    UNKNOWN = -1
    PASS = 0
    WARN = 1
    FAIL = 2

    @property
    def label(self) -> str:
        return _LABELS[self]  # read per finding: cheaper than Enum's name descriptor

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


_LABELS = {-1: "unknown", 0: "pass", 1: "warn", 2: "fail"}


class Outcome(enum.Enum):
    """What a rule concluded about one requirement on one platform."""

    MET = "met"
    DEGRADED = "degraded"  # met with a caveat: beta, add-on only, deprecated, end announced
    UNMET = "unmet"
    UNKNOWN = "unknown"  # the knowledge has no fact: never a silent pass

    # Members are singletons compared by identity, so identity hashing is equivalent, and
    # much cheaper than Enum's hash of the name (the engine looks up one per finding).
    __hash__ = object.__hash__


@record
class Source(Ordered):
    """Where a fact or rule comes from: a post section or a documentation URL."""

    title: str
    url: str = ""
    section: str = ""
    date: _dt.date | None = None  # publication or as-of date of the source itself

    def __init__(self, title: str, url: str = "", section: str = "", date: _dt.date | None = None) -> None:
        self.__dict__.update(title=title, url=url, section=section, date=date)

    def cite(self) -> str:
        text = self.title + (f" §{self.section}" if self.section else "")
        if self.url and self.url != self.title:
            text += f" <{self.url}>"
        if self.date:
            text += f" ({self.date.isoformat()})"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "url": self.url or None,
            "section": self.section or None,
            "date": self.date.isoformat() if self.date else None,
        }


@record
class Fact(Frozen):
    """What one platform can do, with the window of time in which that held."""

    platform: str
    key: str
    value: Any
    sources: tuple[Source, ...]
    verified: _dt.date
    valid_from: _dt.date | None = None  # None: since the platform existed
    valid_until: _dt.date | None = None  # exclusive; None: still holds
    note: str = ""
    posts_said: str = ""  # what the seed posts claimed, when it differs from the fact
    # What valid_from is tied to: the release or dated event that brought this value
    # ("Kubernetes v1.20", "quota raised"). Empty with from_as_of: the start is only the
    # as-of date of a source, a last resort the note explains.
    from_release: str = ""
    from_as_of: bool = False
    until_release: str = ""
    # Non-empty: a researched unknown. No public source settles the value (it is None);
    # these are the places that were searched. Rules see no fact, reports say it was researched.
    searched: tuple[str, ...] = ()
    # Set by the registry on a distribution's fact taken from the platform it is based on: the
    # id of that platform. Empty for a platform's own facts.
    inherited_from: str = ""

    def __init__(
        self,
        platform: str,
        key: str,
        value: Any,
        sources: tuple[Source, ...],
        verified: _dt.date,
        valid_from: _dt.date | None = None,
        valid_until: _dt.date | None = None,
        note: str = "",
        posts_said: str = "",
        from_release: str = "",
        from_as_of: bool = False,
        until_release: str = "",
        searched: tuple[str, ...] = (),
        inherited_from: str = "",
    ) -> None:
        self.__dict__.update(
            platform=platform,
            key=key,
            value=value,
            sources=sources,
            verified=verified,
            valid_from=valid_from,
            valid_until=valid_until,
            note=note,
            posts_said=posts_said,
            from_release=from_release,
            from_as_of=from_as_of,
            until_release=until_release,
            searched=searched,
            inherited_from=inherited_from,
        )

    @property
    def unknown(self) -> bool:
        return bool(self.searched)

    def holds_on(self, day: _dt.date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_until is None or day < self.valid_until

    def window(self) -> str:
        """``since 2020-10-01``, ``2017-03-28 until 2023-04-11``, ``until ...``, or ``undated``."""
        if self.valid_from and self.valid_until:
            return f"{self.valid_from.isoformat()} until {self.valid_until.isoformat()}"
        if self.valid_from:
            return f"since {self.valid_from.isoformat()}"
        if self.valid_until:
            return f"until {self.valid_until.isoformat()}"
        return "undated"

    def window_basis(self) -> str:
        """The window and what its start rests on: ``since 2020-12-08 (Nomad 1.0.0)``."""
        basis = self.from_release or ("as-of date of a source" if self.from_as_of else "")
        if self.inherited_from:  # a distribution's fact: say whose it is
            basis = f"{basis}; inherited from {self.inherited_from}" if basis else f"inherited from {self.inherited_from}"
        return f"{self.window()} ({basis})" if basis and self.valid_from else self.window()

    def describe(self) -> str:
        """``key = value (since 2020-10-01, verified 2023-08-01; source: ...)``."""
        value = "unknown (researched)" if self.searched else json.dumps(_jsonable(self.value), sort_keys=True)
        cited = "; ".join(s.cite() for s in self.sources)
        return f"{self.key} = {value} ({self.window_basis()}, verified {self.verified.isoformat()}; source: {cited})"

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "key": self.key,
            "value": _jsonable(self.value),
            "valid_from": _iso(self.valid_from),
            "valid_until": _iso(self.valid_until),
            "verified": self.verified.isoformat(),
            "note": self.note or None,
            "posts_said": self.posts_said or None,
            "from_release": self.from_release or None,
            "from_as_of": self.from_as_of,
            "until_release": self.until_release or None,
            "researched_unknown": list(self.searched) or None,
            "inherited_from": self.inherited_from or None,
            "sources": [s.to_json() for s in self.sources],
        }


class FactHistory:
    """One platform's facts for one key, made when they are first needed.

    A plugin may register this instead of each ``Fact``: ``make()`` returns the facts, ``days``
    holds every day on which one of them starts or ends, and ``count`` is how many there are.
    orchlint's own knowledge does so: a check reads a fifth of the keys, and making and filing
    every fact cost about 3 ms on each start. A third-party plugin's history is made at once
    and each fact checked, as if registered one by one.
    """

    __slots__ = ("platform", "key", "count", "days", "make")

    def __init__(self, platform: str, key: str, count: int, days: frozenset[_dt.date], make: Callable[[], list[Fact]]) -> None:
        self.platform = platform
        self.key = key
        self.count = count
        self.days = days
        self.make = make

    def __repr__(self) -> str:
        return f"FactHistory({self.platform!r}, {self.key!r}, {self.count} facts)"


@record
class Platform(Frozen):
    """A platform orchlint judges, as a plugin registers it."""

    id: str
    name: str
    summary: str = ""
    plugin: str = ""  # set by the registry: which plugin contributed it
    # A distribution (Amazon EKS) names the platform it is built on (kubernetes): it inherits
    # every fact of that platform from its own first release on, and its own facts replace the
    # inherited history key by key (orchlint.plugins.registry).
    based_on: str = ""

    def __init__(self, id: str, name: str, summary: str = "", plugin: str = "", based_on: str = "") -> None:
        self.__dict__.update(id=id, name=name, summary=summary, plugin=plugin, based_on=based_on)


@record
class Finding(Ordered):
    """One rule's verdict on one requirement for one platform.

    Field order is the sort order: platform, then position in the file, then rule.
    """

    platform: str
    line: int
    column: int
    rule: str
    requirement: str
    severity: Severity
    message: str
    outcome: Outcome = field(compare=False)
    priority: str = field(compare=False, default="must")
    sources: tuple[Source, ...] = field(compare=False, default=())
    fact: Fact | None = field(compare=False, default=None)
    waiver: Waiver | None = field(compare=False, default=None)  # set: reported, but not counted
    # The Judgement's path below the rule's requirement (rulekit.Judgement.path). For a rule on
    # a requirement it is also in ``requirement``; for a rule that judges every file it is the
    # only thing that tells its judgements apart. Re-reviews and diffs match findings by it.
    path: tuple[str | int, ...] = field(compare=False, default=())

    def __init__(
        self,
        platform: str,
        line: int,
        column: int,
        rule: str,
        requirement: str,
        severity: Severity,
        message: str,
        outcome: Outcome,
        priority: str = "must",
        sources: tuple[Source, ...] = (),
        fact: Fact | None = None,
        waiver: Waiver | None = None,
        path: tuple[str | int, ...] = (),
    ) -> None:
        # A frozen dataclass's generated __init__ sets each field through object.__setattr__; a
        # run makes two hundred findings per file, and filling the instance dict item by item is
        # 4-6x cheaper (a third cheaper than one update() with keywords, which builds a second
        # dict). The instance stays frozen: assigning still raises FrozenInstanceError.
        fields = self.__dict__
        fields["platform"] = platform
        fields["line"] = line
        fields["column"] = column
        fields["rule"] = rule
        fields["requirement"] = requirement
        fields["severity"] = severity
        fields["message"] = message
        fields["outcome"] = outcome
        fields["priority"] = priority
        fields["sources"] = sources
        fields["fact"] = fact
        fields["waiver"] = waiver
        fields["path"] = path

    @property
    def counted(self) -> Severity:
        """The severity that counts toward verdicts and exit codes: a waived finding counts as a pass."""
        return Severity.PASS if self.waiver is not None else self.severity

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "platform": self.platform,
            "severity": self.severity.label,
            "message": self.message,
            "requirement": self.requirement or None,
            "line": self.line,
            "column": self.column,
            "priority": self.priority,
            "outcome": self.outcome.value,
            "fact": self.fact.to_json() if self.fact else None,
            "sources": [s.to_json() for s in self.sources],
            "waiver": self.waiver.to_json() if self.waiver else None,
        }


@record
class Waiver(Frozen):
    """An accepted risk from the file's ``waivers:`` section: who accepted it, why, until when."""

    rule: str  # a rule id, or a prefix ending at a dot: "scale" covers "scale.node-limit"
    reason: str
    owner: str
    expires: _dt.date  # the last day it applies
    platform: str | None = None
    requirement: str | None = None  # a key path such as requirements.storage.types
    line: int = 1
    column: int = 1

    def __init__(
        self,
        rule: str,
        reason: str,
        owner: str,
        expires: _dt.date,
        platform: str | None = None,
        requirement: str | None = None,
        line: int = 1,
        column: int = 1,
    ) -> None:
        self.__dict__.update(
            rule=rule, reason=reason, owner=owner, expires=expires, platform=platform, requirement=requirement, line=line, column=column
        )

    def covers(self, finding: Finding) -> bool:
        if self.platform is not None and finding.platform != self.platform:
            return False
        rule = self.rule.rstrip(".")
        if finding.rule != rule and not finding.rule.startswith(rule + "."):
            return False
        if self.requirement is None:
            return True
        req = finding.requirement
        return req == self.requirement or req.startswith((self.requirement + ".", self.requirement + "["))

    def describe(self) -> str:
        """``scale.node-limit on kubernetes at requirements.nodes``."""
        text = self.rule
        if self.platform:
            text += f" on {self.platform}"
        if self.requirement:
            text += f" at {self.requirement}"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "platform": self.platform,
            "requirement": self.requirement,
            "reason": self.reason,
            "owner": self.owner,
            "expires": self.expires.isoformat(),
            "line": self.line,
            "column": self.column,
        }


@record
class Notice(Ordered):
    """Something about a file that is worth saying but judges no platform: never changes an exit code.

    ``kind`` is a dotted id such as ``waiver.unused`` or ``baseline.stale``.
    """

    line: int
    column: int
    kind: str
    message: str

    def __init__(self, line: int, column: int, kind: str, message: str) -> None:
        self.__dict__.update(line=line, column=column, kind=kind, message=message)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "line": self.line, "column": self.column}


@record
class InputError(Frozen):
    """A problem with an input file that stops it from being evaluated."""

    message: str
    line: int | None = None
    column: int | None = None
    path: str = ""  # key path inside the document, e.g. requirements.nodes

    def __init__(self, message: str, line: int | None = None, column: int | None = None, path: str = "") -> None:
        self.__dict__.update(message=message, line=line, column=column, path=path)

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message, "line": self.line, "column": self.column, "key": self.path or None}


@record
class PluginError(Frozen):
    """A plugin that failed: it is named, and the rest of the run goes on."""

    plugin: str
    message: str

    def __init__(self, plugin: str, message: str) -> None:
        self.__dict__.update(plugin=plugin, message=message)

    def to_json(self) -> dict[str, Any]:
        return {"plugin": self.plugin, "message": self.message}


def _iso(day: _dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
