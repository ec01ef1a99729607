"""JSON Schema validation that speaks in file positions and key paths.

jsonschema reports errors against data paths; we turn each into one plain sentence with the
line and column from the YAML, and a did-you-mean suggestion for misspelt keys and values.
"""

from __future__ import annotations

import copy
import importlib
import itertools
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from orchlint.schemas.catalog import GENERATED, SCHEMA_PACKAGE, schema_path
from orchlint.support.fingerprint import unchanged
from orchlint.model import InputError
from orchlint.support.suggest import did_you_mean
from orchlint.support.yamlsource import Document, dotted

@lru_cache(maxsize=None)
def _schema_bytes(name: str) -> bytes:
    # Read once: load_schema and the error explanations both need it.
    with open(schema_path(name), "rb") as handle:
        return handle.read()


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in the package, e.g. ``requirements``."""
    return json.loads(_schema_bytes(name).decode("utf-8"))


@lru_cache(maxsize=None)
def _generated(name: str) -> Any:
    """The generated ``is_valid`` for schema ``name``, or None when there is none or when it was
    built from another version of the schema (then jsonschema alone decides)."""
    module_name = GENERATED.get(name)
    if module_name is None:
        return None
    try:
        module = importlib.import_module(f"{SCHEMA_PACKAGE}.{module_name}")
    except ImportError:
        return None
    if not unchanged(str(schema_path(name)), getattr(module, "SCHEMA_FINGERPRINT", None)):
        return None
    return module.is_valid


MAX_ERRORS = 50  # per file: a generated file with thousands of mistakes still gets a readable report
MAX_EXAMINED = 1_000  # schema errors looked at: building 100,000 of them took seconds and 400 MB


@lru_cache(maxsize=None)
def _validator(name: str) -> Any:
    return _strict_validator(load_schema(name))


def _strict_validator(schema: dict[str, Any]) -> Any:
    from jsonschema import Draft202012Validator, FormatChecker, validators

    # JSON Schema counts 5.0 as an integer; a node count written as a float is a mistake.
    strict = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    cls = validators.extend(Draft202012Validator, type_checker=strict)
    return cls(schema, format_checker=FormatChecker())


def validate(doc: Document, schema_name: str) -> list[InputError]:
    """Every schema violation in ``doc``, one message each, in file order."""
    fast = _generated(schema_name)
    if fast is not None and fast(doc.data):
        return []  # valid: jsonschema is needed only to explain what is wrong
    return _explain(doc, _validator(schema_name))


def combined_requirements_schema(namespaces: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """The requirements schema with the plugins' namespaces: each fragment under
    ``requirements.<namespace>``, and each namespace a key ``priorities:`` may name."""
    schema = copy.deepcopy(load_schema("requirements"))
    if not namespaces:
        return schema
    props = schema["properties"]
    props["requirements"]["properties"].update(copy.deepcopy(dict(namespaces)))
    names = props["priorities"]["propertyNames"]
    names["enum"] = sorted({*names["enum"], *namespaces})
    return schema


class RequirementsValidator:
    """Validates requirements files with the plugins' namespaces, as the built-in keys are.

    A file is valid when its built-in part passes the generated validator (the namespaces'
    keys taken out of ``requirements:`` and ``priorities:``) and each namespace's mapping its
    plugin's fragment: a file that uses no namespace costs what it did before. Only an invalid
    file meets the combined schema, through jsonschema, so its errors (built-in and plugin keys,
    unknown namespaces with did-you-mean over both) come out in file order with line:col."""

    def __init__(self, namespaces: Mapping[str, dict[str, Any]]) -> None:
        self.namespaces = {name: copy.deepcopy(schema) for name, schema in namespaces.items()}
        self._fragments: dict[str, Any] = {}
        self._combined: Any = None

    def schema(self) -> dict[str, Any]:
        return combined_requirements_schema(self.namespaces)

    def validate(self, doc: Document) -> list[InputError]:
        if not self.namespaces:
            return validate(doc, "requirements")
        if self._valid(doc.data):
            return []
        if self._combined is None:
            self._combined = _strict_validator(self.schema())
        return _explain(doc, self._combined)

    def _valid(self, data: Any) -> bool:
        fast = _generated("requirements")
        if fast is None or not isinstance(data, dict):
            return False
        requirements, priorities = data.get("requirements"), data.get("priorities")
        used = [n for n in self.namespaces if isinstance(requirements, dict) and n in requirements]
        named = isinstance(priorities, dict) and any(n in priorities for n in self.namespaces)
        if used or named:
            data = dict(data)
            if used:
                data["requirements"] = {k: v for k, v in requirements.items() if k not in self.namespaces}
            if named:
                # The namespace's priority is taken out, so its value is checked here.
                allowed = load_schema("requirements")["properties"]["priorities"]["additionalProperties"]["enum"]
                if any(type(v) is not str or v not in allowed for k, v in priorities.items() if k in self.namespaces):
                    return False
                data["priorities"] = {k: v for k, v in priorities.items() if k not in self.namespaces}
        if not fast(data):
            return False
        for name in used:
            validator = self._fragments.get(name)
            if validator is None:
                validator = self._fragments[name] = _strict_validator(self.namespaces[name])
            if not validator.is_valid(requirements[name]):
                return False
        return True


def _explain(doc: Document, validator: Any) -> list[InputError]:
    found = list(itertools.islice(validator.iter_errors(doc.data), MAX_EXAMINED + 1))
    uncounted = len(found) > MAX_EXAMINED
    errors = [e for err in _subsumed(_leaf_errors(found[:MAX_EXAMINED])) for e in _describe_all(err, doc)]
    unique = {(e.line, e.column, e.message): e for e in errors}
    ordered = sorted(unique.values(), key=lambda e: (e.line or 0, e.column or 0, e.message))
    if len(ordered) > MAX_ERRORS or uncounted:
        hidden = ordered[MAX_ERRORS - 1 :]
        first = hidden[0]
        count = f"at least {len(hidden):,}" if uncounted else f"{len(hidden):,}"
        more = InputError(f"{count} more errors not shown", first.line, first.column, first.path)
        ordered = ordered[: MAX_ERRORS - 1] + [more]
    return ordered


def _subsumed(errors: list[Any]) -> list[Any]:
    # A value of the wrong type also breaks its range or pattern; saying so twice is noise.
    # The same goes for a date that fails both its pattern and its format.
    typed = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    dated = {tuple(e.absolute_path) for e in errors if e.validator == "format"}
    return [
        e
        for e in errors
        if not (tuple(e.absolute_path) in typed and e.validator != "type")
        and not (tuple(e.absolute_path) in dated and e.validator == "pattern")
    ]


def _describe_all(err: Any, doc: Document) -> list[InputError]:
    """One error per unknown key (jsonschema reports them together), else ``_describe``."""
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        allowed = set(err.schema.get("properties", {}))
        extras = [k for k in err.instance if k not in allowed]
        # Past the first few, a suggestion would not be shown: difflib is not worth running.
        return [_unknown_key(err, doc, key, hint=i < MAX_ERRORS) for i, key in enumerate(extras)]
    return [_describe(err, doc)]


def _leaf_errors(errors: Any) -> list[Any]:
    # A oneOf/anyOf failure is clearer through its best sub-error than as a schema dump.
    from jsonschema.exceptions import best_match

    out = []
    for err in errors:
        if err.context:
            out.append(best_match(err.context))
        else:
            out.append(err)
    return out


def _describe(err: Any, doc: Document, extra: str | None = None) -> InputError:
    path = tuple(err.absolute_path)
    where = dotted(path) or "(document root)"
    validator = err.validator
    line, col = doc.locate(path)
    if validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return InputError(f"{where}: missing required key {missing!r}", line, col, where)
    if validator == "enum":
        allowed = [str(v) for v in err.validator_value]
        hint = did_you_mean(str(err.instance), allowed)
        if "propertyNames" in err.absolute_schema_path and isinstance(err.instance, str):
            # A key's name is wrong: point at that key, not at the mapping holding it.
            line, col = doc.locate(path + (err.instance,), key=True)
            head = err.instance.split(".")[0]
            if "." in err.instance and head in allowed:
                hint = f" (a priority is for a whole requirement: did you mean {head!r}?)"
        return InputError(
            f"{where}: {_show(err.instance)} is not allowed{hint}; expected one of: {', '.join(allowed)}",
            line,
            col,
            where,
        )
    if validator == "const":
        return InputError(f"{where}: expected {_show(err.validator_value)}, got {_show(err.instance)}", line, col, where)
    if validator == "type":
        wanted = [err.validator_value] if isinstance(err.validator_value, str) else list(err.validator_value)
        expected = " or ".join(_JSON_TYPE_WORDS.get(w, w) for w in wanted)
        got = _type_name(err.instance)
        if err.instance is not None and not isinstance(err.instance, (dict, list)):
            got += f" {_show(err.instance)}"
        return InputError(f"{where}: expected {expected}, got {got}", line, col, where)
    if validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return InputError(f"{where}: {err.message}", line, col, where)
    if validator == "uniqueItems":
        return InputError(f"{where}: list has duplicate items", line, col, where)
    if validator == "minItems":
        return InputError(f"{where}: list must not be empty", line, col, where)
    if validator == "format":
        return InputError(f"{where}: expected a {err.validator_value} (YYYY-MM-DD), got {_show(err.instance)}", line, col, where)
    if validator == "pattern" and "x-expected" in err.schema:
        # A regular expression is no help to the reader; the schema says what it stands for.
        return InputError(f"{where}: expected {err.schema['x-expected']}, got {_show(err.instance)}", line, col, where)
    if validator == "pattern":
        return InputError(f"{where}: {_show(err.instance)} does not match the pattern {err.validator_value}", line, col, where)
    if validator in ("minLength", "maxLength"):
        if validator == "minLength":
            length = "a non-empty string" if err.validator_value == 1 else f"at least {err.validator_value} characters"
        else:
            length = f"at most {err.validator_value} characters"
        got = f", got {len(err.instance):,}" if isinstance(err.instance, str) and err.validator_value != 1 else ""
        return InputError(f"{where}: expected {length}{got}", line, col, where)
    # Anything else: jsonschema's own sentence, cut short, since it may quote a long value.
    return InputError(f"{where}: {_cut(err.message)}", line, col, where)


def _unknown_key(err: Any, doc: Document, key: str, *, hint: bool = True) -> InputError:
    path = tuple(err.absolute_path)
    allowed = sorted(err.schema.get("properties", {}))
    line, col = doc.locate(path + (key,), key=True)
    where = _cut(dotted(path + (key,)))
    return InputError(
        f"{where}: unknown key {_cut(repr(key))}{did_you_mean(key, allowed) if hint else ''}; expected one of: {', '.join(allowed)}",
        line,
        col,
        where,
    )


def _cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


_JSON_TYPE_WORDS = {"object": "a mapping", "array": "a list", "integer": "integer", "boolean": "boolean", "string": "string"}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def _show(value: Any) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False) if not isinstance(value, (dict, list)) else _type_name(value)
    return _cut(text, 60)
