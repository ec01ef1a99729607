"""Classes built on orchlint.model behave as the dataclasses they replace.

Each class writes its ``__init__`` by hand and takes its other methods from a shared base, so
these tests compare every such class with the dataclass ``dataclasses.make_dataclass`` builds
from the same fields and flags: same signature, same equality, hashing, order, repr and
frozenness. A field added without its ``__init__`` argument fails here.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import sys

import pytest

import orchlint
from orchlint.model import Frozen, Mutable, Ordered


def _record_classes() -> list[type]:
    for info in pkgutil.walk_packages(orchlint.__path__, "orchlint."):
        if info.name.endswith(("__main__", "_compiled")):
            continue
        importlib.import_module(info.name)
    found = {
        obj
        for name, module in sorted(sys.modules.items())
        if name.startswith("orchlint.")
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, (Frozen, Mutable)) and obj not in (Frozen, Mutable, Ordered) and dataclasses.is_dataclass(obj)
    }
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__))


CLASSES = _record_classes()


def _reference(cls: type) -> type:
    """The dataclass the class stands for: same fields, generated methods."""
    frozen = issubclass(cls, Frozen)
    specs = [
        (f.name, f.type, dataclasses.field(default=f.default, default_factory=f.default_factory, compare=f.compare, repr=f.repr))
        for f in dataclasses.fields(cls)
    ]
    return dataclasses.make_dataclass(cls.__name__, specs, frozen=frozen, order=issubclass(cls, Ordered))


def _values(cls: type, salt: str) -> list[str]:
    return [f"{salt}{i}" for i in range(len(dataclasses.fields(cls)))]


def test_the_records_are_found():
    names = {c.__qualname__ for c in CLASSES}
    assert {"Source", "Fact", "Finding", "Rule", "Judgement", "Context", "Registry", "Document"} <= names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_init_takes_every_field_in_order_with_its_default(cls):
    parameters = list(inspect.signature(cls).parameters.values())
    fields = dataclasses.fields(cls)
    assert [p.name for p in parameters] == [f.name for f in fields]
    for p, f in zip(parameters, fields):
        if f.default is not dataclasses.MISSING:
            assert p.default == f.default, f.name
        elif f.default_factory is not dataclasses.MISSING:
            # None stands for "make a new one"; each instance gets its own
            assert p.default is None, f.name
        else:
            assert p.default is inspect.Parameter.empty, f.name
    made = cls(*_values(cls, "v"))
    assert [getattr(made, f.name) for f in fields] == _values(cls, "v")


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_defaults_are_those_of_the_dataclass(cls):
    reference = _reference(cls)
    required = [f for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    args = [f"r{i}" for i in range(len(required))]
    ours, theirs = cls(*args), reference(*args)
    for f in dataclasses.fields(cls):
        mine, made = getattr(ours, f.name), getattr(theirs, f.name)
        assert type(mine) is type(made), f.name
        if type(made).__eq__ is not object.__eq__:  # a KnowledgeBase compares by identity only
            assert mine == made, f.name
    for f in dataclasses.fields(cls):
        if f.default_factory is not dataclasses.MISSING:  # a fresh object per instance
            assert getattr(cls(*args), f.name) is not getattr(ours, f.name)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_equality_hash_order_and_repr_match_the_dataclass(cls):
    reference = _reference(cls)
    a, b = _values(cls, "a"), _values(cls, "b")
    fields = dataclasses.fields(cls)
    for i, f in enumerate(fields):  # change one field at a time
        changed = a[:i] + [b[i]] + a[i + 1 :]
        assert (cls(*a) == cls(*changed)) is (reference(*a) == reference(*changed)), f.name
        assert (cls(*a) != cls(*changed)) is (reference(*a) != reference(*changed)), f.name
        if issubclass(cls, Ordered):
            assert (cls(*a) < cls(*changed)) is (reference(*a) < reference(*changed)), f.name
            assert (cls(*changed) >= cls(*a)) is (reference(*changed) >= reference(*a)), f.name
    assert cls(*a) == cls(*a) and cls(*a) != cls(*b)
    assert (cls(*a) == object()) is False
    assert repr(cls(*a)) == repr(reference(*a)).replace(reference.__qualname__, cls.__qualname__, 1)
    if issubclass(cls, Frozen):
        assert hash(cls(*a)) == hash(cls(*a))
        assert dataclasses.replace(cls(*a), **{fields[0].name: b[0]}) == cls(b[0], *a[1:])
    else:
        with pytest.raises(TypeError):
            hash(cls(*a))


@pytest.mark.parametrize("cls", [c for c in CLASSES if issubclass(c, Frozen)], ids=lambda c: c.__qualname__)
def test_frozen_records_refuse_assignment(cls):
    made = cls(*_values(cls, "v"))
    name = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, name, "other")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(made, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.new_attribute = 1  # a frozen dataclass refuses new attributes too
    assert getattr(made, name) == "v0"


def test_a_frozen_dataclass_may_still_derive_from_a_frozen_record():
    # A plugin or a test may extend Finding or Fact as it could extend the dataclass.
    from orchlint.model import Finding, Outcome, Severity

    @dataclasses.dataclass(frozen=True, order=True)
    class Marked(Finding):
        mark: str = dataclasses.field(compare=False, default="")

    made = Marked("k", 1, 1, "a.b", "", Severity.PASS, "m", Outcome.MET, mark="x")
    assert (made.mark, made.platform) == ("x", "k")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.mark = "y"
    with pytest.raises(TypeError, match="non-frozen dataclass from a frozen one"):

        @dataclasses.dataclass
        class Loose(Finding):
            pass


def test_a_record_must_write_its_init():
    from orchlint.model import record

    with pytest.raises(TypeError, match="writes its own __init__"):

        @record
        class NoInit(Frozen):
            x: int


def test_sort_key_sorts_findings_as_their_order_does():
    import datetime as _dt
    import itertools

    from orchlint.model import Finding, Outcome, Severity, Waiver

    waiver = Waiver("r", "why", "team", _dt.date(2030, 1, 1))
    findings = [
        Finding(platform, line, 1, rule, requirement, severity, message, Outcome.MET, "must", (), None, waived)
        for platform, line, rule, requirement, severity, message, waived in itertools.product(
            ("b", "a"), (2, 1), ("r.y", "r.x"), ("requirements.z", ""), (Severity.FAIL, Severity.UNKNOWN), ("m2", "m1"), (None, waiver)
        )
    ]
    assert sorted(findings, key=Finding.sort_key()) == sorted(findings)
    assert [f.platform for f in sorted(findings, key=Finding.sort_key())][:1] == ["a"]
