"""``orchlint report --format html``: golden files, the page's structure, and hostile strings.

Regenerate the golden files after an intended change with:
ORCHLINT_UPDATE_GOLDEN=1 pytest tests/formatters/test_html_report.py
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from orchlint.formatters.html import _finding, _waiver
from orchlint.model import Finding, Outcome, Severity, Source

from ..conftest import EXAMPLES, ROOT, write

GOLDEN = Path(__file__).parent.parent / "golden"
EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
SECTIONS = ["summary", "requirements", "ranking", "matrix", "to-change", "findings", "rules", "knowledge"]
VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
# Everything the page may contain; a script, image, frame, form or external style sheet is a bug.
ALLOWED = {
    "html", "head", "meta", "title", "style", "body", "main", "article", "section", "footer",
    "h1", "h2", "h3", "p", "div", "span", "strong", "code", "a", "ul", "li", "dl", "dt", "dd",
    "table", "tr", "th", "td",
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
    assert sections == SECTIONS
    assert "@media print" in page.find("style")[0].text
    # The knowledge note lists every source with its date, or says it has none.
    rows = [row.cells() for row in page.by_id("d1-knowledge").descendants("tr")]
    assert rows[0] == ["source", "section", "dated", "address"] and len(rows) > 1
    assert all(row[2] == "undated" or dt.date.fromisoformat(row[2]) for row in rows[1:])


def test_logzio_review_recommends_kubernetes_and_says_what_would_have_to_change(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    page = Page(cli("report", "examples/logzio.yaml", "--format", "html").output)
    assert "Recommended: Kubernetes (no requirement fails" in page.by_id("d1-summary").text
    requirements = [row.cells() for row in page.by_id("d1-requirements").descendants("tr")]
    assert requirements[2] == ["production", "true", "must"]
    matrix = {" ".join(c.text.split()): c.classes for c in page.find("td") if c.classes & {"pass", "warn", "fail"}}
    assert matrix == {"✓ pass": {"pass"}, "⚠ warn": {"warn"}, "✗ fail": {"fail"}}  # colour and symbol agree
    to_change = " ".join(page.by_id("d1-to-change").text.split())
    assert "Docker Swarm (swarm mode) swarm: requirements.large_community (must): a large community" in to_change
    assert "lifecycle.maintained (every file; cannot be relaxed)" in to_change
    platforms = [" ".join(h.text.split()) for h in page.find("h3")]
    assert platforms[0] == "Kubernetes kubernetes ✓ pass" and platforms[-1] == "Mesosphere DC/OS dcos ✗ fail"
    assert page.by_id("d1-platform-swarm").text.count("Sources:") == 7  # every finding cites its sources


def test_markdown_review_has_the_same_what_would_have_to_change_section(cli):
    text = cli("report", str(EXAMPLES / "logzio.yaml")).output
    section = text[text.index("## What would have to change") : text.index("## What changed since")]
    assert "- **Docker Swarm (swarm mode)** (`swarm`):\n  - `requirements.large_community` (must): a large community" in section
    assert "`lifecycle.maintained` (every file; cannot be relaxed)" in section
    viable = cli("report", str(EXAMPLES / "logzio.yaml"), "--platform", "kubernetes").output
    assert "No platform fails; nothing would have to change." in viable


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
    assert HOSTILE in page.by_id("d1-findings").text  # shown, as text
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
