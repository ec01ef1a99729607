"""Text bound for a terminal: user strings never reach it as escape sequences."""

from __future__ import annotations

import re

# C0/C1 controls (ESC starts every terminal sequence; a newline would forge a line of output),
# and the bidirectional overrides and separators that make a terminal show other text.
_CONTROL = "[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
# The same, with the line feed let through: for text of several lines that is cleaned whole.
_CONTROL_BUT_NEWLINE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
# Compiled on first use: nearly every string is printable and never needs them (compiling the
# two took 0.4 ms of every start).
_compiled: dict[str, re.Pattern[str]] = {}


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _sub(pattern: str, text: str) -> str:
    compiled = _compiled.get(pattern)
    if compiled is None:
        compiled = _compiled[pattern] = re.compile(pattern)
    return compiled.sub(_shown, text)


def clean(text: str) -> str:
    """User strings never reach the terminal as escape sequences."""
    # Every character the pattern names is one isprintable() refuses (a control, a format
    # character or a separator), so a printable string has none of them.
    return text if text.isprintable() else _sub(_CONTROL, text)


def clean_lines(text: str) -> str:
    """``clean`` for text of several lines: its line feeds stay, every other control is shown."""
    return _sub(_CONTROL_BUT_NEWLINE, text)
