"""Collect what the plugins contribute, one plugin at a time, so a faulty plugin is named.

The engine works only from a Registry: it never imports a platform or a rule itself.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import math
import re
from collections.abc import Callable
from dataclasses import field, replace
from typing import Any

import pluggy

from orchlint.model import Fact, FactHistory, Frozen, Mutable, Platform, PluginError, record
from orchlint.rulekit import RULE_ID_PATTERN, Rule
from orchlint.support.shapes import fact_problem, plain_json, platform_problem, sources_problem

_RULE_ID = re.compile(RULE_ID_PATTERN)
NAMESPACE_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
_NAMESPACE = re.compile(NAMESPACE_PATTERN)
# Keywords that would make a fragment mean something else once embedded in the combined schema
# (``orchlint schema``), or make validation look beyond it.
_NOT_SELF_CONTAINED = ("$ref", "$dynamicRef", "$recursiveRef", "$id", "$anchor", "$dynamicAnchor", "$recursiveAnchor")
MAX_SCHEMA_DEPTH = 32


@record
class RequirementNamespace(Frozen):
    """Requirement keys a plugin added: the mapping under ``requirements.<name>`` and its schema."""

    name: str
    schema: dict[str, Any]
    plugin: str

    def __init__(self, name: str, schema: dict[str, Any], plugin: str) -> None:
        self.__dict__.update(name=name, schema=schema, plugin=plugin)


class KnowledgeBase:
    """Facts by platform and key, each key's facts ordered by the date they start to hold.

    A key may be filed as a ``FactHistory`` whose facts are made the first time the key is
    read (``at``, ``history``, ``all``): a check reads a fifth of the keys.
    """

    def __init__(self) -> None:
        self._facts: dict[tuple[str, str], list[Fact]] = {}
        self._later: dict[tuple[str, str], FactHistory] = {}

    def add(self, fact: Fact) -> str | None:
        """Add a fact; returns a complaint instead when it overlaps another in time."""
        if self._later:
            self._settle((fact.platform, fact.key))  # compared with the key's other facts
        entries = self._facts.setdefault((fact.platform, fact.key), [])
        for other in entries:
            if _overlap(fact, other):
                return f"fact {fact.platform}/{fact.key} ({fact.window()}) overlaps another ({other.window()})"
        starts = [_start(f) for f in entries]
        entries.insert(bisect.bisect(starts, _start(fact)), fact)
        return None

    def add_later(self, history: FactHistory) -> list[str]:
        """File a key's facts to be made when first read; the complaints of adding them now
        instead, when the key already has facts (then they must be compared)."""
        key = (history.platform, history.key)
        if key in self._facts or key in self._later:
            return [c for fact in history.make() if (c := self.add(fact))]
        self._later[key] = history
        return []

    def _settle(self, key: tuple[str, str]) -> None:
        history = self._later.pop(key, None)
        if history is None:
            return
        for fact in history.make():
            complaint = self.add(fact)
            if complaint:  # pragma: no cover - a filed history's facts are checked when compiled
                raise ValueError(complaint)

    def at(self, platform: str, key: str, day: _dt.date) -> Fact | None:
        entries = self._facts.get((platform, key))
        if entries is None:
            if (platform, key) not in self._later:
                return None
            self._settle((platform, key))
            entries = self._facts.get((platform, key), ())
        for fact in entries:
            if fact.holds_on(day):
                return fact
        return None

    def history(self, platform: str, key: str) -> list[Fact]:
        self._settle((platform, key))
        return list(self._facts.get((platform, key), ()))

    def keys(self, platform: str) -> list[str]:
        """The keys ``platform`` has facts for."""
        return sorted({key for fact_platform, key in (*self._facts, *self._later) if fact_platform == platform})

    def days(self, platform: str, key: str) -> frozenset[_dt.date]:
        """Every day on which one of the key's facts starts or ends, without making them."""
        history = self._later.get((platform, key))
        if history is not None:
            return history.days
        return frozenset(d for f in self._facts.get((platform, key), ()) for d in (f.valid_from, f.valid_until) if d is not None)

    def all(self) -> list[Fact]:
        for key in list(self._later):
            self._settle(key)
        return [fact for key in sorted(self._facts) for fact in self._facts[key]]


@record
class Registry(Mutable):
    """What the plugins contributed: platforms, facts, rules, output formats, and their errors."""

    platforms: dict[str, Platform] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    formatters: dict[str, Any] = field(default_factory=dict)
    # namespace -> the requirement keys a plugin added under requirements.<namespace>
    requirements: dict[str, RequirementNamespace] = field(default_factory=dict)
    knowledge: KnowledgeBase = field(default_factory=KnowledgeBase)
    errors: list[PluginError] = field(default_factory=list)
    # plugin -> kind ("platforms", "facts", "requirements", "rules", "formats") -> what it registered
    contributions: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # Plugins that ship with orchlint. Their rules are run without the time limit's worker
    # thread: a hang there is orchlint's own bug, as one in the engine would be, and handing
    # every file's checks to a thread cost about a sixth of a many-file run.
    builtin: frozenset[str] = frozenset()

    def __init__(
        self,
        platforms: dict[str, Platform] | None = None,
        rules: dict[str, Rule] | None = None,
        formatters: dict[str, Any] | None = None,
        requirements: dict[str, RequirementNamespace] | None = None,
        knowledge: KnowledgeBase | None = None,
        errors: list[PluginError] | None = None,
        contributions: dict[str, dict[str, list[str]]] | None = None,
        builtin: frozenset[str] = frozenset(),
    ) -> None:
        # None: a new empty one, as each field's default_factory would make
        self.platforms = {} if platforms is None else platforms
        self.rules = {} if rules is None else rules
        self.formatters = {} if formatters is None else formatters
        self.requirements = {} if requirements is None else requirements
        self.knowledge = KnowledgeBase() if knowledge is None else knowledge
        self.errors = [] if errors is None else errors
        self.contributions = {} if contributions is None else contributions
        self.builtin = builtin

    def contributed(self, plugin: str, kind: str, what: str) -> None:
        self.contributions.setdefault(plugin, {}).setdefault(kind, []).append(what)

    def error(self, plugin: str, message: str) -> None:
        self.errors.append(PluginError(plugin, message))

    def requirement_schemas(self) -> dict[str, dict[str, Any]]:
        """Each plugin namespace's JSON Schema fragment, by namespace."""
        return {name: ns.schema for name, ns in self.requirements.items()}


def build_registry(pm: pluggy.PluginManager) -> Registry:
    origins = getattr(pm, "origins", {})  # orchlint's own PluginManager says where each came from
    reg = Registry(builtin=frozenset(name for name, origin in origins.items() if origin == "built-in"))
    pending_facts: list[tuple[str, Fact]] = []
    pending_histories: list[tuple[str, FactHistory]] = []  # a built-in plugin's, made when read

    def add_platform(plugin: str, item: Any) -> None:
        problem = platform_problem(item)
        if problem:
            return reg.error(plugin, problem)
        if item.id in reg.platforms:
            return reg.error(plugin, f"duplicate platform id {item.id!r} (already registered by {reg.platforms[item.id].plugin})")
        reg.platforms[item.id] = replace(item, plugin=plugin)
        reg.contributed(plugin, "platforms", item.id)

    def add_fact(plugin: str, item: Any) -> None:
        if isinstance(item, FactHistory):
            if plugin in reg.builtin:
                return pending_histories.append((plugin, item))
            for fact in item.make():  # a third-party plugin's facts are checked one by one
                add_fact(plugin, fact)
            return
        # Checked here, as the plugin registers it: a malformed fact is the plugin's error, naming
        # the field, and never reaches a rule or an output format to be blamed on them. The
        # built-in knowledge is compiled from fact files the test suite validates.
        if plugin not in reg.builtin:
            problem = fact_problem(item) or _vocabulary_problem(item)
            if problem:
                return reg.error(plugin, problem)
        pending_facts.append((plugin, item))

    def add_requirements(plugin: str, namespace: Any, schema: Any) -> None:
        problem = _namespace_problem(namespace, reg)
        if problem:
            return reg.error(plugin, problem)
        checked = _fragment(schema)
        if isinstance(checked, str):
            return reg.error(plugin, f"requirement namespace {namespace!r}: {checked}")
        reg.requirements[namespace] = RequirementNamespace(namespace, checked, plugin)
        reg.contributed(plugin, "requirements", namespace)

    def add_rule(plugin: str, item: Any) -> None:
        if not isinstance(item, Rule):
            return reg.error(plugin, f"registered {type(item).__name__} where a Rule was expected")
        if not isinstance(item.id, str) or not _RULE_ID.match(item.id):
            return reg.error(plugin, f"rule id {item.id!r} is not of the form area.kebab-name")
        if not callable(item.check) or not (item.requirement is None or isinstance(item.requirement, str)):
            return reg.error(plugin, f"rule {item.id}: check must be callable and requirement a key name or None")
        problem = sources_problem(item.sources) or next(
            (f"{name} is {type(getattr(item, name)).__name__}, not str" for name in ("title", "rationale") if type(getattr(item, name)) is not str), None
        )
        if problem:
            return reg.error(plugin, f"rule {item.id}: {problem}")
        if item.requirement is not None and item.requirement not in _builtin_keys() and item.requirement not in reg.requirements:
            return reg.error(plugin, f"rule {item.id}: {_unknown_requirement(item.requirement, reg)}")
        if item.id in reg.rules:
            return reg.error(plugin, f"duplicate rule id {item.id!r} (already registered by {reg.rules[item.id].plugin})")
        reg.rules[item.id] = replace(item, plugin=plugin)
        reg.contributed(plugin, "rules", item.id)

    def add_formatter(plugin: str, item: Any) -> None:
        name = getattr(item, "name", None)
        if not isinstance(item, type) or not isinstance(name, str) or not hasattr(item, "write"):
            return reg.error(plugin, f"registered {item!r} where a Formatter class was expected")
        if name in reg.formatters:
            return reg.error(plugin, f"duplicate output format {name!r}")
        reg.formatters[name] = item
        reg.contributed(plugin, "formats", name)

    _call_each(pm, "orchlint_register_platforms", add_platform, reg)
    _call_each(pm, "orchlint_register_facts", add_fact, reg)
    _call_each(pm, "orchlint_register_requirements", add_requirements, reg)  # before the rules that read them
    _call_each(pm, "orchlint_register_rules", add_rule, reg)
    _call_each(pm, "orchlint_register_formatters", add_formatter, reg)

    for plugin, history in pending_histories:  # before other facts, which are compared with them
        if history.platform not in reg.platforms:
            reg.error(plugin, f"fact {history.key!r} is for unknown platform {history.platform!r}")
            continue
        for complaint in reg.knowledge.add_later(history):
            reg.error(plugin, complaint)
        reg.contributions.setdefault(plugin, {}).setdefault("facts", []).extend([f"{history.platform}/{history.key}"] * history.count)
    for plugin, fact in pending_facts:
        if fact.platform not in reg.platforms:
            reg.error(plugin, f"fact {fact.key!r} is for unknown platform {fact.platform!r}")
            continue
        complaint = reg.knowledge.add(fact)
        if complaint:
            reg.error(plugin, complaint)
        else:
            reg.contributed(plugin, "facts", f"{fact.platform}/{fact.key}")
    _inherit(reg)
    return reg


def _inherit(reg: Registry) -> None:
    """Give each distribution the facts of the platform it is based on, for the keys it does not
    state itself, from its own first release (its earliest ``lifecycle`` fact) on. A base that
    is itself a distribution is completed first; a missing base, a cycle or a distribution with
    no lifecycle fact is the contributing plugin's error."""
    done: set[str] = set()

    def complete(pid: str, chain: tuple[str, ...]) -> bool:
        platform = reg.platforms[pid]
        if not platform.based_on or pid in done:
            return True
        base = platform.based_on
        if base in chain or base == pid:
            reg.error(platform.plugin, f"platform {pid!r} is based on itself through {' -> '.join((*chain, pid, base))}")
            return False
        if base not in reg.platforms:
            reg.error(platform.plugin, f"platform {pid!r} is based on unknown platform {base!r}")
            return False
        if not complete(base, (*chain, pid)):
            return False
        starts = [f for f in reg.knowledge.history(pid, "lifecycle") if f.valid_from is not None]
        if not starts:
            reg.error(platform.plugin, f"platform {pid!r} is based on {base!r} but has no dated 'lifecycle' fact: its first one says when it began")
            return False
        first = min(starts, key=lambda f: f.valid_from or _dt.date.min)
        start = first.valid_from
        assert start is not None
        own = set(reg.knowledge.keys(pid))
        for key in reg.knowledge.keys(base):
            if key not in own:
                # Made when first read, as the base's own facts are: most keys never are. Its
                # days are the base's from the start on (a superset is enough: see days()).
                days = frozenset(d for d in reg.knowledge.days(base, key) if d > start) | {start}
                reg.knowledge.add_later(FactHistory(pid, key, 0, days, _inherited(reg.knowledge, base, key, pid, first)))
        done.add(pid)
        return True

    for pid in list(reg.platforms):
        complete(pid, ())


def _inherited(knowledge: KnowledgeBase, base: str, key: str, pid: str, first: Fact) -> Callable[[], list[Fact]]:
    """What distribution ``pid``, which began with its ``first`` lifecycle fact, inherits of
    ``base``'s facts for ``key``: those still holding then, none starting before it."""
    start = first.valid_from
    assert start is not None

    def make() -> list[Fact]:
        made = []
        for fact in knowledge.history(base, key):
            if fact.valid_until is not None and fact.valid_until <= start:
                continue  # ended before the distribution began
            changes = {"platform": pid, "inherited_from": fact.inherited_from or base}
            if fact.valid_from is None or fact.valid_from < start:
                changes.update(valid_from=start, from_release=first.from_release, from_as_of=first.from_as_of)
            made.append(_copy(fact, changes))
        return made

    return make


def _copy(fact: Fact, changes: dict[str, Any]) -> Fact:
    """``replace(fact, **changes)`` without re-running __init__: a few hundred inherited facts
    are made on every start, and these changes need no check."""
    if type(fact) is not Fact:  # a plugin's subclass may construct itself differently
        return replace(fact, **changes)
    copy = object.__new__(Fact)
    copy.__dict__.update(fact.__dict__)
    copy.__dict__.update(changes)
    return copy


def _builtin_keys() -> dict[str, Any]:
    from orchlint.schemas import validation

    return validation.load_schema("requirements")["properties"]["requirements"]["properties"]


def _unknown_requirement(requirement: str, reg: Registry) -> str:
    from orchlint.support.suggest import did_you_mean

    head = requirement.split(".")[0]
    if "." in requirement and (head in reg.requirements or head in _builtin_keys()):
        return f"requirement {requirement!r} names a key inside {head!r}: a rule's requirement is the whole {head!r}, whose value it gets"
    known = [*_builtin_keys(), *reg.requirements]
    return (
        f"requirement {requirement!r} is neither a requirement key nor a registered requirement namespace"
        f"{did_you_mean(requirement, known)}; the rule could never apply"
    )


def _namespace_problem(namespace: Any, reg: Registry) -> str | None:
    if type(namespace) is not str:
        return f"requirement namespace is {type(namespace).__name__}, not str"
    if not _NAMESPACE.match(namespace):
        return f"requirement namespace {namespace[:60]!r} is not a lowercase identifier ([a-z][a-z0-9_]*, at most 40 characters)"
    if namespace in _builtin_keys():
        return f"requirement namespace {namespace!r} is a built-in requirement key"
    if namespace in reg.requirements:
        return f"duplicate requirement namespace {namespace!r} (already registered by {reg.requirements[namespace].plugin})"
    return None


def _fragment(schema: Any) -> dict[str, Any] | str:
    """The plugin's schema fragment as plain JSON data, closed to unlisted keys unless it says
    otherwise; or a sentence saying why it cannot be used."""
    problem = _json_problem(schema, "schema", 0)
    if problem:
        return problem
    fragment = _plain(schema)
    if not isinstance(fragment, dict):
        return f"schema is {type(schema).__name__}, not a JSON Schema mapping"
    if fragment.get("$schema", "https://json-schema.org/draft/2020-12/schema") != "https://json-schema.org/draft/2020-12/schema":
        return f"schema: $schema {str(fragment['$schema'])[:80]!r} is not draft 2020-12"
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(fragment)
    except SchemaError as exc:
        where = "".join(f"[{p!r}]" for p in exc.absolute_path)
        message = exc.message if len(exc.message) <= 160 else exc.message[:157] + "..."
        return f"schema{where} is not a valid JSON Schema: {message}"
    keyword = _first_keyword(fragment, _NOT_SELF_CONTAINED)
    if keyword:
        return f"schema uses {keyword}: a fragment must be self-contained"
    if fragment.get("type") != "object":
        return 'schema must have "type": "object": a namespace holds a mapping of keys'
    fragment.setdefault("additionalProperties", False)
    return fragment


def _json_problem(value: Any, where: str, depth: int) -> str | None:
    if depth > MAX_SCHEMA_DEPTH:
        return f"{where}: nested deeper than {MAX_SCHEMA_DEPTH} levels"
    if value is None or type(value) in (bool, int, str):
        return None
    if type(value) is float:
        return None if math.isfinite(value) else f"{where}: {value!r} is not a JSON number"
    if type(value) in (list, tuple):
        return next((p for i, v in enumerate(value) if (p := _json_problem(v, f"{where}[{i}]", depth + 1))), None)
    if type(value) is dict:
        for key, v in value.items():
            if type(key) is not str:
                return f"{where}: key {key!r} is {type(key).__name__}, not str"
            problem = _json_problem(v, f"{where}[{key[:40]!r}]", depth + 1)
            if problem:
                return problem
        return None
    return f"{where} is {type(value).__name__}, not JSON data"


def _plain(value: Any) -> Any:
    """A copy the plugin can no longer change: lists for tuples, new dicts."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _first_keyword(value: Any, keywords: tuple[str, ...]) -> str | None:
    # Over-cautious where such a word is a property's name or an enum's value: a rename away.
    if isinstance(value, list):
        return next((k for v in value if (k := _first_keyword(v, keywords))), None)
    if isinstance(value, dict):
        for key, v in value.items():
            if key in keywords:
                return key
            found = _first_keyword(v, keywords)
            if found:
                return found
    return None


def _vocabulary_problem(fact: Fact) -> str | None:
    """A fact for a key the built-in rules read has the value facts.schema.json gives that key,
    as a fact file's would: a lifecycle that is a string would break lifecycle.maintained, and
    be blamed on it."""
    from orchlint.schemas import validation
    from orchlint.support.yamlsource import Document, dotted

    vocabulary = validation.load_schema("facts")["properties"]["facts"]["properties"]
    if fact.key not in vocabulary:
        return None  # a plugin's own key, for its own rules
    entry: dict[str, Any] = {"verified": "2000-01-01", "sources": ["checked apart"]}
    if fact.searched:
        entry["unknown"] = list(fact.searched)
    else:
        entry["value"] = plain_json(fact.value)
    errors = validation.validate(Document({"platform": {"id": "p", "name": "p"}, "facts": {fact.key: [entry]}}), "facts")
    if not errors:
        return None
    prefix = dotted(("facts", fact.key, 0)) + "."
    return f"fact {fact.platform}/{fact.key}: " + "; ".join(e.message.removeprefix(prefix) for e in errors[:3])


def _call_each(pm: pluggy.PluginManager, hook_name: str, add: Callable[[str, Any], None], reg: Registry) -> None:
    hook = getattr(pm.hook, hook_name)
    for impl in hook.get_hookimpls():  # registration order: built-ins first, so they keep their ids
        plugin = impl.plugin_name

        def register(*args: Any, _plugin: str = plugin) -> None:
            add(_plugin, *args)  # a wrong number of arguments is the plugin's TypeError

        try:
            impl.function(register=register)
        except (Exception, SystemExit) as exc:  # SystemExit too: a plugin does not decide the exit code
            reg.error(plugin, f"{hook_name} raised {exc!r}")


def _start(fact: Fact) -> _dt.date:
    return fact.valid_from or _dt.date.min


def _overlap(a: Fact, b: Fact) -> bool:
    a_end = a.valid_until or _dt.date.max
    b_end = b.valid_until or _dt.date.max
    return _start(a) < b_end and _start(b) < a_end
