"""The compiled knowledge: the same facts as the YAML, never used once the YAML has changed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import orchlint
import orchlint.rules
from orchlint import generate, knowledge
from orchlint.factfile import load_named_sources

ROOT = Path(__file__).resolve().parent.parent.parent


def test_generated_modules_are_up_to_date():
    # If this fails, a fact file or the schema changed: run `python -m orchlint.generate`.
    assert generate.main(["--check"]) == 0


def test_compiled_knowledge_is_exactly_the_yaml():
    compiled = knowledge._compiled_copy()
    assert compiled is not None
    assert knowledge.from_compiled(compiled.PLATFORMS) == knowledge.parse_yaml()
    named = {name: knowledge._source(entry) for name, entry in compiled.SOURCES.items()}
    assert named == load_named_sources(knowledge._directory() / knowledge.SOURCES_FILE)


def test_a_stale_compiled_copy_is_not_used(monkeypatch):
    from orchlint.knowledge import _compiled

    stale = tuple((name, (1, 2) if name == "swarm.yaml" else printed) for name, printed in _compiled.FINGERPRINTS)
    monkeypatch.setattr(_compiled, "FINGERPRINTS", stale)
    for cached in (knowledge._compiled_copy, knowledge._load, knowledge.named_sources):
        cached.cache_clear()
    try:
        assert knowledge._compiled_copy() is None
        assert knowledge._load() == knowledge.parse_yaml()
    finally:
        monkeypatch.undo()
        for cached in (knowledge._compiled_copy, knowledge._load, knowledge.named_sources):
            cached.cache_clear()


def test_an_edited_fact_file_wins_over_the_compiled_copy(tmp_path):
    # A copy of the package in which someone has just changed a fact, without regenerating.
    package = tmp_path / "orchlint"
    shutil.copytree(Path(orchlint.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    if not (package / "rules").exists():  # an editable install maps orchlint.rules to rules/
        shutil.copytree(ROOT / "rules", package / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    swarm = package / "knowledge" / "swarm.yaml"
    text = swarm.read_text("utf-8")
    assert "  community:\n    - value: small\n" in text
    swarm.write_text(text.replace("  community:\n    - value: small\n", "  community:\n    - value: large\n"), "utf-8")
    probe = (
        "import datetime, orchlint, orchlint.knowledge as k\n"
        "assert orchlint.__file__.startswith(%r), orchlint.__file__\n"
        "assert k._compiled_copy() is None\n"
        "facts = {f.key: f.value for p, fs in k._load() if p.id == 'swarm' for f in fs}\n"
        "print(facts['community'])\n"
    ) % str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path), "PATH": ""}, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "large"


def test_built_in_rule_files_pass_the_checks_skipped_at_start_up():
    from orchlint.declarative.rulefile import load_rule_file, rule_files
    from orchlint.rules import __path__ as rules_path

    resolver = knowledge.source_resolver()
    files = rule_files(Path(rules_path[0]))
    assert files
    # Start-up lists them with os.listdir, which sees only a flat directory's files.
    assert [str(p.relative_to(rules_path[0])) for p in files] == orchlint.rules.rule_file_names()
    for path in files:
        load_rule_file(path, resolver, check_conditions=True)  # raises RuleFileError on a problem


def test_lazy_built_in_formats_stand_for_their_classes():
    from orchlint.formatters import BUILTIN, lazy_formatter

    for name, (module, attr, description) in BUILTIN.items():
        stand_in = lazy_formatter(name, module, attr, description)
        real = stand_in.load()
        assert (real.name, real.description) == (name, description)
        import io

        assert type(stand_in(io.StringIO())) is real


def test_compiled_rule_files_are_exactly_the_yaml(monkeypatch):
    from orchlint import rules
    from orchlint.support import yamlsource

    parsed = rules.compiled_documents()
    directory = Path(rules.__path__[0])
    assert sorted(parsed) == sorted(str(p.relative_to(directory)) for p in directory.rglob("*.yaml"))
    for name, doc in parsed.items():
        fresh = yamlsource.load((directory / name).read_bytes(), dates_as_strings=True)
        assert (doc.data, doc.key_marks, doc.value_marks) == (fresh.data, fresh.key_marks, fresh.value_marks)
    # An entry whose file has changed is not used: that file is parsed again.
    from orchlint.rules import _compiled

    name, printed, *rest = _compiled.FILES[0]
    monkeypatch.setattr(_compiled, "FILES", ((name, (0, 0), *rest), *_compiled.FILES[1:]))
    assert name not in rules.compiled_documents()
    assert len(rules.compiled_documents()) == len(parsed) - 1


def test_an_invalid_rule_file_is_never_compiled(tmp_path, monkeypatch, capsys):
    # Start-up trusts compiled rule files without checking them again (see orchlint.rules).
    rules_dir = Path(orchlint.rules.__path__[0])
    shutil.copy(rules_dir / "storage_types.yaml", tmp_path / "storage_types.yaml")
    broken = (rules_dir / "health_checks.yaml").read_text("utf-8").replace("examples:", "exampels:")
    (tmp_path / "health_checks.yaml").write_text(broken, "utf-8")
    monkeypatch.setattr(generate, "rules_path", lambda: tmp_path / "_compiled.py")
    assert generate.main([]) == 1
    assert "health_checks.yaml" in capsys.readouterr().err
    assert not (tmp_path / "_compiled.py").exists()


def test_compiled_rule_files_make_the_same_rules_as_the_files():
    from orchlint.declarative.rulefile import load_rule_file, rule_files
    from orchlint.rules import builtin_rules

    resolver = knowledge.source_resolver()
    directory = Path(orchlint.rules.__path__[0])
    from_files = {r.id: r for r in (load_rule_file(p, resolver, check_conditions=False) for p in rule_files(directory))}
    for rule in builtin_rules():
        if rule.id in from_files:
            other = from_files[rule.id]
            assert (rule.title, rule.rationale, rule.requirement, rule.sources, rule.examples, rule.facts, rule.severity, rule.origin) == (
                other.title, other.rationale, other.requirement, other.sources, other.examples, other.facts, other.severity, other.origin)


@pytest.mark.parametrize("installed", [False, True])
def test_an_edit_is_seen_by_the_fingerprint(tmp_path, monkeypatch, installed):
    from orchlint.support import fingerprint

    monkeypatch.setattr(fingerprint, "INSTALLED", installed)
    path = tmp_path / "swarm.yaml"
    path.write_bytes(b"value: true\n")
    printed = fingerprint.fingerprint_file(str(path))
    assert fingerprint.unchanged(str(path), printed)
    path.write_bytes(b"value: false\n")  # another length: stale in a checkout and installed
    assert not fingerprint.unchanged(str(path), printed)
    path.write_bytes(b"value: tru\n\n")  # same length: only a checkout reads the content
    assert fingerprint.unchanged(str(path), printed) is installed
    path.unlink()
    assert not fingerprint.unchanged(str(path), printed)
