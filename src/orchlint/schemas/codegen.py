"""Generate a plain-Python validator from a shipped JSON Schema, so a valid file is accepted
without importing jsonschema (about 100 ms at start-up, and 0.2 ms per file).

The JSON Schema stays the single source of truth: the generated module records the fingerprint
of the schema it came from, validation.py uses it only while that still matches the shipped file,
and a test fails when the committed module is out of date. The generated function answers only
"valid or not"; jsonschema is still what explains a file that is not valid.

It supports the keywords orchlint's schemas use, with jsonschema's own semantics (its type
checks, its ``equal`` and ``uniq``, its ``date`` format). Any other keyword is refused, so a
schema change can never be silently ignored.

    python -m orchlint.generate            # rewrite the generated modules
    python -m orchlint.generate --check    # exit 1 if one is out of date
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from orchlint.support.fingerprint import fingerprint
from orchlint.schemas.catalog import GENERATED, schema_path  # GENERATED: schema name -> module written

if TYPE_CHECKING:
    from pathlib import Path  # for annotations only: pathlib is imported where a Path is made

ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "examples", "default", "deprecated"})
TYPE_TESTS = {
    "object": "isinstance(x, dict)",
    "array": "isinstance(x, list)",
    "string": "isinstance(x, str)",
    "boolean": "isinstance(x, bool)",
    "null": "x is None",
    "integer": "_is_integer(x)",
    "number": "_is_number(x)",
}
# The instance type a keyword applies to; on any other type jsonschema ignores it.
KEYWORD_TYPES = {
    "properties": "object",
    "required": "object",
    "additionalProperties": "object",
    "propertyNames": "object",
    "items": "array",
    "minItems": "array",
    "maxItems": "array",
    "uniqueItems": "array",
    "minLength": "string",
    "maxLength": "string",
    "pattern": "string",
    "minimum": "number",
    "maximum": "number",
    "exclusiveMinimum": "number",
    "exclusiveMaximum": "number",
}
UNTYPED = frozenset({"type", "enum", "const", "format", "$ref", "$defs", "oneOf", "anyOf", "allOf", "not"})
FORMATS = {"date": "_is_date"}


class SchemaGenError(Exception):
    """The schema uses something the generator does not support."""




class _Generator:
    """Turns a schema into Python source: one function per subschema.

    ``inline`` (for a module written to disk) puts the schema's values in the source as
    literals; otherwise they are passed in a list ``_K``, so no text from the schema is ever
    part of the code (conditions in rule files are compiled this way at run time).
    ``formats`` checks ``format`` as jsonschema does with a FormatChecker; without it
    ``format`` is an annotation, as with a plain validator.
    """

    def __init__(self, root: Any, *, inline: bool = True, formats: bool = True, strict_integer: bool = False) -> None:
        self.root = root
        self.types = dict(TYPE_TESTS, integer="_is_strict_integer(x)") if strict_integer else TYPE_TESTS
        self.inline = inline
        self.formats = formats
        self.functions: list[str] = []
        self.constants: list[str] = []
        self.objects: list[Any] = []
        self.refs: dict[str, str] = {}  # "#/$defs/x" -> its function, compiled once
        self.count = 0

    def value(self, obj: Any) -> str:
        """A source expression for a value taken from the schema."""
        if not self.inline:
            self.objects.append(obj)
            return f"_K[{len(self.objects) - 1}]"
        text = repr(obj)
        if not _literal(obj):
            raise SchemaGenError(f"{text[:40]} cannot be written as a literal")
        return text

    def constant(self, prefix: str, expr: str) -> str:
        name = f"_{prefix}{len(self.constants)}"
        self.constants.append(f"{name} = {expr}")
        return name

    def compile(self, schema: Any, where: str, name: str | None = None) -> str:
        """The name of a function ``f(x) -> bool`` for ``schema``."""
        if name is None:
            name = self._name()
        body: list[str] = []
        if schema is True or schema == {}:
            body.append("return True")
        elif schema is False:
            body.append("return False")
        elif isinstance(schema, dict):
            body += self._body(schema, where)
            body.append("return True")
        else:
            raise SchemaGenError(f"{where}: a schema must be an object or a boolean")
        comment = f"  # {where.encode('unicode_escape').decode('ascii')}" if self.inline else ""
        self.functions.append(f"def {name}(x):{comment}\n" + "".join(f"    {line}\n" for line in body))
        return name

    def _name(self) -> str:
        self.count += 1
        return f"_v{self.count - 1}"

    def ref(self, pointer: str, where: str) -> str:
        """The function for a local reference such as ``#/$defs/date`` (recursion allowed)."""
        if pointer in self.refs:
            return self.refs[pointer]
        if not pointer.startswith("#"):
            raise SchemaGenError(f"{where}: only local references are supported, not {pointer!r}")
        target = self.root
        for part in filter(None, pointer[1:].split("/")):
            part = part.replace("~1", "/").replace("~0", "~")
            try:
                target = target[int(part)] if isinstance(target, list) else target[part]
            except (KeyError, IndexError, ValueError, TypeError):
                raise SchemaGenError(f"{where}: reference {pointer!r} points nowhere") from None
        name = self.refs[pointer] = self._name()
        self.compile(target, pointer, name)
        return name

    def _body(self, schema: dict[str, Any], where: str) -> list[str]:
        for keyword in schema:
            if keyword.startswith("x-"):
                continue  # an extension annotation (orchlint's own x-expected), ignored by validation
            if keyword not in ANNOTATIONS and keyword not in KEYWORD_TYPES and keyword not in UNTYPED:
                raise SchemaGenError(f"{where}: keyword {keyword!r} is not supported by orchlint.schemas.codegen")
        out: list[str] = []
        known: str | None = None
        if "type" in schema:
            types = [schema["type"]] if isinstance(schema["type"], str) else list(schema["type"])
            unknown = [t for t in types if t not in TYPE_TESTS]
            if unknown or not types:
                raise SchemaGenError(f"{where}: unsupported type {schema['type']!r}")
            out.append(f"if not ({' or '.join(self.types[t] for t in types)}):")
            out.append("    return False")
            known = types[0] if len(types) == 1 else None
        if "const" in schema:
            out += [f"if not _equal(x, {self.constant('C', self.value(schema['const']))}):", "    return False"]
        if "enum" in schema:
            values = schema["enum"]
            if not isinstance(values, list):
                raise SchemaGenError(f"{where}: enum must be a list")
            if all(isinstance(v, str) for v in values):
                name = self.constant("E", f"frozenset({self.value(sorted(values))})")
                out += [f"if not (isinstance(x, str) and x in {name}):", "    return False"]
            else:
                name = self.constant("E", f"tuple({self.value(values)})")
                out += [f"if not any(_equal(e, x) for e in {name}):", "    return False"]
        if "format" in schema and self.formats:
            check = FORMATS.get(schema["format"])
            if check is None:
                raise SchemaGenError(f"{where}: format {schema['format']!r} is not supported")
            out += [f"if not {check}(x):", "    return False"]
        if "$ref" in schema:
            out += [f"if not {self.ref(schema['$ref'], where)}(x):", "    return False"]
        for keyword, test in (("allOf", "all"), ("anyOf", "any"), ("oneOf", "one")):
            if keyword in schema:
                names = [self.compile(sub, f"{where}/{keyword}[{i}]") for i, sub in enumerate(schema[keyword])]
                group = "(" + "".join(f"{n}, " for n in names) + ")"
                if test == "one":
                    out += [f"if sum(1 for f in {group} if f(x)) != 1:", "    return False"]
                else:
                    out += [f"if not {test}(f(x) for f in {group}):", "    return False"]
        if "not" in schema:
            out += [f"if {self.compile(schema['not'], f'{where}/not')}(x):", "    return False"]
        for kind in ("object", "array", "string", "number"):
            lines = getattr(self, f"_{kind}")(schema, where)
            if not lines:
                continue
            applies = _implied(known, kind)
            if applies is False:
                continue  # the type check above already rules this kind out
            if applies is True:
                out += lines
            else:
                out.append(f"if {self.types[kind]}:")
                out += ["    " + line for line in lines]
        return out

    def _object(self, schema: dict[str, Any], where: str) -> list[str]:
        out: list[str] = []
        required = schema.get("required", [])
        if required:
            test = " and ".join(f"{self.value(key)} in x" for key in required)
            out += [f"if not ({test}):", "    return False"]
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        names = schema.get("propertyNames", True)
        if not properties and extra is True and names is True:
            return out
        table = {key: self.compile(sub, f"{where}.{key}") for key, sub in properties.items()}
        table_name = self.constant("P", "{" + ", ".join(f"{self.value(k)}: {v}" for k, v in table.items()) + "}")
        names_check = None if names is True or names == {} else self.compile(names, f"{where}(property names)")
        extra_check = None if extra is True or extra is False or extra == {} else self.compile(extra, f"{where}.*")
        out.append("for k, v in x.items():")
        if names_check:
            out += [f"    if not {names_check}(k):", "        return False"]
        out.append(f"    f = {table_name}.get(k)")
        out += ["    if f is not None:", "        if not f(v):", "            return False"]
        if extra is False:
            out += ["    else:", "        return False"]
        elif extra_check:
            out += [f"    elif not {extra_check}(v):", "        return False"]
        return out

    def _array(self, schema: dict[str, Any], where: str) -> list[str]:
        out: list[str] = []
        if "minItems" in schema:
            out += [f"if len(x) < {self.value(schema['minItems'])}:", "    return False"]
        if "maxItems" in schema:
            out += [f"if len(x) > {self.value(schema['maxItems'])}:", "    return False"]
        if schema.get("uniqueItems") is True:
            out += ["if not _uniq(x):", "    return False"]
        if "items" in schema and schema["items"] is not True:
            check = self.compile(schema["items"], f"{where}[]")
            out += ["for v in x:", f"    if not {check}(v):", "        return False"]
        return out

    def _string(self, schema: dict[str, Any], where: str) -> list[str]:
        out: list[str] = []
        if "minLength" in schema:
            out += [f"if len(x) < {self.value(schema['minLength'])}:", "    return False"]
        if "maxLength" in schema:
            out += [f"if len(x) > {self.value(schema['maxLength'])}:", "    return False"]
        if "pattern" in schema:
            name = self.constant("R", f"_re.compile({self.value(schema['pattern'])})")
            out += [f"if {name}.search(x) is None:", "    return False"]
        return out

    def _number(self, schema: dict[str, Any], where: str) -> list[str]:
        out: list[str] = []
        for keyword, op in (("minimum", "<"), ("maximum", ">"), ("exclusiveMinimum", "<="), ("exclusiveMaximum", ">=")):
            if keyword in schema:
                out += [f"if x {op} {self.value(schema[keyword])}:", "    return False"]
        return out


def _literal(obj: Any) -> bool:
    """Whether repr(obj) reads back as an equal object of the same types."""
    if obj is None or type(obj) in (bool, int, str):
        return True
    if type(obj) is float:
        return obj == obj and obj not in (float("inf"), float("-inf"))
    if type(obj) in (list, tuple):
        return all(_literal(v) for v in obj)
    if type(obj) is dict:
        return all(_literal(k) and _literal(v) for k, v in obj.items())
    return False


_BASE: dict[str, Any] = {}


def compile_validator(schema: Any, *, formats: bool = False) -> Any:
    """``is_valid(instance) -> bool`` for ``schema``, built in memory (no text from the schema
    becomes code). Raises SchemaGenError for what the generator does not support."""
    if not _BASE:
        from orchlint.schemas import _validator_runtime as runtime

        _BASE.update({name: getattr(runtime, name) for name in runtime.HELPERS})
    gen = _Generator(schema, inline=False, formats=formats)
    root = gen.compile(schema, "(root)")
    namespace = dict(_BASE, _K=gen.objects)
    source = "\n\n".join(gen.functions) + "\n\n" + "\n".join(gen.constants) + "\n"
    try:
        exec(compile(source, "<orchlint.schemas.codegen>", "exec"), namespace)  # noqa: S102 - structure only; values are in _K
    except re.error as exc:
        raise SchemaGenError(f"invalid pattern: {exc}") from None
    return namespace[root]


def _implied(known: str | None, kind: str) -> bool | None:
    """Whether an instance already known to be of type ``known`` is of ``kind`` (None: unknown)."""
    if known is None:
        return None
    return known == kind or (kind == "number" and known == "integer")


def generate(schema: dict[str, Any] | bool, *, name: str, schema_fingerprint: tuple[int, int], strict_integer: bool = False) -> str:
    """The source of a module with ``is_valid(instance) -> bool`` and ``SCHEMA_FINGERPRINT``.

    ``strict_integer``: 5.0 is not an integer, as orchlint's own jsonschema validator has it
    (orchlint.schemas.validation); otherwise JSON Schema's rule, where it is."""
    gen = _Generator(schema, strict_integer=strict_integer)
    root = gen.compile(schema, "(root)")
    head = (
        f'"""Generated by ``python -m orchlint.generate`` from {name}.schema.json: do not edit.\n\n'
        "``is_valid`` accepts exactly what jsonschema accepts (tests/schema_checks/test_schemagen.py checks it),\n"
        'so a valid file needs no jsonschema; an invalid one is explained by jsonschema.\n"""\n'
        "# fmt: off\n# ruff: noqa\n"
        f"from orchlint.schemas._validator_runtime import {', '.join(_helpers())}\n\n"
        f"SCHEMA_FINGERPRINT = {tuple(schema_fingerprint)!r}  # orchlint.support.fingerprint of the schema file\n"
    )
    parts = [head, *("\n\n" + f for f in gen.functions)]
    tail = "\n\n" + "\n".join(gen.constants) + f"\n\nis_valid = {root}\n"
    return "".join(parts) + tail


def _helpers() -> tuple[str, ...]:
    from orchlint.schemas import _validator_runtime

    return _validator_runtime.HELPERS


def source_for(name: str) -> str:
    """The generated module's source for shipped schema ``name``, as it should be today."""
    with open(schema_path(name), "rb") as handle:
        raw = handle.read()
    return generate(json.loads(raw), name=name, schema_fingerprint=fingerprint(raw), strict_integer=True)


def module_path(name: str) -> Path:
    from pathlib import Path

    return Path(schema_path(name)).parent / f"{GENERATED[name]}.py"
