"""The small, safe language of declarative rules: JSON Schema conditions, references, templates.

Nothing here evaluates a user string as code. A condition is a JSON Schema. It may compare
against the requirements through a *reference*: a mapping with a single key, ``$requirement``
(a dotted path under ``requirements:``) or ``$value`` (the value being judged), replaced by the
value it points at before the schema is applied. So "the platform's node limit is at least the
nodes required" is ``{minimum: {$requirement: nodes}}``.

Messages are templates with ``{name}`` and ``{name.key}`` fields from a fixed vocabulary and an
optional format spec (``{value:,}``); attribute access, indexing and calls are not part of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

# string.Formatter().parse is this C function; importing string to reach it costs 0.3 ms of
# every start (its Template class compiles a pattern when the module is imported).
from _string import formatter_parser

REFERENCE_KEYS = ("$requirement", "$value")
TEMPLATE_FIELDS = ("platform", "platform_id", "value", "fact", "note", "detail", "requirement", "as_of")
FACT_KEY_FIELDS = ("value",)
_FIELD = re.compile(r"^[a-z_]+(\.[A-Za-z0-9][A-Za-z0-9_-]*)*$")
MAPPING_FIELDS = ("fact", "requirement")
MAX_WIDTH = 200  # the only fields whose keys a template may read


class Unresolved(Exception):
    """A reference points at a requirement the document does not have."""


def resolve(schema: Any, value: Any, requirements: Mapping[str, Any]) -> Any:
    """``schema`` with every reference replaced by what it points at (``schema`` itself when it
    has none, so that its compiled form is found by identity in ``matches``)."""
    return _resolve(schema, value, requirements) if _known(schema)[1] else schema


# A rule file's conditions are the same objects on every evaluation: whether one has
# references, and the check compiled from one that has none, are worked out once per object
# (it is held, so its id cannot be reused). A resolved condition is a new object every time:
# it is compiled by its text (``_validator``) and not remembered here.
_conditions: dict[int, list[Any]] = {}  # id -> [schema, has references, compiled check or None]


def _known(schema: Any) -> list[Any]:
    hit = _conditions.get(id(schema))
    if hit is None or hit[0] is not schema:
        if len(_conditions) > 4096:
            _conditions.clear()
        hit = _conditions[id(schema)] = [schema, has_references(schema), None]
    return hit


def _resolve(schema: Any, value: Any, requirements: Mapping[str, Any]) -> Any:
    if isinstance(schema, Mapping):
        if len(schema) == 1:
            (key, target), = schema.items()
            if key == "$value":
                return _plain(value)
            if key == "$requirement":
                return _plain(lookup(requirements, str(target)))
        return {k: _resolve(v, value, requirements) for k, v in schema.items()}
    if isinstance(schema, (list, tuple)):
        return [_resolve(v, value, requirements) for v in schema]
    return schema


def has_references(schema: Any) -> bool:
    if isinstance(schema, Mapping):
        if len(schema) == 1 and next(iter(schema)) in REFERENCE_KEYS:
            return True
        return any(has_references(v) for v in schema.values())
    if isinstance(schema, (list, tuple)):
        return any(has_references(v) for v in schema)
    return False


def lookup(mapping: Any, dotted_path: str) -> Any:
    current = mapping
    for part in dotted_path.split("."):
        if not isinstance(current, Mapping) or part not in current:
            raise Unresolved(dotted_path)
        current = current[part]
    return current


def matches(schema: Any, instance: Any) -> bool:
    """Whether ``instance`` is valid against ``schema`` (already resolved)."""
    if schema is True or schema == {}:
        return True
    hit = _conditions.get(id(schema))
    if hit is not None and hit[0] is schema and not hit[1]:  # a rule file's own condition
        if hit[2] is None:
            hit[2] = _validator(json.dumps(schema, sort_keys=True, default=str))
        return hit[2](_plain(instance))
    return _validator(json.dumps(schema, sort_keys=True, default=str))(_plain(instance))


@lru_cache(maxsize=1024)
def _validator(schema_json: str) -> Any:
    """``is_valid`` for a condition, keyed by its text so that each compiles once per run.

    orchlint.schemas.codegen compiles it to a few Python functions (a hundred times faster than
    jsonschema, and proven to agree with it by the test suite); what it does not support is
    left to jsonschema.
    """
    from orchlint.schemas.codegen import SchemaGenError, compile_validator

    schema = json.loads(schema_json)
    try:
        return compile_validator(schema, formats=False)
    except SchemaGenError:
        from jsonschema import Draft202012Validator

        return Draft202012Validator(schema).is_valid


class ConditionError(Exception):
    """A condition, valid at load time, that cannot be applied to the values it met."""


# Keywords that look only at the properties a schema names (``type`` aside, which a mapping
# and any part of it satisfy alike). Any other keyword may look at every key.
_NAMED_ONLY = frozenset({"properties", "required", "type", "title", "description", "$comment"})


def projection(schema: Any, mapping: Mapping[str, Any]) -> Any:
    """The part of ``mapping`` that validating it against ``schema`` can look at: just the keys
    the schema names, when it uses no keyword that may look at others; else all of it.

    So a condition on one requirement reads that requirement only, and the engine can reuse
    the judgement for every file that states it alike (see rulecall.Watched).
    """
    if not isinstance(schema, Mapping) or not set(schema) <= _NAMED_ONLY:
        return mapping
    named = {*schema.get("properties", {}), *schema.get("required", ())}
    return {key: mapping[key] for key in sorted(named) if key in mapping}


def matches_or_explain(schema: Any, instance: Any, where: str) -> bool:
    """``matches``, with any failure to apply the schema turned into a ConditionError."""
    try:
        return matches(schema, instance)
    except RecursionError:
        raise ConditionError(f"{where}: condition nests too deeply to apply") from None
    except Exception as exc:  # jsonschema raises TypeError comparing, e.g., a number with a list
        raise ConditionError(f"{where}: condition cannot be applied to {_show(instance)}: {exc}") from None


def check_schema(schema: Any) -> str | None:
    """None if ``schema`` is a valid, self-contained JSON Schema (references set aside), else
    its first problem (``schema_problems`` has them all, with where each is)."""
    problems = schema_problems(schema)
    return problems[0][1] if problems else None


def schema_problems(schema: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Every problem of a condition, as (path inside the condition, message), in path order: a
    keyword that makes it depend on something else ($ref ...), a keyword JSON Schema (draft
    2020-12) does not have (``cnst``: did you mean 'const'?), which a validator would ignore,
    so that a typo would make the condition hold for anything, and what the meta-schema
    refuses (``minimum: "ten"``). References ({$value: null}, {$requirement: path}) are set
    aside: they are checked when they are used."""
    problem = _forbidden_keywords(schema) or _unsafe_patterns(schema)
    if problem:
        return [((), problem)]
    stripped = _without_references(schema)
    found = list(_unknown_keywords(stripped, ()))
    from jsonschema import Draft202012Validator

    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    for error in meta.iter_errors(stripped):
        found.append((tuple(error.absolute_path), error.message))
    return sorted(dict.fromkeys(found), key=lambda item: tuple(str(p) for p in item[0]))


# Where JSON Schema (draft 2020-12) has subschemas: one, a list of them, or a mapping of them.
_ONE_SCHEMA = frozenset(
    {"additionalProperties", "contains", "contentSchema", "else", "if", "items", "not", "propertyNames", "then",
     "unevaluatedItems", "unevaluatedProperties"}
)
_LIST_OF_SCHEMAS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_MAP_OF_SCHEMAS = frozenset({"$defs", "definitions", "dependentSchemas", "patternProperties", "properties", "dependencies"})


@lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """Every keyword of JSON Schema draft 2020-12: the properties of its meta-schema and of its
    vocabularies' meta-schemas."""
    from jsonschema import Draft202012Validator
    from jsonschema_specifications import REGISTRY

    meta = Draft202012Validator.META_SCHEMA
    found = set(meta.get("properties", {}))
    base = meta["$id"].rsplit("/", 1)[0] + "/"
    for part in meta.get("allOf", ()):
        found |= set(REGISTRY.contents(base + part["$ref"]).get("properties", {}))
    return frozenset(found)


def _unknown_keywords(schema: Any, path: tuple[str | int, ...]) -> Any:
    if not isinstance(schema, Mapping) or _is_reference(schema):  # a reference stands for a value
        return
    from orchlint.support.suggest import did_you_mean

    known = keywords()
    for key, value in schema.items():
        here = (*path, key)
        if key not in known:
            yield here, f"unknown keyword {key!r}{did_you_mean(str(key), sorted(known))}; a condition is a JSON Schema (draft 2020-12)"
        elif key in _ONE_SCHEMA:
            yield from _unknown_keywords(value, here)
        elif key in _LIST_OF_SCHEMAS and isinstance(value, list):
            for index, item in enumerate(value):
                yield from _unknown_keywords(item, (*here, index))
        elif key in _MAP_OF_SCHEMAS and isinstance(value, Mapping):
            for name, item in value.items():
                yield from _unknown_keywords(item, (*here, name))


def _without_references(schema: Any) -> Any:
    # A keyword whose value is a reference is checked by its use, not by a stand-in value that
    # could be the wrong type for it ({enum: {$value: null}} needs a list).
    if isinstance(schema, Mapping):
        return {k: _without_references(v) for k, v in schema.items() if not _is_reference(v)}
    if isinstance(schema, (list, tuple)):
        return [_without_references(v) for v in schema if not _is_reference(v)]
    return schema


def _is_reference(value: Any) -> bool:
    return isinstance(value, Mapping) and len(value) == 1 and next(iter(value)) in REFERENCE_KEYS


def _first_problem(schema: Any, check: Callable[[Mapping[str, Any]], str | None]) -> str | None:
    """The first problem ``check`` finds in any mapping of ``schema``, depth first."""
    if isinstance(schema, Mapping):
        children: Any = schema.values()
        problem = check(schema)
        if problem:
            return problem
    elif isinstance(schema, (list, tuple)):
        children = schema
    else:
        return None
    return next((p for p in (_first_problem(v, check) for v in children) if p), None)


def _forbidden_keywords(schema: Any) -> str | None:
    # A condition stands alone: nothing is fetched, nothing is looked up elsewhere.
    def forbidden(mapping: Mapping[str, Any]) -> str | None:
        key = next((k for k in ("$ref", "$dynamicRef", "$id", "$anchor", "$dynamicAnchor") if k in mapping), None)
        return f"{key} is not allowed in a condition; conditions are self-contained" if key else None

    return _first_problem(schema, forbidden)


def _unsafe_patterns(schema: Any) -> str | None:
    """Regular expressions that can take exponential time (nested quantifiers such as
    ``(a+)+``, back-references) are refused: a rule file is data reviewed as data, and
    Python's ``re`` runs in C holding the GIL, where the rule time limit cannot stop it."""

    def unsafe(mapping: Mapping[str, Any]) -> str | None:
        found = [mapping["pattern"]] if isinstance(mapping.get("pattern"), str) else []
        if isinstance(mapping.get("patternProperties"), Mapping):
            found += [k for k in mapping["patternProperties"] if isinstance(k, str)]
        for pattern in found:
            problem = regex_risk(pattern)
            if problem:
                return f"pattern {pattern!r} {problem}"
        return None

    return _first_problem(schema, unsafe)


def regex_risk(pattern: str) -> str | None:
    """Why ``pattern`` may backtrack catastrophically, or None. Conservative: a repeated
    group that itself holds a repetition is refused even where it happens to be safe."""
    import re

    try:
        from re import _constants as constants, _parser as parser  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_constants as constants  # type: ignore[no-redef]
        import sre_parse as parser  # type: ignore[no-redef]
    try:
        parsed = parser.parse(pattern)
    except re.error as exc:
        return f"is not a valid regular expression: {exc}"
    repeats = {constants.MAX_REPEAT, constants.MIN_REPEAT}
    repeats |= {getattr(constants, "POSSESSIVE_REPEAT")} if hasattr(constants, "POSSESSIVE_REPEAT") else set()

    def walk(items: Any, repeated: bool) -> str | None:
        for op, av in items:
            if op in repeats:
                low, high, body = av
                many = high is constants.MAXREPEAT or high > 1
                if repeated and many:
                    return "nests one repetition inside another (as in (a+)+), which can take exponential time"
                problem = walk(body, repeated or many)
            elif op is constants.SUBPATTERN:
                problem = walk(av[-1], repeated)
            elif op is constants.BRANCH:
                problem = next((p for p in (walk(b, repeated) for b in av[1]) if p), None)
            elif op in (constants.ASSERT, constants.ASSERT_NOT):
                problem = walk(av[1], repeated)
            elif op in (constants.GROUPREF, constants.GROUPREF_EXISTS):
                problem = "uses a back-reference, which can take exponential time"
            else:
                problem = None
            if problem:
                return problem
        return None

    return walk(parsed, False)


def _show(value: Any) -> str:
    text = json.dumps(_plain(value), default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _plain(value: Any) -> Any:
    """Read-only views (the engine freezes requirements) back to JSON-like values."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# -- templates --------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _parsed(template: str) -> tuple[tuple[str, str | None, str | None, str | None], ...]:
    # A rule's few templates are rendered for every finding: parse each once.
    return tuple(formatter_parser(template))


def template_errors(template: str, allowed: tuple[str, ...] = TEMPLATE_FIELDS) -> str | None:
    """None if ``template`` only uses ``{field}`` / ``{field.key}`` from ``allowed``."""
    try:
        parsed = list(formatter_parser(template))
    except ValueError as exc:
        return f"malformed template: {exc}"
    for _text, name, spec, conversion in parsed:
        if name is None:
            continue
        if conversion:
            return f"conversions such as !{conversion} are not allowed in templates"
        head = name.split(".")[0]
        if not _FIELD.match(name) or head not in allowed or ("." in name and head not in MAPPING_FIELDS):
            return f"unknown field {{{name}}}; use one of: {', '.join('{' + a + '}' for a in allowed)} (and {{fact.KEY}}, {{requirement.KEY}})"
        if spec and "{" in spec:
            return "nested fields in a format spec are not allowed"
        if spec and any(int(n) > MAX_WIDTH for n in re.findall(r"\d+", spec)):
            return f"format widths and precisions above {MAX_WIDTH} are not allowed"
    return None


def _readable(value: Any) -> Any:
    """What a user wrote, not Python's repr: lists joined, booleans as YAML writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_readable(v)) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(_plain(value), sort_keys=True, default=str)
    return value


def render(template: str, fields: Mapping[str, Any]) -> str:
    """Fill a template checked by ``template_errors``; a field that does not apply renders empty."""
    out = []
    for text, name, spec, _conversion in _parsed(template):
        out.append(text)
        if name is None:
            continue
        head, *rest = name.split(".")
        value = fields.get(head)
        for part in rest:
            value = value.get(part) if isinstance(value, Mapping) else None
        if value is None:
            continue
        value = _readable(value)
        try:
            out.append(format(value, spec or ""))
        except (ValueError, TypeError):
            out.append(str(value))
    return "".join(out)
