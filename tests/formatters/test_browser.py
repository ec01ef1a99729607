"""The HTML review document in a real browser: headless Chromium renders every example.

Skipped only when Chromium is not installed; ``.ci/run`` installs Debian's ``chromium``.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import tempfile
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ..browser import FLAGS, chromium, dump_dom, screenshot
from ..conftest import EXAMPLES, ROOT, write
from ..pngread import decode

EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
needs_chromium = pytest.mark.skipif(chromium() is None, reason="chromium is not installed (.ci/run installs it: apt-get install chromium)")

WHITE = (255, 255, 255)
PAGE = (0xF6, 0xF8, 0xFA)  # the page background around the document
# The matrix's cell backgrounds: a rendered review shows the shape of the verdicts in colour.
CELL = {"pass": (0xDC, 0xF5, 0xE3), "warn": (0xFF, 0xF1, 0xC2), "fail": (0xFD, 0xE0, 0xDD)}


def _report(cli, example: str, out: Path) -> str:
    result = cli("report", str(EXAMPLES / f"{example}.yaml"), "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@needs_chromium
@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_chromium_renders_the_review_of_every_example(cli, monkeypatch, tmp_path, example):
    monkeypatch.chdir(ROOT)
    page = tmp_path / f"{example}.html"
    text = _report(cli, example, page)
    image = decode(screenshot(page, tmp_path / f"{example}.png"))
    assert (image.width, image.height) == (1280, 2000)
    colours = image.pixels()
    total = image.width * image.height
    drawn = total - colours[WHITE] - colours[PAGE]
    # A blank or failed page is one or two flat colours; a review has text, tables and badges.
    assert len(colours) > 200, f"only {len(colours)} colours: is the page blank?"
    assert drawn > total // 50, f"only {drawn} of {total} pixels drawn"
    shown = {sev for sev in CELL if f'<td class="{sev}">' in text}
    assert shown, "the matrix has no verdict cells"
    for sev in shown:
        assert colours[CELL[sev]] > 500, f"the matrix's {sev} colour is missing from the screenshot"


# What a board reads: issue 16 held every example to four pages with six platforms; with the
# four Kubernetes distributions (issue 19) ten platforms are judged, and the longest example
# (checkout-platform, eight platforms in the running) takes a fifth.
MAX_PAGES = 5
PDF_PAGE = rb"/Type\s*/Page[^s]"  # a page object; /Pages is the tree above them


def print_to_pdf(page: Path, pdf: Path) -> int:
    """Print the page as Chromium prints it (A4 from the page's own @page rule, no header or
    footer) and count the PDF's pages."""
    binary = chromium()
    assert binary is not None
    with tempfile.TemporaryDirectory(prefix="orchlint-chromium-") as profile:
        command = [binary, *FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.resolve().as_uri()]
        done = subprocess.run(command, capture_output=True, timeout=180, check=False)
    assert pdf.exists(), f"chromium wrote no PDF (exit {done.returncode}): {done.stderr.decode()[-2000:]}"
    return len(re.findall(PDF_PAGE, pdf.read_bytes()))


@needs_chromium
@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_the_review_of_every_example_prints_to_at_most_five_a4_pages(cli, monkeypatch, tmp_path, example):
    monkeypatch.chdir(ROOT)
    page = tmp_path / f"{example}.html"
    _report(cli, example, page)
    pages = print_to_pdf(page, tmp_path / f"{example}.pdf")
    assert 1 <= pages <= MAX_PAGES, f"{example}: {pages} printed pages"


@needs_chromium
def test_the_page_counter_counts_pages(tmp_path):
    # The test above means something only if a long document counts as long.
    page = tmp_path / "long.html"
    page.write_text("<!DOCTYPE html><style>@page { size: A4 }</style>" + "<p>line</p>" * 400, encoding="utf-8")
    assert print_to_pdf(page, tmp_path / "long.pdf") > MAX_PAGES


@needs_chromium
def test_hostile_name_is_text_in_the_browser(cli, tmp_path):
    # If any of this ran or parsed as markup, the DOM Chromium built would show it.
    name = "<script>document.title='pwned'</script><img src=x onerror=\"document.body.dataset.pwned=1\">"
    path = write(tmp_path, f"orchlint: 1\nname: {json.dumps(name)}\n")
    page = tmp_path / "hostile.html"
    result = cli("report", path, "--format", "html", "-o", str(page))
    assert result.exit_code == 0
    dom = dump_dom(page)
    tags = _tags(dom)
    assert "script" not in tags and "img" not in tags
    assert "pwned" not in dom.replace(_escaped(name), "")  # the payload appears only as escaped text
    assert f"<h1>Architecture review: {_escaped(name)}</h1>" in dom
    assert f"<title>Architecture review: {_escaped(name)}</title>" in dom


def _escaped(text: str) -> str:
    # How Chromium serialises text nodes: & < > become entities, quotes stay as they are.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _tags(dom: str) -> set[str]:
    found: set[str] = set()

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            found.add(tag)

    Tags().feed(dom)
    return found


def _png(rows: list[bytes], width: int) -> bytes:
    """A PNG whose rows use every filter in turn, to test the decoder against the spec."""
    raw, prev = b"", bytes(width * 3)
    for y, row in enumerate(rows):
        kind = y % 5
        out = bytearray()
        for i, x in enumerate(row):
            a = row[i - 3] if i >= 3 else 0
            b, c = prev[i], (prev[i - 3] if i >= 3 else 0)
            p = a + b - c
            paeth = a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c
            out.append((x - (0, a, b, (a + b) // 2, paeth)[kind]) & 255)
        raw += bytes([kind]) + bytes(out)
        prev = row

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def test_png_decoder_undoes_every_filter():
    rows = [bytes((x * 37 + y * 101 + (x * y) % 251) & 255 for x in range(30)) for y in range(12)]
    image = decode(_png(rows, 10))
    assert (image.width, image.height) == (10, 12)
    assert image.rows == rows
