"""JSON Schema validation that speaks in file positions and key paths.

jsonschema reports errors against data paths; we turn each into one plain sentence with the
line and column from the YAML, and a did-you-mean suggestion for misspelt keys and values.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from orchlint.model import InputError
from orchlint.yamlsource import Document, dotted

SCHEMA_PACKAGE = "orchlint.schemas"


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in the package, e.g. ``requirements``."""
    text = resources.files(SCHEMA_PACKAGE).joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator, FormatChecker

    schema = load_schema(name)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def validate(doc: Document, schema_name: str) -> list[InputError]:
    """Every schema violation in ``doc``, one message each, in file order."""
    errors = [e for err in _leaf_errors(_validator(schema_name).iter_errors(doc.data)) for e in _describe_all(err, doc)]
    unique = {(e.line, e.column, e.message): e for e in errors}
    return sorted(unique.values(), key=lambda e: (e.line or 0, e.column or 0, e.message))


def _describe_all(err: Any, doc: Document) -> list[InputError]:
    # jsonschema reports every unknown key of a mapping in one error; the user wants each.
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        allowed = set(err.schema.get("properties", {}))
        extras = [k for k in err.instance if k not in allowed]
        return [_describe(err, doc, key) for key in extras] or [_describe(err, doc)]
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
    if validator == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        extras = [k for k in err.instance if k not in allowed] if isinstance(err.instance, dict) else []
        key = extra if extra is not None else (extras[0] if extras else "?")
        hint = _did_you_mean(key, allowed)
        line, col = doc.locate(path + (key,), key=True)
        return InputError(
            f"{dotted(path + (key,))}: unknown key {key!r}{hint}; expected one of: {', '.join(allowed)}",
            line,
            col,
            dotted(path + (key,)),
        )
    line, col = doc.locate(path)
    if validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return InputError(f"{where}: missing required key {missing!r}", line, col, where)
    if validator == "enum":
        allowed = [str(v) for v in err.validator_value]
        hint = _did_you_mean(str(err.instance), allowed)
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
    if validator in ("minLength", "maxLength"):
        if validator == "minLength":
            length = "a non-empty string" if err.validator_value == 1 else f"at least {err.validator_value} characters"
        else:
            length = f"at most {err.validator_value} characters"
        return InputError(f"{where}: expected {length}", line, col, where)
    if validator == "propertyNames":
        return InputError(f"{where}: {err.message}", line, col, where)
    return InputError(f"{where}: {err.message}", line, col, where)


_JSON_TYPE_WORDS = {"object": "a mapping", "array": "a list", "integer": "integer", "boolean": "boolean", "string": "string"}


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
    text = json.dumps(value, default=str) if not isinstance(value, (dict, list)) else _type_name(value)
    return text if len(text) <= 60 else text[:57] + "..."
