"""``orchlint report --format html``: golden files, the page's structure, and hostile strings.

Regenerate the golden files after an intended change with:
ORCHLINT_UPDATE_GOLDEN=1 pytest tests/formatters/test_html_report.py
"""

from __future__ import annotations

import datetime
import json
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from orchlint.formatters.html import _finding, _waiver
from orchlint.formatters.html_page import cite
from orchlint.formatters.markdown import md
from orchlint.model import Finding, Outcome, Severity, Source

from ..conftest import EXAMPLES, ROOT, write
from ..controls import HOSTILE_TEXT, HOSTILE_YAML, raw_controls

GOLDEN = Path(__file__).parent.parent / "golden"
EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
# In this order: what decides first, then why, then the references. Re-review, waivers and
# notices appear only when there is something to say.
SECTIONS = ["summary", "decision", "unknowns", "to-change", "rereview", "matrix", "findings", "waivers", "notices", "rules", "knowledge"]
ALWAYS = [s for s in SECTIONS if s not in ("rereview", "waivers", "notices")]
VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
# Everything the page may contain; a script, image, frame, form or external style sheet is a bug.
ALLOWED = {
    "html", "head", "meta", "title", "style", "body", "main", "article", "section", "footer",
    "h1", "h2", "h3", "p", "div", "span", "strong", "code", "a", "ul", "li", "dl", "dt", "dd",
    "table", "tr", "th", "td", "ol",
}  # fmt: skip
HOSTILE = '<img src=x onerror="alert(1)">'


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    classes: set[str] = field(default_factory=set)
    children: list[Element] = field(default_factory=list)

    def cells(self) -> list[str]:
        """A table row's cells, each cell's text with its white space collapsed."""
        return [" ".join(c.text.split()) for c in self.children if c.tag in ("td", "th")]

    def descendants(self, tag: str) -> list[Element]:
        found = [c for c in self.children if c.tag == tag]
        return found + [d for c in self.children for d in c.descendants(tag)]


class Page(HTMLParser):
    """The page as a browser's parser sees it: elements, their text, and nesting mistakes."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.problems: list[str] = []
        self.feed(text)
        self.close()
        if self.open:
            self.problems.append(f"unclosed: {[e.tag for e in self.open]}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        element = Element(tag, values, classes=set(values.get("class", "").split()))
        self.elements.append(element)
        if self.open:
            self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1].tag != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1].tag if self.open else 'nothing'}")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())]

    def by_id(self, ident: str) -> Element:
        (element,) = [e for e in self.elements if e.attrs.get("id") == ident]
        return element


def cited_urls(registry) -> set[str]:
    urls = {s.url for fact in registry.knowledge.all() for s in fact.sources}
    urls |= {s.url for rule in registry.rules.values() for s in rule.sources}
    return {u for u in urls if u}


def assert_safe_page(page: Page, text: str, allowed_urls: set[str]) -> None:
    assert page.problems == []
    assert text.startswith("<!DOCTYPE html>\n")
    assert {e.tag for e in page.elements} <= ALLOWED
    assert len(page.find("html")) == len(page.find("body")) == len(page.find("style")) == 1
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    for element in page.elements:
        assert not any(name.startswith("on") or name in ("src", "style", "srcset") for name in element.attrs), element
        href = element.attrs.get("href")
        if href is None:
            continue
        assert element.tag == "a"
        if href.startswith("#"):
            assert href[1:] in ids, f"link to a missing anchor {href}"
        else:
            assert href.startswith(("https://", "http://")) and href in allowed_urls, href
    (style,) = page.find("style")
    assert "url(" not in style.text and "@import" not in style.text  # the CSS fetches nothing either


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_html_report_matches_golden_file(cli, monkeypatch, example):
    monkeypatch.chdir(ROOT)
    result = cli("report", f"examples/{example}.yaml", "--format", "html")
    assert result.exit_code == 0
    golden = GOLDEN / f"{example}.html"
    if os.environ.get("ORCHLINT_UPDATE_GOLDEN"):
        golden.write_text(result.output, encoding="utf-8")
    assert result.output == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_html_report_is_a_safe_self_contained_page_with_every_section(cli, registry, monkeypatch, example):
    monkeypatch.chdir(ROOT)
    text = cli("report", f"examples/{example}.yaml", "--format", "html").output
    page = Page(text)
    assert_safe_page(page, text, cited_urls(registry))
    sections = [e.attrs["id"][3:] for e in page.find("section") if e.attrs.get("id", "")[3:] in SECTIONS]
    assert [s for s in sections if s in ALWAYS] == ALWAYS
    assert sections == [s for s in SECTIONS if s in sections]  # the optional ones in their place
    style = page.find("style")[0].text
    assert "@media print" in style and "size: A4" in style
    # The sources cited above, numbered; each number in the text links to its entry.
    listed = page.by_id("d1-knowledge").descendants("li")
    assert listed and [int(li.attrs["value"]) for li in listed] == list(range(1, len(listed) + 1))
    refs = [a.attrs["href"] for a in page.find("a") if a.attrs.get("href", "").startswith("#d1-src-")]
    assert {f"#{li.attrs['id']}" for li in listed} == set(refs)  # every source listed is cited, and no other


def _text(page: Page, ident: str) -> str:
    return " ".join(page.by_id(ident).text.split())


def test_logzio_review_opens_with_what_decides(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    page = Page(cli("report", "examples/logzio.yaml", "--format", "html").output)
    assert "Recommended: Kubernetes (no requirement fails" in page.by_id("d1-summary").text
    decision = [row.cells() for row in page.by_id("d1-decision").descendants("tr")]
    assert decision[0] == ["#", "platform", "verdict", "fail", "warn", "unknown", "known"]
    assert decision[1] == ["1", "Kubernetes kubernetes", "✓ pass", "0", "0", "0", "7 of 7"]
    assert decision[2] == ["2", "Red Hat OpenShift Container Platform openshift", "✗ fail", "1", "1", "0", "7 of 7"]
    assert decision[8] == ["8", "Amazon ECS ecs", "✗ fail ? 1 unknown", "2", "0", "1", "6 of 7"]
    assert len(decision) == 9  # the platforms out of the running have a line, not a row
    out = [" ".join(li.text.split()) for li in page.by_id("d1-decision").descendants("li")]
    assert out[0].startswith("Apache Mesos + Marathon mesos-marathon: Apache Mesos + Marathon is retired since 2021-10-31 (lifecycle.maintained) [")
    assert out[1].startswith("Mesosphere DC/OS dcos: Mesosphere DC/OS is end-of-life since 2021-10-31 (lifecycle.maintained) [")
    unknowns = [row.cells() for row in page.by_id("d1-unknowns").descendants("tr")]
    assert unknowns[0] == ["platform", "requirement", "why"] and len(unknowns) == 2
    assert unknowns[1][:2] == ["ecs", "large_community"]
    assert unknowns[1][2].startswith("researched, no public source settles it (searched: AWS ECS FAQ") and unknowns[1][2].endswith("…)")
    matrix = [row.cells() for row in page.by_id("d1-matrix").descendants("tr")]
    assert matrix[0] == ["requirement", "value", "priority", "kubernetes", "openshift", "nomad", "swarm", "aks", "gke", "eks", "ecs"]
    assert matrix[1] == ["workloads", "containers", "must", *["✓ pass"] * 8]
    assert matrix[2] == ["production", "yes", "must", *["✓ pass"] * 8]
    cells = {" ".join(c.text.split()): c.classes for c in page.find("td") if c.classes & {"pass", "warn", "fail", "unknown"}}
    assert cells == {"✓ pass": {"pass"}, "⚠ warn": {"warn"}, "✗ fail": {"fail"}, "? unknown": {"unknown"}}  # colour and symbol agree
    to_change = _text(page, "d1-to-change")
    assert "Docker Swarm (swarm mode) swarm: these would have to be relaxed: large_community, vendor_neutral." in to_change
    assert "dcos" not in to_change and "lifecycle.maintained" not in to_change  # said once, in the decision table
    platforms = [" ".join(h.text.split()) for h in page.find("h3")]
    assert platforms == [
        "Kubernetes kubernetes ✓ pass",
        "Red Hat OpenShift Container Platform openshift ✗ fail",
        "HashiCorp Nomad nomad ✗ fail",
        "Docker Swarm (swarm mode) swarm ✗ fail",
        "Azure Kubernetes Service (AKS) aks ✗ fail",
        "Google Kubernetes Engine gke ✗ fail",
        "Amazon EKS eks ✗ fail",
        "Amazon ECS ecs ✗ fail",
    ]
    nomad = _text(page, "d1-platform-nomad")
    assert "It also warns on open_source_only, large_community (see the matrix)." in nomad  # a failing candidate's warnings: one line
    assert "rereview" not in {e.attrs.get("id", "")[3:] for e in page.find("section")}  # no verdict moved since decided:


def test_the_review_shows_values_as_a_reader_writes_them(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    page = Page(cli("report", "examples/checkout-platform.yaml", "--format", "html").output)
    matrix = {row.cells()[0]: row.cells()[1:3] for row in page.by_id("d1-matrix").descendants("tr")[1:]}
    assert matrix["storage"] == ["types: nfs, aws-ebs, local-persistent; multi_instance_external_volumes: yes", "must"]
    assert matrix["health_checks"] == ["liveness, readiness, http, tcp", "must"]
    assert matrix["autoscaling"] == ["enabled: yes; metrics: cpu, memory, custom", "should"]
    assert matrix["multi_cluster"] == ["no", "not required"]  # false asks for nothing: not a MUST
    assert matrix["in_house_expertise"] == ["no", "must"]  # false that a rule judges: the team has no experts
    body = " ".join(page.find("main")[0].text.split())
    assert '{"' not in body and '["' not in body
    nomad = _text(page, "d1-platform-kubernetes")
    assert "max_nodes: 5000, since 2017-03-28 (Kubernetes v1.6)." in nomad


def test_rule_rationales_are_rendered_not_raw_restructuredtext(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    text = cli("report", "examples/vendor-backed.yaml", "--format", "html").output
    page = Page(text)
    rules = page.by_id("d1-rules")
    assert "``" not in rules.text and "`" not in rules.text
    assert "<code>in_house_expertise: false</code> says the team has nobody" in text
    assert [c.text for c in rules.descendants("code")].count("vendor_support: required") == 1


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_each_fact_note_appears_once_and_no_value_is_json(cli, monkeypatch, example):
    monkeypatch.chdir(ROOT)
    data = json.loads(cli("check", f"examples/{example}.yaml", "--format", "json").output)
    notes = {f["fact"]["note"] for p in data["files"][0]["platforms"] for f in p["findings"] if f["fact"] and f["fact"]["note"]}
    html_text = " ".join(Page(cli("report", f"examples/{example}.yaml", "--format", "html").output).find("main")[0].text.split())
    markdown = cli("report", f"examples/{example}.yaml").output
    assert notes
    shown = 0
    for note in notes:
        flat = " ".join(note.split())
        assert html_text.count(flat) <= 1, note
        assert markdown.count(md(note)) <= 1, note
        shown += flat in html_text
    assert shown, "no note shown at all"
    for text in (html_text, markdown):
        assert '{"' not in text and '["' not in text.replace("\\[", "")


def test_the_rereview_says_what_moved_in_words(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    page = Page(cli("report", "examples/vendor-backed.yaml", "--format", "html").output)
    assert "Verdicts changed since 2021-04-23 for dcos, mesos-marathon" in _text(page, "d1-summary")
    rows = [row.cells() for row in page.by_id("d1-rereview").descendants("tr")]
    assert [r[:3] for r in rows[1:]] == [["dcos", "⚠ warn", "✗ fail"], ["mesos-marathon", "⚠ warn", "✗ fail"]]
    assert "lifecycle.maintained: warn → fail; lifecycle: end of life on 2021-10-31, since 2020-10-01 [1]" in rows[1][3]
    assert "retired (support ended 2021-10-31), since 2025-08-20" in rows[2][3]
    assert "Unchanged: aks, ecs, eks, gke, kubernetes, nomad, openshift, swarm." in _text(page, "d1-rereview")
    # A file's decided: date with no verdict moved says nothing; --since asks for it.
    logzio = Page(cli("report", "examples/logzio.yaml", "--format", "html", "--since", "2021-04-23").output)
    assert "Verdicts on 2021-04-23 (--since)" in _text(logzio, "d1-rereview")


def test_what_orchlint_does_not_know_is_one_table_with_a_row_per_platform_without_facts(cli, tmp_path):
    plugin = tmp_path / "bare_plugin.py"
    plugin.write_text(
        "from orchlint.hookspecs import hookimpl\nfrom orchlint.model import Platform\n\n"
        "@hookimpl\ndef orchlint_register_platforms(register):\n    register(Platform('bare', 'Bare', 'no facts at all'))\n",
        encoding="utf-8",
    )
    path = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  workloads: [containers, stateful]\n  production: true\n")
    page = Page(cli("report", path, "--format", "html", "--plugin", str(plugin)).output)
    rows = [row.cells() for row in page.by_id("d1-unknowns").descendants("tr")]
    assert ["bare", "lifecycle.maintained, workloads[0], workloads[1], production", "no fact"] in rows
    decision = {row.cells()[1]: row.cells() for row in page.by_id("d1-decision").descendants("tr")[1:]}
    assert decision["Bare bare"][2:] == ["? 4 unknown", "0", "0", "4", "0 of 4"]
    assert "Bare" not in _text(page, "d1-summary").split("Recommended:")[1].split(".")[0]


def test_markdown_review_has_the_same_sections_in_the_same_order(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    for example in EXAMPLE_NAMES:
        for extra in ((), ("--since", "2020-01-01")):
            html_page = Page(cli("report", f"examples/{example}.yaml", "--format", "html", *extra).output)
            markdown = cli("report", f"examples/{example}.yaml", *extra).output
            html_titles = [" ".join(h.text.split()) for h in html_page.find("h2")]
            md_titles = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
            assert md_titles == html_titles, example
            assert len(html_titles) >= len(ALWAYS)


def test_markdown_review_says_what_would_have_to_change(cli):
    text = cli("report", str(EXAMPLES / "logzio.yaml")).output
    section = text[text.index("## What would have to change") : text.index("## Requirements ×")]
    assert "- **Docker Swarm (swarm mode)** (`swarm`): these would have to be relaxed: `large_community`, `vendor_neutral`.\n" in section
    viable = cli("report", str(EXAMPLES / "logzio.yaml"), "--platform", "kubernetes").output
    assert "No platform in the running fails; nothing would have to change." in viable


def test_hostile_name_and_path_render_as_text(cli, registry, tmp_path):
    path = write(tmp_path, "orchlint: 1\nname: <script>alert(1)</script>\n", 'a<b>&"c.yaml')
    text = cli("report", path, "--format", "html").output
    assert "<script>" not in text and "<b>" not in text
    assert "Architecture review: &lt;script&gt;alert(1)&lt;/script&gt;" in text
    page = Page(text)
    assert_safe_page(page, text, cited_urls(registry))
    assert page.find("h1")[0].text == "Architecture review: <script>alert(1)</script>"
    assert page.find("title")[0].text == "Architecture review: <script>alert(1)</script>"
    assert 'a<b>&"c.yaml' in page.find("p", **{"class": "meta"})[0].text


EVIL_PLUGIN = f"""
from orchlint.hookspecs import hookimpl
from orchlint.model import Outcome, Platform, Source
from orchlint.rulekit import Judgement, Rule

EVIL = {HOSTILE!r}


def check(_value, ctx):
    return [Judgement(Outcome.UNMET, "unmet " + EVIL)]


RULE = Rule(id="evil.markup", title=EVIL, rationale=EVIL, check=check,
            sources=(Source(EVIL, "javascript:alert(1)", EVIL), Source("ok", "https://example.org/a?b=1&c=<2>")))


@hookimpl
def orchlint_register_rules(register):
    register(RULE)


@hookimpl
def orchlint_register_platforms(register):
    register(Platform('e"v<i>l', EVIL, EVIL))
"""


def test_hostile_plugin_strings_and_links_render_as_text(cli, registry, tmp_path):
    plugin = tmp_path / "evil_plugin.py"
    plugin.write_text(EVIL_PLUGIN, encoding="utf-8")
    path = write(tmp_path, "orchlint: 1\nname: x\n")
    text = cli("report", path, "--format", "html", "--plugin", str(plugin)).output
    page = Page(text)
    assert_safe_page(page, text, cited_urls(registry) | {"https://example.org/a?b=1&c=<2>"})
    assert "<img" not in text and 'href="javascript' not in text
    # The rule judges every file and fails everywhere: every platform is out of the running.
    assert HOSTILE in page.by_id("d1-decision").text  # shown, as text
    assert "javascript:alert(1)" in page.by_id("d1-knowledge").text
    assert page.find("a", href="https://example.org/a?b=1&c=<2>")  # a real link survives, escaped


def test_several_files_make_one_page_with_one_article_each(cli, monkeypatch, registry):
    monkeypatch.chdir(ROOT)
    result = cli("check", "examples/logzio.yaml", "examples/vendor-backed.yaml", "--format", "html")
    page = Page(result.output)
    assert_safe_page(page, result.output, cited_urls(registry))
    assert [e.attrs["id"] for e in page.find("article")] == ["d1", "d2"]
    assert [" ".join(h.text.split()) for h in page.find("h1")] == [
        "Architecture review: logzio-deployment-platform",
        "Architecture review: vendor-backed-platform",
    ]
    assert "d2-rereview" in [e.attrs.get("id") for e in page.find("section")]


def test_a_file_that_cannot_be_evaluated_still_gives_a_well_formed_page(cli, registry, tmp_path):
    broken = write(tmp_path, "orchlint: 1\nname: x\nrequirements:\n  nodez: 1\n")
    out = tmp_path / "review.html"
    result = cli("report", broken, "--format", "html", "-o", str(out))
    assert result.exit_code == 2
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert_safe_page(page, text, cited_urls(registry))
    assert "unknown key 'nodez'" in page.by_id("d1-errors").text


@dataclass(frozen=True, order=True)
class WaivedFinding(Finding):
    waiver: object = field(compare=False, default=None)


def test_waived_findings_are_shown_as_waived():
    waiver = SimpleNamespace(reason="<b>accepted</b> by the board", expires="2027-01-01")
    finding = WaivedFinding(
        "kubernetes", 3, 5, "scale.nodes", "requirements.nodes", Severity.FAIL, "too many nodes", Outcome.UNMET,
        sources=(Source("post", section="2"),), waiver=waiver,
    )  # fmt: skip
    page = Page(_finding(finding, "d1"))
    (span,) = [e for e in page.elements if "waived" in e.classes]
    assert span.text == "waived: <b>accepted</b> by the board (until 2027-01-01)"
    assert _waiver(Finding("k", 1, 1, "a.b", "", Severity.PASS, "m", Outcome.MET)) == ""
    assert _waiver(SimpleNamespace(waiver="<i>string reason</i>")) == '<span class="waived">waived: &lt;i&gt;string reason&lt;/i&gt;</span>'


def test_a_failing_plugin_is_named_on_the_page(cli, registry, tmp_path):
    plugin = tmp_path / "broken_plugin.py"
    plugin.write_text(
        "from orchlint.hookspecs import hookimpl\nfrom orchlint.rulekit import Rule\n\n"
        "def check(_value, ctx):\n    raise RuntimeError('<b>boom</b>')\n\n"
        "@hookimpl\ndef orchlint_register_rules(register):\n"
        "    register(Rule(id='broken.rule', title='t', rationale='r', check=check))\n",
        encoding="utf-8",
    )
    result = cli("report", str(EXAMPLES / "logzio.yaml"), "--format", "html", "--plugin", str(plugin))
    assert result.exit_code == 3
    page = Page(result.output)
    assert_safe_page(page, result.output, cited_urls(registry))
    errors = page.by_id("plugin-errors").text
    assert "broken_plugin" in errors and "<b>boom</b>" in errors


# -- control characters (issue 17.14) ----------------------------------------------------------

CONTROL_PLUGIN = f"""
import datetime
from orchlint.hookspecs import hookimpl
from orchlint.model import Fact, Outcome, Platform, Source
from orchlint.rulekit import Judgement, Rule

EVIL = {HOSTILE_TEXT!r}


def check(_value, ctx):
    if ctx.platform.id != "zz-evil":
        return [Judgement(Outcome.MET, "met")]
    return [Judgement(Outcome.DEGRADED, "degraded " + EVIL, ctx.fact("zz.thing"))]


@hookimpl
def orchlint_register_rules(register):
    register(Rule(id="zz.controls", title=EVIL, rationale=EVIL + "\\n\\n``" + EVIL + "``", check=check, facts=("zz.thing",),
                  sources=(Source(EVIL, "https://example.org/rule", EVIL),)))


@hookimpl
def orchlint_register_platforms(register):
    register(Platform("zz-evil", EVIL, EVIL))


@hookimpl
def orchlint_register_facts(register):
    register(Fact("zz-evil", "zz.thing", EVIL, (Source(EVIL, "https://example.org/fact", EVIL, datetime.date(2020, 1, 1)),),
                  datetime.date(2024, 1, 1), valid_from=datetime.date(2020, 1, 1), from_release=EVIL, note=EVIL, posts_said=EVIL))
"""

CONTROL_FILE = f"""orchlint: 1
name: {HOSTILE_YAML}
target: zz-evil
requirements:
  nodes: 9000
waivers:
  - rule: scale.node-limit
    platform: kubernetes
    reason: {HOSTILE_YAML}
    owner: {HOSTILE_YAML}
    expires: 2027-01-01
"""


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_control_characters_from_the_file_and_plugins_never_reach_the_review(cli, tmp_path, fmt):
    """A review document is opened in a browser, and printed or piped to a terminal: raw ESC,
    OSC 52 (the clipboard), C1 controls and bidi overrides from a file name, the file, a
    waiver's owner or a plugin's platform, rule and fact are shown escaped, never written."""
    plugin = tmp_path / "control_plugin.py"
    plugin.write_text(CONTROL_PLUGIN, encoding="utf-8")
    path = write(tmp_path, CONTROL_FILE, "review\x1b]52;c;aGk=\x07\u202e.yaml")
    result = cli("report", path, "--format", fmt, "--plugin", str(plugin))
    assert result.exit_code in (0, 1), result.output
    assert raw_controls(result.output) == []
    if fmt == "markdown":
        # The text as the rendered Markdown shows it: escapes undone, except in code spans.
        parts = result.output.split("`")
        text = "`".join(part if index % 2 else re.sub(r"\\(.)", r"\1", part) for index, part in enumerate(parts))
    else:
        text = " ".join(Page(result.output).by_id("d1").text.split())
    assert "\\x1b]52;c;aGVsbG8=\\x07" in text and "\\u202egnp.exe" in text  # shown, as text
    assert "\\x1b]52;c;aGk=\\x07\\u202e.yaml" in text  # the file name too
    if fmt == "html":
        assert_safe_page(Page(result.output), result.output, {"https://example.org/rule", "https://example.org/fact"} | _urls(result.output))


def _urls(text: str) -> set[str]:
    return {e.attrs["href"] for e in Page(text).find("a") if not e.attrs.get("href", "#").startswith("#")}


def test_control_characters_in_plugin_errors_never_reach_the_page(cli, tmp_path):
    plugin = tmp_path / "broken_plugin.py"
    # A plugin's own words reach the page in its errors: here, a fact about a platform so named.
    plugin.write_text(
        "import datetime\nfrom orchlint.hookspecs import hookimpl\nfrom orchlint.model import Fact\n\n"
        "@hookimpl\ndef orchlint_register_facts(register):\n"
        f"    register(Fact({HOSTILE_TEXT!r}, {HOSTILE_TEXT!r}, True, (), datetime.date(2024, 1, 1)))\n",
        encoding="utf-8",
    )
    result = cli("report", str(EXAMPLES / "logzio.yaml"), "--format", "html", "--plugin", str(plugin))
    assert result.exit_code == 3
    assert raw_controls(result.output) == []
    assert "\\x1b]52;c;aGVsbG8=" in Page(result.output).by_id("plugin-errors").text


class _EvilDate(datetime.date):
    """A date whose text is markup: a plugin could hand one over where a date belongs."""

    def isoformat(self) -> str:
        return '<img src=x onerror="alert(1)">\x1b]52;c;aGk=\x07'

    __str__ = isoformat


def test_dates_are_escaped_and_cleaned_like_any_other_text():
    """The type check at registration refuses such a date; the page escapes one all the same."""
    evil = _EvilDate(2020, 1, 1)
    text = cite(Source("title", "https://example.org/a", "", evil))
    assert "<img" not in text and "&lt;img" in text and raw_controls(text) == []
    waiver = SimpleNamespace(reason="r", expires=evil)
    assert "<img" not in _waiver(SimpleNamespace(waiver=waiver))
