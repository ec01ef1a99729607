"""orchlint's exit codes, the one table every command uses.

``EXIT_CODES`` says what each means: ``orchlint check --help`` is built from it, and the
README's and docs/commands.md's tables are tested against it.
"""

from __future__ import annotations

from orchlint.model import Severity

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_PLUGIN = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_TERMINATED = 143  # 128 + SIGTERM

EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "every file has a viable deciding platform: one with no finding at or above --fail-on"),
    (EXIT_FINDINGS, "some file has no viable deciding platform"),
    (EXIT_INPUT, "a file, option, configuration or rule file could not be processed"),
    (EXIT_PLUGIN, "a plugin failed: it is named, and the other rules still ran"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C); no output is left half-written"),
    (EXIT_TERMINATED, "terminated (SIGTERM: a cancelled CI job, `timeout`); no output is left half-written"),
)
EXIT_PRECEDENCE = "When several apply, 2 wins over 3, and 3 over 1."


def exit_codes_help(*notes: str) -> str:
    """The exit codes for a command's --help: the table, then ``notes``, then which code wins."""
    table = "\n".join(f"  {code:<3}  {meaning}" for code, meaning in EXIT_CODES)
    return "\b\nExit codes:\n" + table + "".join(f"\n{note}" for note in notes) + f"\n\n{EXIT_PRECEDENCE}"


def exit_codes_table() -> str:
    """The same table in Markdown, as the README and docs/commands.md have it."""
    rows = "".join(f"| {code} | {meaning} |\n" for code, meaning in EXIT_CODES)
    return "| code | meaning |\n|---|---|\n" + rows


# --fail-on: the severity at which a finding makes a platform not viable (never: none does).
FAIL_ON = {"fail": Severity.FAIL, "warn": Severity.WARN, "never": None}
