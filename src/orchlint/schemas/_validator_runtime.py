"""What every generated validator calls: jsonschema's type checks, ``equal``, ``uniq`` and
``date`` format, written once. The generated modules (``_*_validator.py``) and the in-memory
validators of orchlint.schemas.codegen import these instead of each carrying a copy.
"""
# ruff: noqa

import re as _re
from collections.abc import Mapping as _Mapping, Sequence as _Sequence
from datetime import date as _date

# The names a generated validator may use; orchlint.schemas.codegen imports exactly these.
HELPERS = ("_re", "_is_integer", "_is_strict_integer", "_is_number", "_equal", "_uniq", "_is_date")

def _is_integer(x):
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


def _is_strict_integer(x):
    return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x):
    if isinstance(x, bool):
        return False
    if isinstance(x, (int, float)):  # all YAML and TOML give: numbers is imported for the rest
        return True
    from numbers import Number

    return isinstance(x, Number)


def _unbool(x, true=object(), false=object()):
    if x is True:
        return true
    if x is False:
        return false
    return x


def _equal(one, two):
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, _Sequence) and isinstance(two, _Sequence):
        return len(one) == len(two) and all(_equal(i, j) for i, j in zip(one, two))
    if isinstance(one, _Mapping) and isinstance(two, _Mapping):
        return len(one) == len(two) and all(k in two and _equal(v, two[k]) for k, v in one.items())
    return _unbool(one) == _unbool(two)


def _uniq(container):
    try:
        ordered = sorted(_unbool(i) for i in container)
        for i, j in zip(ordered, ordered[1:]):
            if _equal(i, j):
                return False
    except (NotImplementedError, TypeError):
        seen = []
        for e in container:
            e = _unbool(e)
            for i in seen:
                if _equal(i, e):
                    return False
            seen.append(e)
    return True


_DATE = _re.compile(r"^\d{4}-\d{2}-\d{2}$", _re.ASCII)


def _is_date(x):
    if not isinstance(x, str):
        return True
    if not _DATE.fullmatch(x):
        return False
    try:
        _date.fromisoformat(x)
    except ValueError:
        return False
    return True
