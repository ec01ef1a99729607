"""Built-in output formats, registered through the same hook a plugin would use.

Each is registered as a light stand-in class that imports its module only when the format is
used: a run that prints text should not pay for XML, SARIF and HTML at start-up (about 20 ms).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from orchlint.formatters.base import Formatter, RunInfo
from orchlint.hookspecs import hookimpl

__all__ = ["Formatter", "RunInfo"]

# name -> (module, class, description); tests check these against the classes themselves.
BUILTIN = {
    "text": ("orchlint.formatters.text", "TextFormatter", "one line per finding (file:line:col platform severity rule message), then a verdict matrix"),
    "json": ("orchlint.formatters.json_format", "JsonFormatter", "one JSON document: files, their platforms' verdicts and findings with sources"),
    "markdown": ("orchlint.formatters.markdown", "MarkdownFormatter", "architecture-review document in Markdown (one per file)"),
    "html": ("orchlint.formatters.html", "HtmlFormatter", "architecture-review document as one self-contained HTML page (inline CSS, no scripts)"),
    "sarif": ("orchlint.formatters.sarif", "SarifFormatter", "SARIF 2.1.0 for GitHub code scanning: warn and fail findings at their line and column"),
    "junit": ("orchlint.formatters.junit", "JunitFormatter", "JUnit XML for Jenkins and GitLab: a testsuite per file and platform, a testcase per rule"),
    "github": ("orchlint.formatters.github", "GithubFormatter", "GitHub Actions annotations: ::error for fail, ::warning for warn, ::notice for unknown, the most important first"),
}


def lazy_formatter(name: str, module: str, attr: str, description: str = "") -> type[Formatter]:
    """A Formatter class standing in for ``module.attr``: instantiating it imports the module
    and returns an instance of the real class."""

    def load() -> type[Formatter]:
        return getattr(importlib.import_module(module), attr)

    def __new__(cls: type, *args: Any, **kwargs: Any) -> Formatter:
        return load()(*args, **kwargs)

    return type(attr, (Formatter,), {"name": name, "description": description, "__new__": __new__, "load": staticmethod(load), "__module__": module})


@hookimpl
def orchlint_register_formatters(register: Callable[[type[Formatter]], None]) -> None:
    for name, (module, attr, description) in BUILTIN.items():
        register(lazy_formatter(name, module, attr, description))
