"""A declarative rule's conditions are checked against JSON Schema's meta-schema, and a keyword it
does not have is an error with its line, column and a did-you-mean (issue 18, item 7): a
validator ignores unknown keywords, so ``cnst: true`` would hold for anything."""

from __future__ import annotations

import pytest

from orchlint.declarative import conditions
from orchlint.declarative.rulefile import RuleFileError
from orchlint.testing import load_rule

OSI = """\
id: acme.osi-licence
title: "ACME policy: only platforms under an OSI-approved licence"
rationale: OSP-2 allows only OSI-approved licences.
sources: [https://opensource.org/licenses]
fact: license
what: an OSI-approved licence
outcomes:
  - outcome: met
    fact: {properties: {osi_approved: {const: true}}, required: [osi_approved]}
  - outcome: unmet
examples:
  - {expect: pass, requirements: {}, facts: {license: {spdx: MIT, osi_approved: true}}}
  - {expect: fail, requirements: {}, facts: {license: {spdx: BUSL-1.1, osi_approved: false}}}
"""


def _errors(tmp_path, text: str) -> list[str]:
    path = tmp_path / "osi.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rule(path)
    return [line.split("osi.yaml:", 1)[1] for line in str(info.value).splitlines()]


def test_a_misspelt_keyword_is_an_error_at_its_key_with_a_suggestion(tmp_path):
    errors = _errors(tmp_path, OSI.replace("{const: true}", "{cnst: true}"))
    assert errors == [
        "9:40: outcomes[0].fact.properties.osi_approved.cnst: unknown keyword 'cnst' (did you mean 'const'?); "
        "a condition is a JSON Schema (draft 2020-12)"
    ]


def test_every_problem_of_every_condition_is_reported_in_one_run(tmp_path):
    text = OSI.replace("fact: license\n", "fact: license\nwhen: {tpye: object}\n").replace(
        "  - outcome: unmet\n", "  - outcome: unmet\n    fact:\n      anyOf:\n        - {minimum: ten}\n        - {maxLenght: 3}\n"
    )
    assert _errors(tmp_path, text) == [
        "6:8: when.tpye: unknown keyword 'tpye' (did you mean 'type'?); a condition is a JSON Schema (draft 2020-12)",
        "14:21: outcomes[1].fact.anyOf[0].minimum: not a valid JSON Schema condition: 'ten' is not of type 'number'",
        "15:12: outcomes[1].fact.anyOf[1].maxLenght: unknown keyword 'maxLenght' (did you mean 'maxLength'?); a condition is a JSON Schema (draft 2020-12)",
    ]


@pytest.mark.parametrize(
    "schema",
    [
        {"properties": {"cnst": {"type": "string"}}},  # a property name, not a keyword
        {"const": {"cnst": 1}, "enum": [{"tpye": 2}], "default": {"x": 1}, "examples": [{"y": 2}]},  # values
        {"minimum": {"$requirement": "nodes"}},  # a reference, checked where it is used
        {"$value": None},
        {"allOf": [{"not": {"items": {"type": "string"}}}], "$defs": {"a": {"type": "integer"}}, "$comment": "fine"},
        True,
    ],
)
def test_valid_conditions_have_no_problem(schema):
    assert conditions.schema_problems(schema) == []


def test_nested_keywords_are_checked_wherever_a_schema_may_stand():
    problems = conditions.schema_problems(
        {"not": {"itms": {}}, "prefixItems": [{"minimun": 1}], "patternProperties": {"^a": {"requird": []}}, "if": {"then": {"els": 1}}}
    )
    assert [(path, message.split(";")[0]) for path, message in problems] == [
        (("if", "then", "els"), "unknown keyword 'els' (did you mean 'else'?)"),
        (("not", "itms"), "unknown keyword 'itms' (did you mean 'items'?)"),
        (("patternProperties", "^a", "requird"), "unknown keyword 'requird' (did you mean 'required'?)"),
        (("prefixItems", 0, "minimun"), "unknown keyword 'minimun' (did you mean 'minimum'?)"),
    ]
    assert conditions.schema_problems({"$ref": "#/x"}) == [((), "$ref is not allowed in a condition; conditions are self-contained")]
