"""One table of exit codes (issue 18, item 5): ``orchlint check --help``, the README and
docs/commands.md all say what ``support.exits.EXIT_CODES`` says, word for word."""

from __future__ import annotations

import re

from orchlint.support.exits import EXIT_CODES, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_INTERRUPTED, EXIT_PLUGIN, EXIT_TERMINATED, EXIT_PRECEDENCE

from ..conftest import ROOT


def _markdown_table(page: str) -> list[tuple[int, str]]:
    text = (ROOT / page).read_text(encoding="utf-8")
    (table,) = re.findall(r"^\| code \| meaning \|\n\|---\|---\|\n((?:\|.*\|\n)+)", text, re.M)
    return [(int(code), meaning) for code, meaning in re.findall(r"^\| (\d+) \| (.*) \|$", table, re.M)]


def test_the_table_covers_every_code_once():
    assert [code for code, _ in EXIT_CODES] == [EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_PLUGIN, EXIT_INTERRUPTED, EXIT_TERMINATED]


def test_check_help_prints_the_table(cli):
    text = cli("check", "--help").output
    shown = [(int(code), meaning) for code, meaning in re.findall(r"^    (\d+) +(.*)$", text, re.M)]
    assert shown == list(EXIT_CODES)
    assert EXIT_PRECEDENCE in text


def test_the_readme_and_the_commands_page_have_the_same_table():
    for page in ("README.md", "docs/commands.md"):
        assert _markdown_table(page) == list(EXIT_CODES), page
        assert EXIT_PRECEDENCE in (ROOT / page).read_text(encoding="utf-8"), page
