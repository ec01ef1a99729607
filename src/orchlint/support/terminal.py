"""Text bound for a terminal: user strings never reach it as escape sequences."""

from __future__ import annotations

import re

# C0/C1 controls (ESC starts every terminal sequence; a newline would forge a line of output),
# and the bidirectional overrides and separators that make a terminal show other text.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """User strings never reach the terminal as escape sequences."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)
