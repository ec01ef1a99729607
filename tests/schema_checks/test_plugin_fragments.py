"""Plugin namespaces keep validation exact: the fast path (the generated validator on the built-in
part, each fragment on its namespace) accepts exactly what jsonschema accepts on the combined
schema, and the combined schema is itself a valid schema."""

from __future__ import annotations

from hypothesis import example, given
from jsonschema import Draft202012Validator

from orchlint.schemas import validation
from tests.schema_checks.test_schemagen import HYPOTHESIS, near

NAMESPACES = {
    "acme": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "tier": {"type": "integer", "minimum": 1, "maximum": 3},
            "data_residency": {"enum": ["eu", "us", "any"]},
        },
    },
    "globex": {"type": "object", "required": ["owner"], "additionalProperties": False, "properties": {"owner": {"type": "string", "minLength": 1}}},
}
COMBINED = validation.combined_requirements_schema(NAMESPACES)
CHECKER = validation.RequirementsValidator(NAMESPACES)
REFERENCE = validation._strict_validator(COMBINED)


def test_the_combined_schema_is_a_valid_schema_and_the_shipped_one_is_untouched():
    Draft202012Validator.check_schema(COMBINED)
    assert set(COMBINED["properties"]["requirements"]["properties"]) == {*validation.load_schema("requirements")["properties"]["requirements"]["properties"], "acme", "globex"}
    assert "acme" not in validation.load_schema("requirements")["properties"]["requirements"]["properties"]


@HYPOTHESIS
@given(near(COMBINED))
@example({"orchlint": 1, "name": "x", "requirements": {"acme": {"tier": 1}}})
@example({"orchlint": 1, "name": "x", "requirements": {"acme": {"tier": 1.0}}})
@example({"orchlint": 1, "name": "x", "requirements": {"acme": {"tier": True}}})
@example({"orchlint": 1, "name": "x", "requirements": {"acme": None}})
@example({"orchlint": 1, "name": "x", "requirements": {"globex": {}}})
@example({"orchlint": 1, "name": "x", "requirements": {"acme": {}, "nodez": 1}})
@example({"orchlint": 1, "name": "x", "priorities": {"acme": "should"}})
@example({"orchlint": 1, "name": "x", "priorities": {"acme": "maybe"}})
@example({"orchlint": 1, "name": "x", "priorities": {"acme": True}})
@example({"orchlint": 1, "name": "x", "priorities": {"acme.tier": "should"}})
@example({"orchlint": 1.0, "name": "x", "requirements": {"acme": {"tier": 2}}})
def test_the_fast_path_agrees_with_jsonschema_on_the_combined_schema(instance):
    assert CHECKER._valid(instance) is REFERENCE.is_valid(instance)


def test_without_namespaces_validation_is_the_shipped_schemas():
    checker = validation.RequirementsValidator({})
    from orchlint.support import yamlsource

    doc = yamlsource.load("orchlint: 1\nname: x\nrequirements:\n  acme: {}\n", dates_as_strings=True)
    assert [e.path for e in checker.validate(doc)] == [e.path for e in validation.validate(doc, "requirements")] == ["requirements.acme"]
    assert checker.schema() == validation.load_schema("requirements")
