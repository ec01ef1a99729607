"""MkDocs hook: the generated reference pages of the documentation site.

At build time it writes, as Markdown pages that exist only in the build:

- ``reference/requirements.md`` from the requirements file's JSON Schema (``orchlint schema``);
- ``reference/configuration.md`` from the configuration's JSON Schema (``orchlint schema --config``);
- ``reference/rules/index.md`` and one page per rule (``orchlint rules``, ``orchlint explain ID``);
- ``reference/platforms/index.md`` and one page per platform, with its facts, sources and dates
  (``orchlint platforms --platform ID``) and its coverage (``orchlint platforms --coverage``).

Everything comes from orchlint's command line (``python -m orchlint``, with plugin autoload off
so that only what orchlint ships is documented) or from data files it ships, never from
importing orchlint's modules: the documentation describes what a user sees, and stays correct
when modules move. A command that fails (any exit status but 0, and 1 for ``--coverage``, which
means a knowledge cell is missing) fails the build.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[2]

#: pages made by this hook, by path below docs/; filled by on_config, added by on_files
_PAGES: dict[str, str] = {}


class OrchlintFailed(RuntimeError):
    pass


def orchlint(*args: str, ok: tuple[int, ...] = (0,)) -> str:
    """Standard output of ``python -m orchlint ARGS``; raise unless it exits with a status in ok."""
    env = dict(os.environ, ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1", NO_COLOR="1", COLUMNS="200")
    # An empty working directory: no project configuration (.orchlint.yaml) changes the listing.
    with tempfile.TemporaryDirectory(prefix="orchlint-docs-") as cwd:
        run = subprocess.run(
            [sys.executable, "-m", "orchlint", *args],
            cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", check=False,
        )
    if run.returncode not in ok:
        raise OrchlintFailed(
            f"`orchlint {' '.join(args)}` exited {run.returncode}:\n{run.stderr or run.stdout}"
        )
    return run.stdout


# --- Markdown helpers --------------------------------------------------------------------------

_CODE = re.compile(r"``(.+?)``|`([^`]+)`")
_URL = re.compile(r"https?://[^\s<>()\"']+[^\s<>()\"'.,;:]")


def escape(text: str) -> str:
    """Plain text as inline Markdown: no markup, no HTML, URLs as links."""
    out: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        out.append(_escape_plain(text[last:match.start()]))
        out.append(f"<{match.group(0)}>")
        last = match.end()
    out.append(_escape_plain(text[last:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_\[\]|#{}])", r"\\\1", text)


def code(text: str) -> str:
    """Text as an inline code span, whatever backticks it holds."""
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell(text: str) -> str:
    """Inline Markdown safe inside a table cell: pipes outside code spans escaped.

    (Python-Markdown's tables do not split cells at a pipe inside a code span.)"""
    parts = re.split(r"(`+[^`]*?`+)", text.replace("\n", " "))
    return "".join(p if p.startswith("`") else re.sub(r"(?<!\\)\|", r"\\|", p) for p in parts)


def prose(text: str) -> str:
    """A rationale or description (``code`` in reST or Markdown style) as Markdown paragraphs."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    rendered = []
    for paragraph in paragraphs:
        joined = " ".join(line.strip() for line in paragraph.splitlines())
        parts: list[str] = []
        last = 0
        for match in _CODE.finditer(joined):
            parts.append(escape(joined[last:match.start()]))
            parts.append(code(match.group(1) or match.group(2)))
            last = match.end()
        parts.append(escape(joined[last:]))
        rendered.append("".join(parts))
    return "\n\n".join(rendered)


def source(cite: str) -> str:
    """A cited source: a link if it is a URL, otherwise its text."""
    cite = cite.strip()
    if _URL.fullmatch(cite):
        return f"<{cite}>"
    return escape(cite)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-")


GENERATED = (
    "<!-- Generated at build time by docs/hooks/reference.py from `{command}`. Do not edit. -->\n\n"
)


# --- Requirements and configuration references (JSON Schema) ------------------------------------


def _type_of(schema: dict) -> str:
    if "const" in schema:
        return f"{code(json.dumps(schema['const']))} (constant)"
    if "enum" in schema:
        return "one of " + ", ".join(code(str(v)) for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items", {})
        if "enum" in items:
            return "list of " + ", ".join(code(str(v)) for v in items["enum"])
        if "$ref" in items:
            return "list of id patterns"
        return f"list of {items.get('type', 'values')}s"
    if kind == "object":
        if "additionalProperties" in schema and isinstance(schema["additionalProperties"], dict):
            values = schema["additionalProperties"]
            if "enum" in values:
                return "mapping to one of " + ", ".join(code(str(v)) for v in values["enum"])
        return "mapping"
    if kind == "string" and schema.get("format") == "date":
        return "date (YYYY-MM-DD)"
    if kind == "string" and "pattern" in schema:
        return f"string matching {code(schema['pattern'])}"
    return str(kind) if kind else "any"


def _constraints(schema: dict) -> list[str]:
    out = []
    for key, label in (("minimum", "minimum {:,}"), ("maximum", "maximum {:,}"), ("minLength", "at least {:,} character"),
                       ("maxLength", "at most {:,} character"), ("minItems", "at least {:,} item")):
        if key in schema:
            value = schema[key]
            text = label.format(value)
            out.append(text + "s" if text.endswith(("character", "item")) and value != 1 else text)
    if schema.get("uniqueItems"):
        out.append("no item twice")
    if "propertyNames" in schema and "enum" in schema["propertyNames"]:
        out.append("keys: " + ", ".join(code(k) for k in schema["propertyNames"]["enum"]))
    return out


def _schema_section(name: str, path: str, schema: dict, required: bool, level: int, lines: list[str],
                    judged_by: dict[str, list[str]]) -> None:
    lines.append(f"{'#' * level} {code(name)} {{ #{path} }}")
    lines.append("")
    facts = [f"**Type:** {_type_of(schema)}", "**Required**" if required else "Optional"]
    facts += _constraints(schema)
    lines.append(" · ".join(facts))
    lines.append("")
    if judged_by.get(path):
        rules = ", ".join(f"[{code(r)}](rules/{r}.md)" for r in judged_by[path])
        lines += [f"Judged by {rules}.", ""]
    if schema.get("description"):
        lines.append(prose(schema["description"]))
        lines.append("")
    if schema.get("x-expected"):
        lines.append(f"Expected: {escape(schema['x-expected'])}.")
        lines.append("")
    children = schema.get("properties")
    if children is None and schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        children = schema["items"].get("properties")
        child_required = schema["items"].get("required", [])
        item_path = path  # the keys of each item
    else:
        child_required = schema.get("required", [])
        item_path = path
    for key, child in (children or {}).items():
        _schema_section(key, f"{item_path}.{key}", child, key in child_required, min(level + 1, 6), lines, judged_by)


def _summary(description: str) -> str:
    """The first sentence of a description, without a leading "Optional"."""
    text = re.sub(r"^Optional[.:]\s*", "", description or "")
    return re.split(r"(?<=[a-z)])\. ", text, maxsplit=1)[0].rstrip(".")


def schema_page(schema: dict, command: str, title: str, intro: str,
                judged_by: dict[str, list[str]] | None = None) -> str:
    judged_by = judged_by or {}
    lines = [GENERATED.format(command=command), f"# {title}", "", intro, ""]
    if schema.get("description"):
        lines += [prose(schema["description"]), ""]
    properties = schema.get("properties", {})
    required = schema.get("required", [])
    lines += ["| key | type | required | description |", "|---|---|---|---|"]
    for key, child in properties.items():
        first = _summary(child.get("description", ""))
        lines.append(
            f"| [{code(key)}](#{key}) | {cell(_type_of(child))} | {'yes' if key in required else 'no'} | {cell(prose(first))} |"
        )
    lines.append("")
    for key, child in properties.items():
        _schema_section(key, key, child, key in required, 2, lines, judged_by)
    lines += ["## The schema", "", f"The complete JSON Schema, as `{command}` prints it:", "",
              "```json", json.dumps(schema, indent=2, ensure_ascii=False), "```", ""]
    return "\n".join(lines)


# --- Rules ------------------------------------------------------------------------------------


def list_rules() -> list[tuple[str, str]]:
    """(id, title) of every rule, from ``orchlint rules``."""
    rules = []
    for line in orchlint("rules").splitlines():
        match = re.match(r"^(\S+)\s{2,}(.*?)(\s+\(off\))?$", line)
        if match and not line.startswith(" "):
            rules.append((match.group(1), match.group(2).strip()))
    if not rules:
        raise OrchlintFailed("`orchlint rules` listed no rule")
    return rules


def parse_explain(text: str) -> dict:
    lines = text.rstrip("\n").splitlines()
    rule_id, _, title = lines[0].partition(": ")
    info = {"id": rule_id, "title": title, "plugin": "", "file": "", "requirement": None, "facts": [],
            "rationale": "", "severity": [], "sources": [], "examples": []}
    i = 1
    while i < len(lines) and lines[i]:
        key, _, value = lines[i].partition(": ")
        if key == "plugin":
            match = re.match(r"^(\S+)(?: \((.*)\))?$", value)
            info["plugin"] = match.group(1) if match else value
            if match and match.group(2):
                origin = Path(match.group(2))
                try:
                    info["file"] = origin.resolve().relative_to(ROOT).as_posix()
                except ValueError:
                    info["file"] = origin.name
        elif key == "requirement":
            info["requirement"] = None if value.startswith("(") else value
        elif key == "reads facts":
            info["facts"] = [f.strip() for f in value.split(",") if f.strip()]
        i += 1
    # The rationale runs to the "severity:" line.
    start = i + 1
    end = next(j for j in range(start, len(lines)) if lines[j].startswith("severity: "))
    info["rationale"] = "\n".join(lines[start:end]).strip()
    section = None
    for line in lines[end:]:
        if line.startswith("severity: "):
            info["severity"].append(line[len("severity: "):])
            section = "severity"
        elif line == "sources:":
            section = "sources"
        elif line == "examples:":
            section = "examples"
        elif section == "severity" and line.startswith("  "):
            info["severity"].append(line.strip())
        elif section == "sources" and line.startswith("  - "):
            info["sources"].append(line[4:])
        elif section == "examples" and line.startswith("  "):
            match = re.match(r"^\s+(\S+)\s+requirements: (.*?)  facts: (.*)$", line)
            if match:
                info["examples"].append((match.group(1).lower(), json.loads(match.group(2)), json.loads(match.group(3))))
    return info


def _requirement_link(path: str | None, up: str) -> str:
    if not path:
        return "every file (always evaluated, whatever the requirements say)"
    return f"[{code(path)}]({up}requirements.md#{path})"


def _fact_matches(rule_fact: str, key: str) -> bool:
    if "{" in rule_fact:
        rule_fact = rule_fact.split("{", 1)[0]
    if rule_fact.endswith("."):
        return key.startswith(rule_fact)
    return key == rule_fact


def rule_page(info: dict, coverage: dict) -> str:
    lines = [GENERATED.format(command=f"orchlint explain {info['id']}"),
             f"# {info['id']}", "", f"**{escape(info['title'])}**", ""]
    origin = f"{code(info['plugin'])}"
    if info["file"]:
        origin += f", {code(info['file'])}"
    lines += [
        "| | |", "|---|---|",
        f"| Judges | {cell(_requirement_link(info['requirement'], '../'))} |",
        f"| Reads facts | {cell(', '.join(code(f) for f in info['facts']) or 'none')} |",
        f"| Plugin | {cell(origin)} |",
        "",
        "## Why", "", prose(info["rationale"]), "",
        "## Severity", "",
        "The rule says whether the requirement is met, degraded, unmet or unknown; the severity comes"
        " from the requirement's priority ([priority × outcome](../../requirements.md#severity-priority-outcome)):",
        "",
    ]
    lines += [f"- {escape(s.replace(' -> ', ' → '))}" for s in info["severity"]]
    lines.append("")
    if info["examples"]:
        lines += ["## Examples", "",
                  f"`orchlint test` runs these; each gives the severity shown under priority `must`.", "",
                  "| expect | requirements | facts |", "|---|---|---|"]
        for expect, requirements, facts in info["examples"]:
            lines.append(f"| **{expect}** | {cell(code(json.dumps(requirements)))} | {cell(code(json.dumps(facts)))} |")
        lines.append("")
    if info["facts"]:
        platforms = coverage["platforms"]
        keys = [k for k in coverage["keys"] if any(_fact_matches(f, k) for f in info["facts"])]
        if keys:
            lines += ["## Knowledge it reads", "",
                      f"Whether each platform has these facts today ({escape(coverage['as_of'])}, when the site was built):", "",
                      "| fact | " + " | ".join(f"[{p['platform']}](../platforms/{p['platform']}.md)" for p in platforms) + " |",
                      "|---|" + "---|" * len(platforms)]
            for key in keys:
                row = [_state(p["cells"].get(key, "")) for p in platforms]
                lines.append(f"| {code(key)} | " + " | ".join(row) + " |")
            lines += ["", "The fact keys and their value forms are in [the knowledge format](../../knowledge.md#vocabulary).", ""]
    if info["sources"]:
        lines += ["## Sources", ""]
        lines += [f"- {source(s)}" for s in info["sources"]]
        lines.append("")
    lines += ["## See also", "",
              f"- `orchlint explain {info['id']}` prints this page's content in a terminal.",
              f"- Turn it off with `--ignore {info['id']}` or `ignore: [{info['id']}]` ([configuration](../../configuration.md)).",
              ""]
    return "\n".join(lines)


def _state(state: str) -> str:
    return {"known": "known", "researched-unknown": "researched unknown", "missing": "**missing**"}.get(state, state or "–")


# --- Platforms --------------------------------------------------------------------------------


def parse_platforms(text: str) -> list[dict]:
    platforms: list[dict] = []
    fact = None
    for line in text.splitlines():
        header = re.match(r"^(\S+): (.*)  \(plugin (.*)\)$", line)
        if header:
            platforms.append({"id": header.group(1), "name": header.group(2), "plugin": header.group(3),
                              "summary": "", "facts": []})
            fact = None
            continue
        if not platforms or not line.strip():
            continue
        platform = platforms[-1]
        stated = re.match(r"^  (\S+) = (.*)  \[(.*); verified (\S+)\]$", line)
        if stated:
            fact = {"key": stated.group(1), "value": stated.group(2), "window": stated.group(3),
                    "verified": stated.group(4), "note": "", "posts_said": "", "sources": []}
            platform["facts"].append(fact)
        elif line.startswith("      ") and fact is not None:
            label, _, value = line.strip().partition(": ")
            if label == "note":
                fact["note"] = value
            elif label == "the posts said":
                fact["posts_said"] = value
            elif label == "source":
                fact["sources"].append(value)
        elif line.startswith("  ") and not platform["facts"]:
            platform["summary"] = line.strip()
    return platforms


def platform_page(platform: dict, cover: dict, researched: list[dict], as_of: str) -> str:
    pid = platform["id"]
    lines = [GENERATED.format(command=f"orchlint platforms --platform {pid}"),
             f"# {escape(platform['name'])}", "",
             f"Platform id {code(pid)} · plugin {code(platform['plugin'])}", ""]
    if platform["summary"]:
        lines += [escape(platform["summary"]), ""]
    keys = sorted({f["key"] for f in platform["facts"]})
    lines += [
        f"orchlint knows {len(platform['facts'])} facts about {escape(platform['name'])}, for {len(keys)} fact keys."
        " Each holds in a window of time, has the sources it rests on and the date it was last verified;"
        " a platform's verdict on a day uses the facts that held on that day"
        " ([dating rules](../../knowledge.md#dating-rules)).",
        "",
        "## Coverage", "",
    ]
    if cover:
        lines += [
            f"Of the {cover['keys']} fact keys orchlint's built-in rules read, on {escape(as_of)}:"
            f" **{cover['known']} known**, {cover['researched_unknown']} researched unknown"
            f" (searched; no public source settles it), **{cover['missing']} missing**."
            " A rule that needs a missing or unknown fact warns that the requirement is unverified.",
            "",
            '??? note "The coverage matrix"',
            "",
            "    | fact key | on " + as_of + " |",
            "    |---|---|",
        ]
        for key, state in cover["cells"].items():
            target = f"[{code(key)}](#{slug(key)})" if key in keys else code(key)
            lines.append(f"    | {target} | {_state(state)} |")
        lines.append("")
    else:
        lines += ["The built-in rules' coverage is not computed for this platform.", ""]
    if researched:
        lines += ["## Researched unknowns", "",
                  "Facts that were searched for and that no public source settles:", ""]
        for entry in researched:
            lines += [f"### {code(entry['key'])} (unknown) {{ #unknown-{slug(entry['key'])} }}", ""]
            if entry.get("note"):
                lines += [escape(entry["note"]), ""]
            lines += ["Searched:", ""] + [f"- {escape(s)}" for s in entry.get("searched", [])] + [""]
    lines += ["## Facts", ""]
    for key in keys:
        lines += [f"### {code(key)} {{ #{slug(key)} }}", ""]
        for fact in (f for f in platform["facts"] if f["key"] == key):
            lines += [f"- **{code(fact['value'])}** — {escape(fact['window'])}; verified {escape(fact['verified'])}"]
            if fact["note"]:
                lines += [f"    - {escape(fact['note'])}"]
            if fact["posts_said"]:
                lines += [f"    - The posts said: {escape(fact['posts_said'])}"]
            lines += [f"    - Source: {source(s)}" for s in fact["sources"]]
        lines.append("")
    lines += ["## See also", "",
              f"- `orchlint platforms --platform {pid}` lists these facts in a terminal;"
              f" `--as-of YYYY-MM-DD` the ones that held on a day, `--stale YEARS` the ones due for re-checking.",
              f"- `orchlint platforms --coverage --platform {pid}` prints the coverage.",
              ""]
    return "\n".join(lines)


# --- Building the pages -----------------------------------------------------------------------


def build_pages() -> dict[str, str]:
    pages: dict[str, str] = {}

    # Coverage of every platform at once; exit 1 only says a cell is missing.
    coverage = json.loads(orchlint("platforms", "--coverage", "--format", "json", ok=(0, 1)))

    rules = list_rules()
    index = [GENERATED.format(command="orchlint rules"), "# Rules", "",
             f"The {len(rules)} rules orchlint ships. Each judges one requirement (or every file) against"
             " one kind of fact of each platform. `orchlint rules` lists them, with any loaded from"
             " plugins or rule files; select and ignore them by id or id prefix"
             " ([configuration](../configuration.md)).", "",
             "| rule | title | judges |", "|---|---|---|"]
    judged_by: dict[str, list[str]] = {}
    always: list[str] = []
    for rule_id, title in rules:
        info = parse_explain(orchlint("explain", rule_id))
        if info["requirement"]:
            judged_by.setdefault(info["requirement"], []).append(rule_id)
        else:
            always.append(rule_id)
        pages[f"reference/rules/{rule_id}.md"] = rule_page(info, coverage)
        judged = code(info["requirement"]) if info["requirement"] else "every file"
        index.append(f"| [{code(rule_id)}]({rule_id}.md) | {cell(escape(title))} | {cell(judged)} |")
    index.append("")
    pages["reference/rules/index.md"] = "\n".join(index)

    requirements = json.loads(orchlint("schema"))
    pages["reference/requirements.md"] = schema_page(
        requirements, "orchlint schema", "Requirements file reference",
        "Every key of a requirements file (format 1). The [guide](../requirements.md) explains how to"
        " write one and how priorities set severities; `orchlint init` writes a commented starter file."
        " Rules that judge every file, whatever it says: "
        + ", ".join(f"[{code(r)}](rules/{r}.md)" for r in always) + ".",
        judged_by,
    )
    config = json.loads(orchlint("schema", "--config"))
    pages["reference/configuration.md"] = schema_page(
        config, "orchlint schema --config", "Configuration reference",
        "Every setting of `.orchlint.yaml`, or of `[tool.orchlint]` in `pyproject.toml`. The"
        " [configuration guide](../configuration.md) says where orchlint looks for the file and how"
        " command-line options override it; `orchlint config` shows the effective values.",
    )

    platforms = parse_platforms(orchlint("platforms"))
    if not platforms:
        raise OrchlintFailed("`orchlint platforms` listed no platform")
    by_id = {p["platform"]: p for p in coverage["platforms"]}
    index = [GENERATED.format(command="orchlint platforms"), "# Platforms", "",
             f"The {len(platforms)} platforms orchlint ships, each with dated, sourced facts"
             " ([the knowledge format](../../knowledge.md)). Coverage counts the fact keys the built-in"
             f" rules read that have a fact on {escape(coverage['as_of'])}.", "",
             "| platform | id | facts | known | researched unknown | missing |", "|---|---|---|---|---|---|"]
    for platform in platforms:
        pid = platform["id"]
        cover = by_id.get(pid)
        # Each page's facts come from the per-platform listing, as a user would ask for them.
        (own,) = [p for p in parse_platforms(orchlint("platforms", "--platform", pid)) if p["id"] == pid]
        researched = [r for r in coverage.get("researched_unknown", []) if r["platform"] == pid]
        pages[f"reference/platforms/{pid}.md"] = platform_page(own, cover, researched, coverage["as_of"])
        counts = (f"{cover['known']} | {cover['researched_unknown']} | {cover['missing']}" if cover else "– | – | –")
        index.append(f"| [{escape(platform['name'])}]({pid}.md) | {code(pid)} | {len(own['facts'])} | {counts} |")
    index += ["", "## Coverage matrix", "",
              "Every fact key the built-in rules read, for every platform"
              " (`orchlint platforms --coverage`):", "",
              "| fact key | " + " | ".join(f"[{p['platform']}]({p['platform']}.md)" for p in coverage["platforms"]) + " |",
              "|---|" + "---|" * len(coverage["platforms"])]
    for key in coverage["keys"]:
        index.append(f"| {code(key)} | " + " | ".join(_state(p["cells"].get(key, "")) for p in coverage["platforms"]) + " |")
    index.append("")
    pages["reference/platforms/index.md"] = "\n".join(index)
    return pages


def _nav_section(nav: list, title: str, entries: list) -> bool:
    """Replace the nav entry ``{title: path}`` (at any depth) with a section of entries."""
    for i, item in enumerate(nav):
        if isinstance(item, dict):
            for key, value in item.items():
                if key == title and isinstance(value, str):
                    nav[i] = {key: [value, *entries]}
                    return True
                if isinstance(value, list) and _nav_section(value, title, entries):
                    return True
    return False


def on_config(config, **kwargs):
    _PAGES.clear()
    _PAGES.update(build_pages())
    nav = config.nav
    if nav is not None:
        rules = sorted(p for p in _PAGES if p.startswith("reference/rules/") and not p.endswith("index.md"))
        platforms = sorted(p for p in _PAGES if p.startswith("reference/platforms/") and not p.endswith("index.md"))
        titles = {p: p.rsplit("/", 1)[1][:-3] for p in rules + platforms}
        if not _nav_section(nav, "Rules", [{titles[p]: p} for p in rules]):
            raise OrchlintFailed("mkdocs.yml's nav has no `Rules: reference/rules/index.md` entry")
        if not _nav_section(nav, "Platforms", [{titles[p]: p} for p in platforms]):
            raise OrchlintFailed("mkdocs.yml's nav has no `Platforms: reference/platforms/index.md` entry")
    return config


def on_files(files, config, **kwargs):
    for path, content in _PAGES.items():
        if files.get_file_from_path(path) is not None:
            raise OrchlintFailed(f"docs/{path} is generated at build time: remove the file")
        files.append(File.generated(config, path, content=content))
    return files


# --- The architecture page's map of the tree -------------------------------------------------
#
# docs/architecture.md is written by hand, but two things on it must not go stale when modules
# move: the map of the packages (read here from the source tree as text, never imported) and the
# paths it names, each of which must exist (a missing one is a warning, so --strict fails).

SOURCE = ROOT / "src" / "orchlint"
MODULE_MAP = "<!-- generated: module map -->"


def _units() -> dict[str, list[Path]]:
    """Top-level units of the package: a module, or a subpackage with its modules."""
    units: dict[str, list[Path]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        if "__pycache__" in relative.parts or relative.name in ("__main__.py",):
            continue
        if relative.name.startswith("_") and relative.name != "__init__.py":
            continue  # generated and private helper modules
        unit = relative.parts[0][:-3] if len(relative.parts) == 1 else relative.parts[0]
        units.setdefault(unit, []).append(path)
    units.pop("__init__", None)
    return units


def _module_name(path: Path) -> str:
    parts = ["orchlint", *path.relative_to(SOURCE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path, modules: set[str]) -> set[str]:
    """The orchlint modules one module imports, deferred imports included; imports made only for
    type checkers (under ``if TYPE_CHECKING:``) never run, so they are left out. Importing
    ``a.b.c`` also runs the packages ``a.b`` and ``a``, so those count too."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    package = _module_name(path).split(".") if path.name == "__init__.py" else _module_name(path).split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            while name.count("."):  # the module and every package above it
                found.add(name)
                name = name.rpartition(".")[0]
    me = _module_name(path)
    return {m for m in found if m != me and not me.startswith(m + ".")}


def _unit(module: str) -> str:
    return module.split(".")[1]


def module_map() -> str:
    import ast

    units = _units()
    paths = [p for unit_paths in units.values() for p in unit_paths]
    private = [p for p in SOURCE.rglob("*.py") if "__pycache__" not in p.parts and p not in paths and p.name != "__main__.py"]
    modules = {_module_name(p): p for p in paths + private}
    graph = {m: _imported_modules(p, set(modules)) for m, p in modules.items()}

    # Levels: a module sits one above everything it imports; modules in a loop share a level.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    sccs: list[list[str]] = []

    def connect(v: str) -> None:  # Tarjan
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            sccs.append(component)

    for module in sorted(graph):
        if module not in index:
            connect(module)
    component_of = {m: i for i, c in enumerate(sccs) for m in c}
    level: dict[int, int] = {}
    for i, component in enumerate(sccs):  # Tarjan yields components dependencies first
        below = {component_of[w] for m in component for w in graph[m]} - {i}
        level[i] = 1 + max((level[j] for j in below), default=0)
    module_level = {m: level[component_of[m]] for m in graph}
    unit_level = {u: max(module_level[_module_name(p)] for p in unit_paths) for u, unit_paths in units.items()}
    edges = {u: {_unit(w) for p in unit_paths for w in graph[_module_name(p)]} - {u} for u, unit_paths in units.items()}

    def describe(unit_paths: list[Path]) -> str:
        first = next((p for p in unit_paths if p.name == "__init__.py"), unit_paths[0])
        doc = ast.get_docstring(ast.parse(first.read_text(encoding="utf-8"))) or ""
        return doc.strip().split("\n\n")[0].replace("\n", " ")

    loops = [sorted(c) for c in sccs if len(c) > 1]
    lines = [
        f"The tree as it is when this site is built: {len(units)} top-level modules and packages under"
        f" `src/orchlint/`, whose {len(modules)} modules sit in {max(module_level.values())} levels. A module"
        " sits one level above everything it imports (deferred imports inside functions included, imports"
        " for type checkers only left out); a package's level is its highest module's.",
        "",
    ]
    if loops:
        lines += ["Import loops (their modules share a level): "
                  + "; ".join(", ".join(code(m) for m in loop) for loop in loops) + ".", ""]
    else:
        lines += ["There is no import loop between modules.", ""]
    lines += ["| level | module or package | what it is | imports from |", "|---|---|---|---|"]
    for unit in sorted(units, key=lambda u: (-unit_level[u], u)):
        unit_paths = units[unit]
        name = f"{unit}/" if unit_paths[0].parent != SOURCE else f"{unit}.py"
        if len(unit_paths) > 1:
            name += f" ({len(unit_paths)} modules)"
        imports = ", ".join(code(w) for w in sorted(edges[unit])) or "–"
        lines.append(f"| {unit_level[unit]} | {code(name)} | {cell(prose(describe(unit_paths)))} | {cell(imports)} |")
    return "\n".join(lines) + "\n"


_TABLE_CODE = re.compile(r"`[^`\n]*\\\|[^`\n]*`")


def table_pipes(markdown: str) -> str:
    """``\\|`` inside a code span of a table row as ``|``.

    GitHub needs the backslash to keep a pipe in a code span from splitting the cell;
    Python-Markdown never splits there and would show the backslash."""
    return "\n".join(
        _TABLE_CODE.sub(lambda m: m.group(0).replace("\\|", "|"), line) if line.lstrip().startswith("|") else line
        for line in markdown.split("\n")
    )


def on_page_markdown(markdown, page, config, files, **kwargs):
    markdown = table_pipes(markdown)
    if page.file.src_uri != "architecture.md":
        return markdown
    import logging

    log = logging.getLogger("mkdocs.hooks.reference")
    # Every repository path the page names in a code span must exist.
    for named in sorted(set(re.findall(r"`((?:src|rules|tests|docs|bench|plugins)/[^`\s*]+)`", markdown))):
        path = ROOT / named.rstrip("/")
        if re.search(r"[A-Z]{2,}", path.name):
            path = path.parent  # a placeholder (knowledge/ID.yaml): its directory must exist
        if not path.exists():
            log.warning("architecture.md names `%s`, which does not exist: update the page", named)
    if MODULE_MAP not in markdown:
        log.warning("architecture.md has no %s marker for the module map", MODULE_MAP)
        return markdown
    return markdown.replace(MODULE_MAP, module_map())
