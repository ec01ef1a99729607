"""The generated validator accepts exactly what jsonschema accepts, and is never out of date."""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from orchlint.schemas import codegen as schemagen

from orchlint.schemas import validation

from orchlint.support import yamlsource
from orchlint.schemas import _requirements_validator as generated

ROOT = Path(__file__).resolve().parent.parent.parent
SCHEMA = validation.load_schema("requirements")
REFERENCE = validation._validator("requirements")  # jsonschema, as orchlint configures it
HYPOTHESIS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_committed_module_is_up_to_date_with_the_schema():
    # If this fails, the schema changed: run `python -m orchlint.generate` and commit the result.
    for name in schemagen.GENERATED:
        assert schemagen.module_path(name).read_text("utf-8") == schemagen.source_for(name)


def test_validation_uses_the_generated_module_only_while_it_matches_the_schema(monkeypatch):
    validation._generated.cache_clear()
    assert validation._generated("requirements") is generated.is_valid
    monkeypatch.setattr(generated, "SCHEMA_FINGERPRINT", (0, 0))
    validation._generated.cache_clear()
    try:
        assert validation._generated("requirements") is None
        doc = yamlsource.load("orchlint: 1\nname: x\nrequirements:\n  nodez: 3\n", dates_as_strings=True)
        assert [e.path for e in validation.validate(doc, "requirements")] == ["requirements.nodez"]
    finally:
        monkeypatch.undo()
        validation._generated.cache_clear()


def test_a_schema_keyword_the_generator_does_not_know_is_refused():
    with pytest.raises(schemagen.SchemaGenError, match="patternProperties"):
        schemagen.generate({"patternProperties": {"^a": {"type": "string"}}}, name="x", schema_fingerprint=(0, 0))
    with pytest.raises(schemagen.SchemaGenError, match="only local references"):
        schemagen.generate({"$ref": "https://example.invalid/s.json"}, name="x", schema_fingerprint=(0, 0))
    with pytest.raises(schemagen.SchemaGenError, match="format 'email'"):
        schemagen.generate({"format": "email"}, name="x", schema_fingerprint=(0, 0))


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_examples_agree(path: Path):
    data = yamlsource.load(path.read_bytes(), dates_as_strings=True).data
    assert generated.is_valid(data) is True
    assert REFERENCE.is_valid(data)


# -- strategies: values near the schema, so that both answers are common --------------------

DATES = st.one_of(
    st.dates().map(_dt.date.isoformat),
    st.sampled_from(["2021-02-30", "2021-13-01", "2021-1-01", "2021-01-01\n", "२०२१-०१-०१", "0000-01-01", "20210101"]),
)
TEXT = st.one_of(st.text(max_size=12), st.sampled_from(["", "x" * 201, "kubernetes", "Kubernetes", "a-", "-a"]))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.integers(),
    st.sampled_from([0, 1, 10_000_000, 10_000_001, 1.0, 0.5, 2.0, -0.0, math.inf, -math.inf, math.nan, 1e300]),
    st.floats(),
    TEXT,
    DATES,
    st.binary(max_size=4),
)


def anything(keys: list[str] | None = None) -> st.SearchStrategy[Any]:
    names = st.one_of(st.sampled_from(keys), TEXT) if keys else TEXT
    return st.recursive(
        SCALARS,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(names, inner, max_size=4)),
        max_leaves=8,
    )


def mostly(usual: st.SearchStrategy[Any], rare: st.SearchStrategy[Any], odds: int = 8) -> st.SearchStrategy[Any]:
    """``usual``, and one time in ``odds`` ``rare`` (hypothesis has no weighted one_of)."""
    return st.integers(min_value=0, max_value=odds - 1).flatmap(lambda i: rare if i == odds - 1 else usual)


def near(schema: Any, root: Any = None, depth: int = 0) -> st.SearchStrategy[Any]:
    """Mostly values the schema is about, sometimes anything at all (about a third of the
    documents drawn end up valid, so both answers are well exercised)."""
    other = anything(list(schema.get("properties", {}))) if isinstance(schema, dict) else SCALARS
    return mostly(_valid_ish(schema, schema if root is None else root, depth), other, 12)


def _valid_ish(schema: Any, root: Any, depth: int) -> st.SearchStrategy[Any]:
    if not isinstance(schema, dict) or depth > 6:
        return SCALARS
    if "$ref" in schema:
        target = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return _valid_ish(target, root, depth + 1)
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema:
            return st.one_of([_valid_ish(sub, root, depth + 1) for sub in schema[keyword]])
    if "const" in schema:
        return st.sampled_from([schema["const"], 1.0, True, "1", [1]])
    if "enum" in schema:
        values = schema["enum"]
        wrong = [v.upper() for v in values if isinstance(v, str)] or [None]
        return mostly(st.sampled_from(values), st.sampled_from(wrong))
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        required = schema.get("required", [])
        needed = {k: near(props.get(k, {}), root, depth + 1) for k in required}
        optional = {k: near(v, root, depth + 1) for k, v in props.items() if k not in needed}
        base = st.fixed_dictionaries(needed, optional=optional)
        extra_values = near(schema["additionalProperties"], root, depth + 1) if isinstance(schema.get("additionalProperties"), dict) else SCALARS
        names = schema.get("propertyNames", {}).get("enum", []) + list(props) + ["nodez", "Name"]
        extras = mostly(st.just({}), st.dictionaries(st.sampled_from(names), extra_values, max_size=2))
        dropped = mostly(st.just(None), st.sampled_from(required)) if required else st.just(None)
        return st.tuples(base, extras, dropped).map(lambda t: {k: v for k, v in {**t[1], **t[0]}.items() if k != t[2]})
    if kind == "array":
        items = near(schema.get("items", {}), root, depth + 1)
        shortest = schema.get("minItems", 0)
        return mostly(st.lists(items, min_size=shortest, max_size=shortest + 3), st.lists(items, max_size=shortest + 3))
    if kind == "string":
        if schema.get("format") == "date":
            return mostly(st.dates().map(_dt.date.isoformat), DATES, 4)
        if "pattern" in schema:
            return mostly(st.from_regex(schema["pattern"], fullmatch=True), TEXT, 4)
        return mostly(st.text(min_size=1, max_size=12), TEXT)
    if kind == "integer":
        return mostly(st.integers(min_value=-2, max_value=12_000_000), st.sampled_from([1.0, 4000.0, 0.5, True, "3"]), 4)
    if kind == "boolean":
        return mostly(st.booleans(), st.sampled_from([0, 1, "true", None]))
    return SCALARS



@HYPOTHESIS
@given(near(SCHEMA))
@example({"orchlint": 1, "name": "x"})
@example({"orchlint": 1.0, "name": "x"})
@example({"orchlint": 1, "name": "x", "requirements": {"nodes": 12.0}})
@example({"orchlint": True, "name": "x"})
@example({"orchlint": 1, "name": "x", "decided": "2021-02-30"})
@example({"orchlint": 1, "name": "x", "decided": "2021-01-01\n"})
@example({"orchlint": 1, "name": "x", "target": "kubernetes\n"})
@example({"orchlint": 1, "name": "x", "requirements": {"nodes": 4000.0}})
@example({"orchlint": 1, "name": "x", "requirements": {"nodes": math.inf}})
@example({"orchlint": 1, "name": "x", "requirements": {"nodes": True}})
@example({"orchlint": 1, "name": "x", "requirements": {"workloads": ["batch", "batch"]}})
@example({"orchlint": 1, "name": "x", "requirements": {"workloads": []}})
@example({"orchlint": 1, "name": "x", "priorities": {"nodes": "should", "x": "must"}})
@example({"orchlint": 1, "name": "x", "priorities": {"nodes": "maybe"}})
@example({"orchlint": 1, "name": "x", "requirements": None})
@example({"orchlint": 1, "name": b"x"})
def test_generated_validator_agrees_with_jsonschema_on_requirements(instance):
    assert generated.is_valid(instance) is REFERENCE.is_valid(instance)


@HYPOTHESIS
@given(near(SCHEMA).map(lambda d: json.dumps(d, default=str)))
def test_agreement_survives_a_round_trip_through_yaml_text(text):
    # Files reach the validator through orchlint's YAML loader; JSON text is YAML too.
    try:
        data = yamlsource.load(text, dates_as_strings=True).data
    except yamlsource.LoadError:
        return
    assert generated.is_valid(data) is REFERENCE.is_valid(data)


# -- every supported keyword, on small schemas, against jsonschema ---------------------------

KEYWORD_SCHEMAS = [
    {"type": "integer"},
    {"type": "number", "minimum": 0, "maximum": 10},
    {"exclusiveMinimum": 0, "exclusiveMaximum": 1},
    {"type": ["string", "null"], "minLength": 2, "maxLength": 3},
    {"pattern": "^a+$"},
    {"format": "date"},
    {"const": [1, {"a": True}]},
    {"const": None},
    {"enum": [1, "1", True, None, [1]]},
    {"type": "array", "uniqueItems": True},
    {"uniqueItems": True, "minItems": 1, "maxItems": 3, "items": {"type": "integer"}},
    {"required": ["a"], "properties": {"a": {"type": "boolean"}, "b": False}, "additionalProperties": {"enum": ["x"]}},
    {"propertyNames": {"pattern": "^[a-b]$"}, "additionalProperties": True},
    {"properties": {"a": True}, "additionalProperties": False},
    {"type": "object", "propertyNames": {"maxLength": 1}},
    {"$defs": {"leaf": {"type": "integer"}, "tree": {"anyOf": [{"$ref": "#/$defs/leaf"}, {"type": "array", "items": {"$ref": "#/$defs/tree"}}]}}, "$ref": "#/$defs/tree"},
    {"oneOf": [{"type": "integer"}, {"minimum": 2}, {"type": "string", "minLength": 1}]},
    {"allOf": [{"type": "object"}, {"required": ["a"]}], "not": {"required": ["b"]}},
    True,
    False,
    {},
]


@pytest.mark.parametrize("schema", KEYWORD_SCHEMAS, ids=lambda s: json.dumps(s)[:60])
def test_each_keyword_agrees_with_jsonschema(schema):
    namespace: dict[str, Any] = {}
    exec(schemagen.generate(schema, name="t", schema_fingerprint=(0, 0)), namespace)
    is_valid = namespace["is_valid"]
    reference = Draft202012Validator(schema, format_checker=FormatChecker())

    @settings(max_examples=150, deadline=None)
    @given(anything(["a", "b", "c", "ab"]))
    def agree(instance):
        assert is_valid(instance) is reference.is_valid(instance)

    agree()


def _keywords(schema: Any) -> set[str]:
    if isinstance(schema, list):
        return set().union(*map(_keywords, schema)) if schema else set()
    if not isinstance(schema, dict):
        return set()
    found = set(schema)
    for key, value in schema.items():
        if key in ("properties", "$defs"):
            found |= set().union(*map(_keywords, value.values())) if value else set()
        elif key not in ("enum", "const", "required"):
            found |= _keywords(value)
    return found


def test_keyword_list_covers_every_keyword_the_generator_accepts():
    used = _keywords(KEYWORD_SCHEMAS)
    assert (set(schemagen.KEYWORD_TYPES) | schemagen.UNTYPED) - used == set()


def test_the_generated_module_has_no_trace_of_jsonschema():
    text = schemagen.module_path("requirements").read_text("utf-8")
    assert not re.search(r"^\s*(import|from)\s+jsonschema", text, re.M)


# -- the other shipped schemas: configuration, rule files, fact files, baselines -----------

OTHER_SCHEMAS = ("config", "rule", "facts", "baseline")


def _reference(name: str) -> Any:
    return validation._validator(name)  # jsonschema, as orchlint configures it


def _generated_for(name: str) -> Any:
    validation._generated.cache_clear()
    fast = validation._generated(name)
    assert fast is not None, f"no up-to-date generated validator for {name}"
    return fast


SHIPPED = (
    [("rule", p) for p in sorted((ROOT / "rules").glob("*.yaml"))]
    + [("rule", p) for p in sorted((ROOT / "plugins").glob("*/rules/*.yaml"))]
    + [("facts", p) for p in sorted((ROOT / "src" / "orchlint" / "knowledge").glob("[!_]*.yaml"))]
)


@pytest.mark.parametrize(("name", "path"), SHIPPED, ids=lambda x: x.name if isinstance(x, Path) else x)
def test_shipped_files_agree(name: str, path: Path):
    data = yamlsource.load(path.read_bytes(), dates_as_strings=True).data
    assert _generated_for(name)(data) is True
    assert _reference(name).is_valid(data)


@pytest.mark.parametrize("name", OTHER_SCHEMAS)
def test_generated_validators_agree_with_jsonschema_on_the_other_schemas(name: str):
    schema = validation.load_schema(name)
    fast, reference = _generated_for(name), _reference(name)
    seen = [0, 0]

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(near(schema))
    def agree(instance):
        expected = reference.is_valid(instance)
        seen[expected] += 1
        assert fast(instance) is expected

    agree()
    assert seen[0] and seen[1], f"{name}: only {'valid' if seen[1] else 'invalid'} documents were drawn"
