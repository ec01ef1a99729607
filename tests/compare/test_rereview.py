"""Re-review matches a rule's judgements by ``Judgement.path``, never by their order (issue 18,
item 6): a plugin rule that judges several things for every file, and returns them in another
order on another day, is compared thing by thing."""

from __future__ import annotations

import json

from ..conftest import write

# ACME's licence terms for every file: the licence must be OSI-approved, and the free edition
# complete. The rule returns its judgements in a different order before 2023, as a rule that
# sorts them by some value of the day may.
LICENCE_TERMS = '''
from orchlint.hookspecs import hookimpl
from orchlint.model import Outcome
from orchlint.rulekit import Example, Judgement, Rule, capability, unknown


def check(_value, ctx):
    licence = ctx.fact("license")
    if licence is None:
        osi = unknown(ctx, "license", "an OSI-approved licence", ("osi",))
    elif licence.value["osi_approved"]:
        osi = Judgement(Outcome.MET, f"{ctx.platform.name} is licensed {licence.value['spdx']}", licence, ("osi",))
    else:
        osi = Judgement(Outcome.UNMET, f"{ctx.platform.name} is licensed {licence.value['spdx']}, not OSI-approved", licence, ("osi",))
    edition = capability(ctx, "free_edition_complete", "every feature in the free edition", ("free-edition",))
    return [edition, osi] if ctx.as_of.year < 2023 else [osi, edition]


@hookimpl
def orchlint_register_rules(register):
    register(Rule("acme.licence-terms", "ACME licence terms", "OSP-2", check=check, requirement=None,
                  facts=("license", "free_edition_complete"),
                  examples=(Example("pass", {}, {"license": {"spdx": "MIT", "osi_approved": True}, "free_edition_complete": True}),)))
'''


def test_rereview_matches_several_judgements_of_a_rule_by_path_not_by_position(cli, tmp_path):
    plugin = tmp_path / "licence_terms.py"
    plugin.write_text(LICENCE_TERMS, encoding="utf-8")
    path = write(tmp_path, "orchlint: 1\nname: svc\ntarget: nomad\ndecided: 2021-04-23\n")
    result = cli("check", path, "--plugin", str(plugin), "--select", "acme", "--platform", "nomad", "--format", "json")
    (nomad,) = json.loads(result.output)["files"][0]["rereview"]["platforms"]
    assert (nomad["then"], nomad["now"]) == ("warn", "fail")
    # The licence went from MPL-2.0 to BUSL-1.1; the free edition was limited on both days.
    (change,) = nomad["changes"]
    assert (change["rule"], change["then"], change["now"]) == ("acme.licence-terms", "pass", "fail")
    assert change["message"] == "HashiCorp Nomad is licensed BUSL-1.1, not OSI-approved"
    assert change["fact_then"]["value"] == {"spdx": "MPL-2.0", "osi_approved": True}
    assert change["fact_now"]["value"] == {"spdx": "BUSL-1.1", "osi_approved": False}
    text = cli("check", path, "--plugin", str(plugin), "--select", "acme", "--platform", "nomad").output
    assert "acme.licence-terms pass → fail: HashiCorp Nomad is licensed BUSL-1.1" in text
    assert "acme.licence-terms warn → fail" not in text and "free edition" not in text.split("re-review")[1]


def test_a_diff_matches_judgements_of_a_rule_for_every_file_by_path(cli, tmp_path):
    plugin = tmp_path / "licence_terms.py"
    plugin.write_text(LICENCE_TERMS, encoding="utf-8")
    old = write(tmp_path, "orchlint: 1\nname: svc\ntarget: nomad\n", "old.yaml")
    new = write(tmp_path, "orchlint: 1\nname: svc\ntarget: nomad\nrequirements:\n  production: true\n", "new.yaml")
    for day in ("2021-04-23", "2026-11-23"):
        diff = json.loads(cli("diff", old, new, "--plugin", str(plugin), "--select", "acme", "--platform", "nomad", "--as-of", day, "--format", "json").output)
        (nomad,) = diff["platforms"]
        assert nomad["findings"] == []  # the same judgements, in whatever order: nothing changed


def test_judgement_path_is_documented_for_rule_authors():
    from orchlint.rulekit import Judgement

    from ..conftest import ROOT

    assert "path" in (Judgement.__doc__ or "") and "requirement=None" in (Judgement.__doc__ or "")
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert "`Judgement.path`" in guide and "not by their order" in (ROOT / "docs" / "write-a-rule.md").read_text(encoding="utf-8")
