"""Requirement keys from plugins (issue 19, item 3): ``orchlint_register_requirements``.

A plugin registers a JSON Schema fragment for ``requirements.<namespace>``; the registry checks
the namespace and the fragment, requirements files are validated against it like built-in
keys, rules may name the namespace, and ``orchlint schema`` shows it.
"""

from __future__ import annotations

import json
import math
import textwrap
from types import SimpleNamespace

import pytest

from orchlint.hookspecs import hookimpl
from orchlint.model import Outcome
from orchlint.plugins.registry import build_registry
from orchlint.rulekit import Judgement, Rule
from orchlint.schemas import validation
from orchlint.support import yamlsource
from orchlint.testing import plugin_manager, registry_for
from tests.conftest import write

ACME = {
    "type": "object",
    "properties": {
        "tier": {"type": "integer", "minimum": 1, "maximum": 3},
        "data_residency": {"enum": ["eu", "us", "any"]},
    },
}

PLUGIN = textwrap.dedent(
    """\
    from orchlint.hookspecs import hookimpl
    from orchlint.model import Outcome
    from orchlint.rulekit import Judgement, Rule

    @hookimpl
    def orchlint_register_requirements(register):
        register("acme", {"type": "object", "properties": {
            "tier": {"type": "integer", "minimum": 1, "maximum": 3},
            "data_residency": {"enum": ["eu", "us", "any"]}}})

    def check(acme, ctx):
        if acme.get("tier") != 1:
            return []
        return [Judgement(Outcome.UNMET, "tier 1 is never met here", None, ("tier",))]

    @hookimpl
    def orchlint_register_rules(register):
        register(Rule("acme.tier", "Tier", "For a test", check=check, requirement="acme"))
    """
)


def _plugin(**hooks):
    """A plugin object with the given hook implementations."""
    return SimpleNamespace(**{name: hookimpl(function) for name, function in hooks.items()})


def _registers(*calls):
    def orchlint_register_requirements(register):
        for args in calls:
            register(*args)

    return _plugin(orchlint_register_requirements=orchlint_register_requirements)


def _errors(*plugins):
    registry = build_registry(plugin_manager(*plugins))
    return registry, [e.message for e in registry.errors]


def _registered() -> dict:
    """The namespaces as the registry hands them to the linter (closed to unlisted keys)."""
    return registry_for(_registers(("acme", ACME))).requirement_schemas()


def _validate(text: str, namespaces=None):
    doc = yamlsource.load(text, dates_as_strings=True)
    errors = validation.RequirementsValidator(_registered() if namespaces is None else namespaces).validate(doc)
    return [f"{e.line}:{e.column} {e.message}" for e in errors]


HEAD = "orchlint: 1\nname: svc\n"


# -- the registry -------------------------------------------------------------------------------


def test_a_namespace_is_registered_closed_to_unlisted_keys_and_credited_to_its_plugin():
    registry = registry_for(_registers(("acme", ACME)))
    namespace = registry.requirements["acme"]
    assert namespace.schema["properties"] == ACME["properties"]
    assert namespace.schema["additionalProperties"] is False
    assert registry.requirement_schemas() == {"acme": namespace.schema}
    assert registry.contributions[namespace.plugin]["requirements"] == ["acme"]


def test_a_fragment_that_says_additional_properties_keeps_it():
    registry = registry_for(_registers(("acme", {**ACME, "additionalProperties": {"type": "string"}})))
    assert registry.requirements["acme"].schema["additionalProperties"] == {"type": "string"}


def test_the_registry_keeps_a_copy_the_plugin_cannot_change_later():
    schema = json.loads(json.dumps(ACME))
    schema["properties"]["tier"]["enum"] = (1, 2)  # a tuple: plain JSON as a list
    registry = registry_for(_registers(("acme", schema)))
    schema["properties"]["tier"]["maximum"] = 99
    kept = registry.requirements["acme"].schema["properties"]["tier"]
    assert kept["maximum"] == 3 and kept["enum"] == [1, 2]


@pytest.mark.parametrize(
    "namespace, problem",
    [
        ("Acme", "is not a lowercase identifier"),
        ("acme-policy", "is not a lowercase identifier"),
        ("acme.tier", "is not a lowercase identifier"),
        ("1acme", "is not a lowercase identifier"),
        ("", "is not a lowercase identifier"),
        ("a" * 41, "is not a lowercase identifier"),
        (7, "requirement namespace is int, not str"),
        ("nodes", "requirement namespace 'nodes' is a built-in requirement key"),
        ("vendor_support", "is a built-in requirement key"),
    ],
)
def test_a_bad_namespace_is_a_plugin_error(namespace, problem):
    registry, errors = _errors(_registers((namespace, ACME)))
    assert len(errors) == 1 and problem in errors[0], errors
    assert registry.requirements == {}


def test_a_namespace_registered_twice_is_an_error_naming_the_first_plugin():
    first, second = _registers(("acme", ACME)), _registers(("acme", ACME))
    registry, errors = _errors(first, second)
    assert errors == ["duplicate requirement namespace 'acme' (already registered by test-plugin-0)"]
    assert registry.errors[0].plugin == "test-plugin-1" and registry.requirements["acme"].plugin == "test-plugin-0"


@pytest.mark.parametrize(
    "schema, problem",
    [
        ({"type": "object", "properties": {"tier": {"type": "integr"}}}, "schema['properties']['tier']['type'] is not a valid JSON Schema"),
        ({"type": "object", "properties": {"tier": {"minimum": "one"}}}, "is not a valid JSON Schema: 'one' is not of type 'number'"),
        ({"type": "object", "required": "tier"}, "is not a valid JSON Schema"),
        ({"type": "string"}, 'schema must have "type": "object"'),
        ({"properties": {"tier": {}}}, 'schema must have "type": "object"'),
        ([], "not a JSON Schema mapping"),
        ("acme", "not a JSON Schema mapping"),
        ({"type": "object", "properties": {"tier": {"$ref": "#/$defs/tier"}}, "$defs": {"tier": {}}}, "schema uses $ref: a fragment must be self-contained"),
        ({"type": "object", "$ref": "https://example.invalid/schema.json"}, "schema uses $ref"),
        ({"type": "object", "$id": "https://example.invalid/acme"}, "schema uses $id"),
        ({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}, "is not draft 2020-12"),
        ({"type": "object", "properties": {"tier": {"enum": {1, 2}}}}, "schema['properties']['tier']['enum'] is set, not JSON data"),
        ({"type": "object", "properties": {1: {}}}, "key 1 is int, not str"),
        ({"type": "object", "properties": {"tier": {"maximum": math.nan}}}, "nan is not a JSON number"),
    ],
)
def test_a_fragment_that_is_not_a_valid_self_contained_schema_is_a_plugin_error(schema, problem):
    registry, errors = _errors(_registers(("acme", schema)))
    assert len(errors) == 1 and errors[0].startswith("requirement namespace 'acme': ") and problem in errors[0], errors
    assert registry.requirements == {}


def test_a_fragment_nested_too_deep_is_refused():
    deep: dict = {"type": "object"}
    for _ in range(40):
        deep = {"type": "object", "properties": {"x": deep}}
    _registry, errors = _errors(_registers(("acme", deep)))
    assert len(errors) == 1 and "nested deeper than 32 levels" in errors[0]


def test_register_called_with_the_wrong_arguments_is_a_plugin_error():
    _registry, errors = _errors(_registers(("acme",)))
    assert len(errors) == 1 and errors[0].startswith("orchlint_register_requirements raised TypeError")


def _rule(requirement):
    def check(value, ctx):
        return [Judgement(Outcome.MET, "fine")]

    def orchlint_register_rules(register):
        register(Rule("acme.test", "Test", "For a test", check=check, requirement=requirement))

    return _plugin(orchlint_register_rules=orchlint_register_rules)


def test_a_rule_may_name_a_registered_namespace():
    registry = registry_for(_registers(("acme", ACME)), _rule("acme"))
    assert registry.rules["acme.test"].requirement == "acme"


@pytest.mark.parametrize(
    "requirement, problem",
    [
        ("zzz", "requirement 'zzz' is neither a requirement key nor a registered requirement namespace; the rule could never apply"),
        ("nodez", "requirement 'nodez' is neither a requirement key nor a registered requirement namespace (did you mean 'nodes'?)"),
        ("storage.types", "requirement 'storage.types' names a key inside 'storage': a rule's requirement is the whole 'storage'"),
    ],
)
def test_a_rule_naming_no_requirement_key_nor_namespace_is_a_plugin_error(requirement, problem):
    registry, errors = _errors(_rule(requirement))
    assert len(errors) == 1 and errors[0].startswith(f"rule acme.test: {problem}"), errors
    assert "acme.test" not in registry.rules


def test_a_rule_naming_a_key_inside_a_namespace_is_told_to_name_the_namespace():
    _registry, errors = _errors(_registers(("acme", ACME)), _rule("acme.tier"))
    assert errors == ["rule acme.test: requirement 'acme.tier' names a key inside 'acme': a rule's requirement is the whole 'acme', whose value it gets"]


def test_a_rule_on_a_namespace_suggests_it_when_misspelt():
    _registry, errors = _errors(_registers(("acme", ACME)), _rule("acmee"))
    assert errors == ["rule acme.test: requirement 'acmee' is neither a requirement key nor a registered requirement namespace (did you mean 'acme'?); the rule could never apply"]


# -- validating requirements files --------------------------------------------------------------


def test_a_valid_namespace_passes_and_priorities_may_name_it():
    text = HEAD + "requirements:\n  nodes: 10\n  acme:\n    tier: 2\n    data_residency: eu\npriorities:\n  acme: should\n  nodes: could\n"
    assert _validate(text) == []


def test_a_wrong_value_inside_a_namespace_has_line_and_column():
    text = HEAD + "requirements:\n  acme:\n    tier: 5\n    data_residency: mars\n"
    assert _validate(text) == [
        "5:11 requirements.acme.tier: 5 is greater than the maximum of 3",
        '6:21 requirements.acme.data_residency: "mars" is not allowed; expected one of: eu, us, any',
    ]


def test_an_unknown_key_inside_a_namespace_has_did_you_mean():
    text = HEAD + "requirements:\n  acme:\n    data_residence: eu\n"
    assert _validate(text) == [
        "5:5 requirements.acme.data_residence: unknown key 'data_residence' (did you mean 'data_residency'?); expected one of: data_residency, tier"
    ]


def test_a_namespace_that_is_not_a_mapping_is_an_error():
    assert _validate(HEAD + "requirements:\n  acme: 1\n") == ["4:9 requirements.acme: expected a mapping, got integer 1"]


def test_an_unknown_namespace_has_did_you_mean_over_built_in_keys_and_namespaces():
    [acmee] = _validate(HEAD + "requirements:\n  acmee:\n    tier: 1\n")
    assert acmee.startswith("4:3 requirements.acmee: unknown key 'acmee' (did you mean 'acme'?); expected one of: acme, autoscaling, ")
    [nodez] = _validate(HEAD + "requirements:\n  nodez: 3\n")
    assert nodez.startswith("4:3 requirements.nodez: unknown key 'nodez' (did you mean 'nodes'?); expected one of: acme, ")


def test_without_the_plugin_its_namespace_is_an_unknown_key():
    [error] = _validate(HEAD + "requirements:\n  acme:\n    tier: 1\n", namespaces={})
    # ('placement' is close enough to 'acme' for a suggestion; the point is the unknown key.)
    assert error.startswith("4:3 requirements.acme: unknown key 'acme'") and "expected one of: autoscaling, " in error


def test_a_priority_names_a_whole_namespace_not_a_key_inside_it():
    text = HEAD + "requirements:\n  acme: {tier: 1}\npriorities:\n  nodes: should\n  acme.tier: should\n  acme: sometimes\n"
    errors = _validate(text)
    assert errors[0].startswith("7:3 priorities: \"acme.tier\" is not allowed (a priority is for a whole requirement: did you mean 'acme'?); expected one of: acme, ")
    assert errors[1] == '8:9 priorities.acme: "sometimes" is not allowed; expected one of: must, should, could'
    assert len(errors) == 2


def test_errors_of_built_in_keys_and_namespaces_come_in_file_order():
    text = HEAD + "requirements:\n  nodes: 0\n  acme:\n    tier: 0\n  production: maybe\n  acmee: {}\n"
    errors = _validate(text)
    assert [e.split(" ")[0] for e in errors] == ["4:10", "6:11", "7:15", "8:3"]
    assert [e.split(" ")[1] for e in errors] == ["requirements.nodes:", "requirements.acme.tier:", "requirements.production:", "requirements.acmee:"]


def test_the_combined_schema_adds_each_fragment_and_its_priority():
    schema = validation.combined_requirements_schema({"acme": ACME})
    assert schema["properties"]["requirements"]["properties"]["acme"] == ACME
    assert "acme" in schema["properties"]["priorities"]["propertyNames"]["enum"]
    assert validation.load_schema("requirements")["properties"]["requirements"]["properties"].get("acme") is None  # not changed in place
    assert validation.combined_requirements_schema({}) == validation.load_schema("requirements")


def test_a_file_that_uses_no_namespace_never_reaches_jsonschema(monkeypatch):
    checker = validation.RequirementsValidator(_registered())

    def refuse(*args, **kwargs):
        raise AssertionError("jsonschema was used for a valid file")

    monkeypatch.setattr(validation, "_explain", refuse)
    doc = yamlsource.load(HEAD + "requirements:\n  nodes: 10\npriorities:\n  nodes: should\n", dates_as_strings=True)
    assert checker.validate(doc) == []
    assert checker._fragments == {} and checker._combined is None  # nothing built for the namespace


def test_a_valid_namespace_is_checked_against_its_fragment_alone(monkeypatch):
    checker = validation.RequirementsValidator(_registered())
    monkeypatch.setattr(validation, "_explain", lambda *a: (_ for _ in ()).throw(AssertionError("combined schema used")))
    doc = yamlsource.load(HEAD + "requirements:\n  nodes: 10\n  acme: {tier: 1}\npriorities:\n  acme: could\n", dates_as_strings=True)
    assert checker.validate(doc) == []
    assert list(checker._fragments) == ["acme"] and checker._combined is None


# -- through the command line -------------------------------------------------------------------


@pytest.fixture
def acme_plugin(tmp_path):
    return write(tmp_path, PLUGIN, "acme_keys.py")


def test_check_reports_namespace_errors_with_line_and_column(cli, tmp_path, acme_plugin):
    path = write(tmp_path, HEAD + "target: kubernetes\nrequirements:\n  acme:\n    tier: 7\n    teir: 1\n")
    result = cli("check", path, "--plugin", acme_plugin)
    assert result.exit_code == 2
    assert f"{path}:6:11 error requirements.acme.tier: 7 is greater than the maximum of 3" in result.output
    assert f"{path}:7:5 error requirements.acme.teir: unknown key 'teir' (did you mean 'tier'?); expected one of: data_residency, tier" in result.output


def test_a_rule_gets_the_namespace_and_its_finding_points_inside_it(cli, tmp_path, acme_plugin):
    text = HEAD + "target: kubernetes\nrequirements:\n  acme:\n    data_residency: any\n    tier: 1\n"
    path = write(tmp_path, text)
    result = cli("check", path, "--plugin", acme_plugin, "--format", "json", "--platform", "kubernetes")
    [finding] = [f for f in json.loads(result.output)["files"][0]["platforms"][0]["findings"] if f["rule"] == "acme.tier"]
    assert (finding["line"], finding["column"], finding["requirement"], finding["severity"]) == (7, 11, "requirements.acme.tier", "fail")
    assert result.exit_code == 1
    should = write(tmp_path, text + "priorities:\n  acme: should\n", "should.yaml")
    result = cli("check", should, "--plugin", acme_plugin, "--format", "json", "--platform", "kubernetes")
    [finding] = [f for f in json.loads(result.output)["files"][0]["platforms"][0]["findings"] if f["rule"] == "acme.tier"]
    assert (finding["severity"], finding["priority"]) == ("warn", "should")


def test_a_waiver_may_name_the_namespace(cli, tmp_path, acme_plugin):
    waiver = "waivers:\n  - rule: acme.tier\n    requirement: acme.tier\n    reason: accepted\n    owner: team\n    expires: 2027-01-01\n"
    path = write(tmp_path, HEAD + "target: kubernetes\nrequirements:\n  acme: {tier: 1}\n" + waiver)
    result = cli("check", path, "--plugin", acme_plugin, "--platform", "kubernetes")
    assert result.exit_code == 0, result.output
    unknown = write(tmp_path, HEAD + "target: kubernetes\nrequirements:\n  acme: {tier: 1}\n" + waiver.replace("acme.tier\n    reason", "acmee\n    reason"), "u.yaml")
    result = cli("check", unknown, "--plugin", acme_plugin, "--platform", "kubernetes")
    assert "waivers[0].requirement: unknown requirement 'acmee' (did you mean 'acme'?)" in result.output
    assert result.exit_code == 2


def test_schema_shows_the_plugins_fragments(cli, acme_plugin):
    result = cli("schema", "--plugin", acme_plugin)
    assert result.exit_code == 0
    schema = json.loads(result.output)
    acme = schema["properties"]["requirements"]["properties"]["acme"]
    assert acme["properties"]["tier"] == {"type": "integer", "minimum": 1, "maximum": 3}
    assert acme["additionalProperties"] is False
    assert "acme" in schema["properties"]["priorities"]["propertyNames"]["enum"]
    plain = json.loads(cli("schema").output)
    assert plain == validation.load_schema("requirements")
    assert json.loads(cli("schema", "--config").output) == validation.load_schema("config")


def test_schema_with_a_faulty_fragment_exits_3_and_names_the_plugin(cli, tmp_path):
    plugin = write(tmp_path, PLUGIN.replace('"type": "integer"', '"type": "integr"'), "bad_keys.py")
    result = cli("schema", "--plugin", plugin)
    assert result.exit_code == 3
    assert "acme" not in json.loads(result.stdout)["properties"]["requirements"]["properties"]
    assert "is not a valid JSON Schema" in result.stderr and "bad_keys.py" in result.stderr


def test_plugins_lists_the_namespaces_a_plugin_added(cli, acme_plugin):
    listed = json.loads(cli("plugins", "--json", "--plugin", acme_plugin).stdout)
    entry = next(e for e in listed if e["name"] == acme_plugin)
    assert entry["contributed"]["requirements"] == ["acme"]
    assert "requirements: acme" in cli("plugins", "--plugin", acme_plugin).output
