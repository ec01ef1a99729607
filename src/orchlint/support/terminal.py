"""Text bound for a terminal: user strings never reach it as escape sequences."""

from __future__ import annotations

import re

# C0/C1 controls (ESC starts every terminal sequence; a newline would forge a line of output),
# and the bidirectional overrides and separators that make a terminal show other text.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# The same, with the line feed let through: for text of several lines that is cleaned whole.
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """User strings never reach the terminal as escape sequences."""
    return _CONTROL.sub(_shown, text)


def clean_lines(text: str) -> str:
    """``clean`` for text of several lines: its line feeds stay, every other control is shown."""
    return _CONTROL_BUT_NEWLINE.sub(_shown, text)
