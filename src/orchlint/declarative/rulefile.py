"""Rules written in YAML instead of Python: one rule per file, validated, then turned into a Rule.

The file format is documented in docs/rules.md and by ``schemas/rule.schema.json``. A file
is checked completely when it is loaded (schema, condition schemas, message templates, sources)
so that a mistake is reported once, with its line and column, rather than on every evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from orchlint.declarative import conditions

from orchlint.schemas import validation

from orchlint.support import yamlsource
from orchlint.support.discover import yaml_files
from orchlint.model import Fact, InputError, Outcome, Severity, Source
from orchlint.rulekit import Context, Example, Judgement, Rule, researched_message

if TYPE_CHECKING:
    from pathlib import Path  # for annotations only: pathlib is imported where a Path is made

# What a rule with no ``outcomes:`` means: the fact is a capability, true / "limited" / false.
CAPABILITY = (
    {"outcome": "met", "fact": {"const": True}, "message": "{what}: supported by {platform}"},
    {"outcome": "degraded", "fact": {"const": "limited"}, "message": "{what}: only limited support in {platform}{detail}"},
    {"outcome": "unmet", "message": "{what}: not supported by {platform}{detail}"},
)
DEFAULT_UNKNOWN = "{what}: unverified — orchlint has no fact '{key}' for {platform} on {as_of}"
DEFAULT_MESSAGE = {
    "met": "{what}: met by {platform}",
    "degraded": "{what}: only partly met by {platform}{detail}",
    "unmet": "{what}: not met by {platform}{detail}",
    "unknown": "{what}: {platform}'s fact {key} = {fact} is not one this rule understands",
}
TEMPLATE_FIELDS = (*conditions.TEMPLATE_FIELDS, "remark", "what", "key")


class RuleFileError(Exception):
    def __init__(self, path: str, errors: list[InputError]) -> None:
        self.path = path
        self.errors = errors
        super().__init__("\n".join(format_error(path, e) for e in errors))


def format_error(path: str, error: InputError) -> str:
    """``path:line:column: message``, for stderr: a file's name and words show their control
    characters escaped, never as a terminal escape."""
    from orchlint.support.terminal import clean

    return f"{clean(path)}:{error.line or 1}:{error.column or 1}: {clean(error.message)}"


class Spec:
    """A validated rule file, kept for evaluation.

    (A plain class, not a dataclass: making one compiles its methods, about a millisecond on every start.)
    """

    def __init__(
        self,
        requirement: str | None,
        when: Any,
        value_path: tuple[str, ...],
        each: bool,
        what: str,
        fact: str,
        unknown: str,
        outcomes: tuple[Mapping[str, Any], ...],
        origin: str = "",
        reads_requirements: bool = True,  # a condition or message looks at other requirements
    ) -> None:
        self.requirement = requirement
        self.when = when
        self.value_path = value_path
        self.each = each
        self.what = what
        self.fact = fact
        self.unknown = unknown
        self.outcomes = outcomes
        self.origin = origin
        self.reads_requirements = reads_requirements
        # Judgements already made, per (platform, fact, item, path; the day too if the message
        # shows it): the items of a list requirement come from a small vocabulary and repeat
        # from file to file.
        self.judged: dict[tuple[Any, ...], tuple[Fact | None, Judgement, Any]] = {}  # (fact, judgement, day shown or None)
        self.keys: dict[tuple[type, Any], str] = {}  # an item's fact key, per (type, value) of the item

    def check(self, value: Any, ctx: Context) -> list[Judgement]:
        if self.when is not None:
            try:
                when = conditions.resolve(self.when, value, ctx.requirements)
            except conditions.Unresolved:
                return []  # compared with a requirement the file does not state: cannot hold
            if not conditions.matches_or_explain(when, value, f"{self.origin} when"):
                return []
        judged, path = value, ()
        for part in self.value_path:
            if not isinstance(judged, Mapping) or part not in judged:
                return []
            judged = judged[part]
        path = self.value_path
        if self.each:
            if not isinstance(judged, (list, tuple)):
                return []
            return [self._judge(item, ctx, (*path, index)) for index, item in enumerate(judged)]
        return [self._judge(judged, ctx, path)]

    def _judge(self, value: Any, ctx: Context, path: tuple[str | int, ...]) -> Judgement:
        if self.reads_requirements or type(value) not in (str, int, bool):
            return self._judge_fact(value, ctx, path, (key := conditions.render(self.fact, {"value": value})), ctx.fact(key))
        key = self.keys.get((type(value), value))
        if key is None:
            if len(self.keys) > 1024:  # bounded, as ``judged`` is
                self.keys.clear()
            key = self.keys[type(value), value] = conditions.render(self.fact, {"value": value})
        fact = ctx.fact(key)
        # With no fact, the judgement still depends on which researched unknown (if any) holds.
        cited = fact if fact is not None else ctx.researched(key)
        # The platform by the two fields a judgement shows: hashing the Platform record costs more.
        memo = (ctx.platform.id, ctx.platform.name, id(cited), type(value), value, path)
        hit = self.judged.get(memo)
        # The day is compared only for a judgement whose message showed it: reading it tells
        # the engine this judgement depends on the day (see rulecall.WatchedContext).
        if hit is not None and hit[0] is cited and (hit[2] is None or hit[2] == ctx.as_of):
            return hit[1]
        if len(self.judged) > 1024:  # bounded: memory must not grow with the number of files
            self.judged.clear()
        day = _Day(ctx)
        judgement = self._judge_fact(value, ctx, path, key, fact, day)
        self.judged[memo] = (cited, judgement, ctx.as_of if day.shown else None)  # holding the fact keeps its id unique
        return judgement

    def _judge_fact(
        self, value: Any, ctx: Context, path: tuple[str | int, ...], key: str, fact: Fact | None, day: _Day | None = None
    ) -> Judgement:
        fields = _fields(value, ctx, fact, key, day or _Day(ctx))
        fields["what"] = conditions.render(self.what, fields)
        if fact is None:
            researched = ctx.researched(key)
            if researched is not None:
                return Judgement(Outcome.UNKNOWN, researched_message(fields["what"], ctx.platform.name, researched), researched, path)
            return Judgement(Outcome.UNKNOWN, conditions.render(self.unknown, fields), None, path)
        for index, entry in enumerate(self.outcomes):
            if _entry_matches(entry, value, fact, ctx, f"{self.origin} outcomes[{index}]"):
                outcome = Outcome(entry["outcome"])
                template = entry.get("message", DEFAULT_MESSAGE[outcome.value])
                return Judgement(outcome, conditions.render(template, fields), fact, path)
        return Judgement(Outcome.UNKNOWN, conditions.render(DEFAULT_MESSAGE["unknown"], fields), fact, path)


def _entry_matches(entry: Mapping[str, Any], value: Any, fact: Fact, ctx: Context, where: str) -> bool:
    try:
        if "fact" in entry and not conditions.matches_or_explain(
            conditions.resolve(entry["fact"], value, ctx.requirements), fact.value, f"{where}.fact"
        ):
            return False
        if "requirements" in entry:
            schema = conditions.resolve(entry["requirements"], value, ctx.requirements)
            instance = conditions.projection(schema, ctx.requirements)
            if not conditions.matches_or_explain(schema, instance, f"{where}.requirements"):
                return False
    except conditions.Unresolved:
        return False  # a comparison with a requirement the file does not state cannot hold
    return True


class _Day:
    """The evaluation day as a template field, read from the context only if a message shows it."""

    __slots__ = ("ctx", "shown")

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.shown = False

    def __str__(self) -> str:
        self.shown = True
        return self.ctx.as_of.isoformat()

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _fields(value: Any, ctx: Context, fact: Fact | None, key: str, day: _Day) -> dict[str, Any]:
    note = fact.note if fact is not None and fact.note else None
    return {
        "platform": ctx.platform.name,
        "platform_id": ctx.platform.id,
        "value": value,
        "fact": fact.value if fact is not None else None,
        "note": note,
        "detail": f": {note}" if note else None,
        "remark": f" ({note})" if note else None,
        "requirement": ctx.requirements,
        "as_of": day,
        "key": key,
    }


def load_rule_file(
    path: str | Path,
    resolve_source: Callable[[str], Source | None],
    *,
    check_conditions: bool = True,
    doc: yamlsource.Document | None = None,
    checked: bool = False,
) -> Rule:
    """Read, validate and compile one rule file; raises RuleFileError with every problem found.

    ``check_conditions=False`` is for rule files shipped in a package whose tests already check
    them: checking a condition against the JSON Schema meta-schema needs jsonschema, about
    100 ms to import on every start. ``doc`` is the file already parsed (from a compiled copy);
    ``checked=True`` says it passed every check when it was compiled (``python -m
    orchlint.generate`` compiles no file that fails one), so they are not run again."""
    display = str(path)
    try:
        if doc is None:
            doc = yamlsource.load(yamlsource.read_bounded(path), dates_as_strings=True)
    except OSError as exc:
        raise RuleFileError(display, [InputError(f"cannot read rule file: {exc.strerror or exc}")]) from None
    except yamlsource.LoadError as exc:
        raise RuleFileError(display, [exc.error]) from None
    if not isinstance(doc.data, dict):
        raise RuleFileError(display, [InputError("expected a mapping at the top of the rule file", 1, 1)])
    errors = [] if checked else validation.validate(doc, "rule")
    if errors:
        raise RuleFileError(display, errors)
    errors = [] if checked else _semantic_errors(doc, check_conditions)
    data = doc.data
    sources = []
    for index, ref in enumerate(data["sources"]):
        source = resolve_source(ref) if isinstance(ref, str) else _own_source(ref)
        if source is None:
            line, col = doc.locate(("sources", index))
            errors.append(InputError(f"sources[{index}]: unknown source {ref!r}; use a URL or a named source", line, col, f"sources[{index}]"))
        else:
            sources.append(source)
    if errors:
        raise RuleFileError(display, sorted(errors, key=lambda e: (e.line or 0, e.column or 0)))
    spec = Spec(
        requirement=data.get("requirement"),
        when=data.get("when"),
        value_path=tuple(data["value"].split(".")) if "value" in data else (),
        each=bool(data.get("each", False)),
        what=data.get("what", data["title"]),
        fact=data["fact"],
        unknown=data.get("unknown", DEFAULT_UNKNOWN),
        outcomes=tuple(data.get("outcomes", CAPABILITY)),
        reads_requirements=_reads_requirements(data),
        origin=display,
    )
    facts_read = data["fact"].split("{")[0] if "{" in data["fact"] else data["fact"]
    return Rule(
        id=data["id"],
        title=data["title"],
        rationale=data["rationale"],
        check=spec.check,
        requirement=spec.requirement,
        sources=tuple(sources),
        examples=tuple(
            Example(e["expect"], e["requirements"], e["facts"], e.get("priorities", {}), doc.locate(("examples", i))[0])
            for i, e in enumerate(data["examples"])
        ),
        facts=(facts_read,),
        severity={p: Severity[level.upper()] for p, level in data.get("severity", {}).items()},
        origin=f"{display}:1:1",
    )


def _reads_requirements(data: Mapping[str, Any]) -> bool:
    """Whether judging one value can depend on the file's other requirements (then judgements
    are never reused): a ``requirements`` condition, a ``$requirement`` reference, or a
    ``{requirement...}`` field in a message."""
    if any("requirements" in entry for entry in data.get("outcomes", ())):
        return True
    import json

    text = json.dumps(data, default=str)
    return "$requirement" in text or "{requirement" in text


def _own_source(entry: Mapping[str, Any]) -> Source:
    import datetime as _dt

    day = _dt.date.fromisoformat(entry["date"]) if "date" in entry else None
    return Source(entry["title"], entry.get("url", ""), "", day)


def _semantic_errors(doc: yamlsource.Document, check_conditions: bool = True) -> list[InputError]:
    """What the schema cannot say: conditions are schemas, templates use known fields."""
    data = doc.data
    errors = []

    def complain(path: tuple[Any, ...], message: str) -> None:
        line, col = doc.locate(path)
        errors.append(InputError(f"{yamlsource.dotted(path)}: {message}", line, col, yamlsource.dotted(path)))

    def condition(path: tuple[Any, ...], schema: Any) -> None:
        # Each problem at its own place: an unknown keyword at the key, anything else at its value.
        for inner, problem in conditions.schema_problems(schema) if check_conditions else ():
            where = (*path, *inner)
            unknown = problem.startswith("unknown keyword")
            line, col = doc.locate(where, key=unknown)
            dotted = yamlsource.dotted(where)
            message = f"{dotted}: {problem}" if unknown else f"{dotted}: not a valid JSON Schema condition: {problem}"
            errors.append(InputError(message, line, col, dotted))

    if "when" in data:
        condition(("when",), data["when"])
    for key in ("what", "unknown"):
        if key in data:
            problem = conditions.template_errors(data[key], TEMPLATE_FIELDS)
            if problem:
                complain((key,), problem)
    problem = conditions.template_errors(data["fact"], conditions.FACT_KEY_FIELDS)
    if problem:
        complain(("fact",), problem)
    for index, entry in enumerate(data.get("outcomes", ())):
        for key in ("fact", "requirements"):
            if key in entry:
                condition(("outcomes", index, key), entry[key])
        if "message" in entry:
            problem = conditions.template_errors(entry["message"], TEMPLATE_FIELDS)
            if problem:
                complain(("outcomes", index, "message"), problem)
    requirement_keys = validation.load_schema("requirements")["properties"]["requirements"]["properties"]
    if "requirement" in data and data["requirement"] not in requirement_keys:
        from orchlint.support.suggest import did_you_mean

        complain(("requirement",), f"unknown requirement {data['requirement']!r}{did_you_mean(data['requirement'], requirement_keys)}; the rule could never apply")
    for index, example in enumerate(data["examples"]):
        document = {"orchlint": 1, "name": "example", "requirements": example["requirements"]}
        if "priorities" in example:
            document["priorities"] = example["priorities"]
        for error in validation.validate(yamlsource.Document(document), "requirements"):
            complain(("examples", index, "requirements"), f"not valid requirements: {error.message}")
    expects = {e["expect"] for e in data["examples"]}
    if not {"pass", "fail"} <= expects:
        complain(("examples",), "needs at least one 'pass' and one 'fail' example")
    return errors


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a directory, in a stable order; hidden files and dirs are skipped."""
    return yaml_files(directory)


def load_rule_dir(directory: Path, resolve_source: Callable[[str], Source | None]) -> tuple[list[Rule], list[str]]:
    """Every rule in ``directory`` and, for the files that failed, one formatted line per problem."""
    rules, errors = [], []
    for path in rule_files(directory):
        try:
            rules.append(load_rule_file(path, resolve_source))
        except RuleFileError as exc:
            errors.extend(format_error(exc.path, e) for e in exc.errors)
    return rules, errors
