"""Built-in output formats, registered through the same hook a plugin would use."""

from __future__ import annotations

from collections.abc import Callable

from orchlint.formatters.base import Formatter, RunInfo
from orchlint.hookspecs import hookimpl

__all__ = ["Formatter", "RunInfo"]


@hookimpl
def orchlint_register_formatters(register: Callable[[type[Formatter]], None]) -> None:
    from orchlint.formatters.github import GithubFormatter
    from orchlint.formatters.html import HtmlFormatter
    from orchlint.formatters.json_format import JsonFormatter
    from orchlint.formatters.junit import JunitFormatter
    from orchlint.formatters.markdown import MarkdownFormatter
    from orchlint.formatters.sarif import SarifFormatter
    from orchlint.formatters.text import TextFormatter

    register(TextFormatter)
    register(JsonFormatter)
    register(MarkdownFormatter)
    register(HtmlFormatter)
    register(SarifFormatter)
    register(JunitFormatter)
    register(GithubFormatter)
