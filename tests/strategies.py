"""Hypothesis strategies for requirement documents, derived from the shipped JSON Schema,
and the checks every input must pass through the whole pipeline.

hypothesis-jsonschema would derive the valid documents for us, but its current release does not
work with current Hypothesis; the schema uses a small subset of JSON Schema, covered here.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
from collections.abc import Mapping
from typing import Any

import yaml
from hypothesis import strategies as st

from orchlint.formatters.base import RunInfo
from orchlint.lint.linter import Linter, RunOptions
from orchlint.lint.report import FileReport, RunSummary
from orchlint.schemas.validation import load_schema

TODAY = _dt.date(2026, 11, 23)
# YAML 1.1 (PyYAML) refuses control characters even inside JSON strings, where JSON allows DEL:
# a valid document is written in characters YAML can carry. Junk values use any character.
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Cn"))
SCHEMA = load_schema("requirements")


def from_schema(schema: Mapping[str, Any], overrides: Mapping[str, st.SearchStrategy] | None = None) -> st.SearchStrategy:
    """Values valid against ``schema`` (the subset the requirements schema uses).

    ``overrides`` replaces the strategy of properties by name, at any depth (``target`` and a
    waiver's ``platform``, whose pattern admits ids that are not registered platforms).
    """
    overrides = overrides or {}
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        if "propertyNames" in schema:  # priorities: known names -> enum
            return st.dictionaries(from_schema(schema["propertyNames"]), from_schema(schema["additionalProperties"]), max_size=6)
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        strategy = {name: overrides[name] if name in overrides else from_schema(sub, overrides) for name, sub in properties.items()}
        return st.fixed_dictionaries(
            {k: v for k, v in strategy.items() if k in required},
            optional={k: v for k, v in strategy.items() if k not in required},
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates(_dt.date(1990, 1, 1), _dt.date(2040, 12, 31)).map(_dt.date.isoformat)
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(lambda s: len(s) <= 40)
        return st.text(PRINTABLE, min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 40), 40))
    if kind == "array":
        items = from_schema(schema["items"], overrides)
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=6, unique=bool(schema.get("uniqueItems")))
    raise NotImplementedError(f"schema construct not covered: {sorted(schema)}")


def valid_documents(platforms: list[str]) -> st.SearchStrategy:
    ids = st.sampled_from(sorted(platforms))
    keys = sorted(SCHEMA["properties"]["requirements"]["properties"])
    requirement = st.sampled_from(keys) | st.sampled_from(keys).map("requirements.{}".format)
    return from_schema(SCHEMA, {"target": ids, "platform": ids, "requirement": requirement})


JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.dates().map(_dt.date.isoformat),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)


@st.composite
def invalid_documents(draw: Any, platforms: list[str]) -> Any:
    """A valid document with one to three mutations: a value replaced by junk, a key added or removed."""
    doc = draw(valid_documents(platforms))
    for _ in range(draw(st.integers(1, 3))):
        containers = list(_containers(doc))
        container = draw(st.sampled_from(containers))
        action = draw(st.sampled_from(["replace", "add", "remove"]))
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        if action == "add" or not keys:
            if isinstance(container, dict):
                container[draw(st.text(max_size=12) | st.sampled_from(_ALL_KEYS))] = draw(JUNK)
            else:
                container.append(draw(JUNK))
        elif action == "replace":
            container[draw(st.sampled_from(keys))] = draw(JUNK)
        else:
            del container[draw(st.sampled_from(keys))]
    if not isinstance(doc, dict) or draw(st.integers(0, 20)) == 0:
        return draw(JUNK)  # now and then, not even a mapping
    return doc


def _containers(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        yield value
        for child in value.values() if isinstance(value, dict) else value:
            yield from _containers(child)


def _keys(schema: Mapping[str, Any]) -> list[str]:
    out = list(schema.get("properties", {}))
    for sub in schema.get("properties", {}).values():
        out += _keys(sub)
    return out


_ALL_KEYS = sorted(set(_keys(SCHEMA)))


@st.composite
def serialised(draw: Any, documents: st.SearchStrategy) -> bytes:
    """A document written as block YAML, flow YAML or JSON (which YAML also reads)."""
    doc = draw(documents)
    style = draw(st.sampled_from(["block", "flow", "json"]))
    if style == "json":
        text = json.dumps(doc, ensure_ascii=False)
        if draw(st.booleans()) and all(ord(c) <= 0xFFFF for c in text):
            text = json.dumps(doc)  # \uXXXX escapes; beyond U+FFFF they would be surrogate pairs, which YAML refuses
        return text.encode("utf-8")
    text = yaml.safe_dump(doc, default_flow_style=style == "flow", allow_unicode=draw(st.booleans()), sort_keys=draw(st.booleans()))
    return text.encode("utf-8")


YAML_TOKENS = [
    "orchlint: 1\n", "name: x\n", "requirements:\n", "  nodes: ", "  workloads: ", "priorities:\n", "target: ",
    "decided: ", "- ", ": ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!!int ", "!tag ", "<<: ",
    "'", '"', "\\", "#", "\n", "\t", "  ", "---\n", "...\n", "|\n", ">\n", "%YAML 1.1\n", ".nan", ".inf", "~",
    "true", "yes", "0x1f", "1e9", "1:2:3", "2021-02-30", "\ufeff", "\x00", "\x1b[31m", "\u202e", "é", "名",
]


def hostile_bytes() -> st.SearchStrategy:
    """Raw input for the fuzz target: random bytes, random text, YAML token soup, and valid
    files with a few bytes changed."""
    soup = st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=4), max_size=60).map("".join)
    base = "orchlint: 1\nname: svc\nrequirements:\n  nodes: 10\n  workloads: [containers, batch]\n  storage:\n    types: [nfs]\n"

    @st.composite
    def mutated(draw: Any) -> bytes:
        data = bytearray(base.encode())
        for _ in range(draw(st.integers(1, 6))):
            at = draw(st.integers(0, len(data)))
            chunk = draw(st.binary(max_size=4))
            if draw(st.booleans()) and at < len(data):
                data[at : at + max(len(chunk), 1)] = chunk
            else:
                data[at:at] = chunk
        return bytes(data)

    return st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
        soup.map(lambda s: s.encode("utf-8", "surrogatepass")),
        mutated(),
    )


def linter(registry: Any) -> Linter:
    return Linter(registry, RunOptions(as_of=TODAY))


def check_pipeline(lint: Linter, data: bytes) -> FileReport:
    """The contract for any input: a clean positioned error, or findings; every registered
    format renders it, and JSON output parses."""
    report = lint.lint_bytes("input.yaml", data)
    if report.errors:
        assert report.evaluation is None
        for error in report.errors:
            assert error.message and "Traceback" not in error.message
            assert isinstance(error.line, int) and error.line >= 1, error
            assert isinstance(error.column, int) and error.column >= 1, error
    else:
        assert report.evaluation is not None
        assert report.evaluation.plugin_errors == []
        assert sorted(r.platform.id for r in report.results) == sorted(lint.platforms)
        for result in report.results:
            for finding in result.findings:
                assert finding.line >= 1 and finding.column >= 1
    rendered = render_all(lint, report)
    json.loads(rendered["json"])
    return report


def render_all(lint: Linter, report: FileReport) -> dict[str, str]:
    summary = RunSummary()
    summary.add(report, lint.options.threshold)
    info = RunInfo(
        as_of=lint.options.as_of,
        fail_on=lint.options.fail_on,
        version="test",
        platforms=tuple(lint.registry.platforms[p] for p in lint.platforms),
        rules=tuple(lint.engine.rules),
    )
    out = {}
    for name, cls in sorted(lint.registry.formatters.items()):
        stream = io.StringIO()
        formatter = cls(stream, color=False, verbose=True)
        formatter.start(info)
        formatter.write(report)
        formatter.finish(summary)
        out[name] = stream.getvalue()
    return out
