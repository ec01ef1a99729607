"""Hostile text for the outputs (issue 17.14): raw ESC, OSC 52, C1 controls and bidi overrides.

Every output that carries user or plugin text must show these as ``\\x1b``, ``\\u202e`` and so
on, never write them raw: a terminal runs them (OSC 52 writes the clipboard), and a bidi
override makes a reviewer read other text than is there.
"""

from __future__ import annotations

import re

# ESC [ (CSI), OSC 52 (write the clipboard) ended by BEL, a C1 CSI and NEL, the bidi overrides
# and isolates, NUL, and the markers \x00 and \x01 the diff's Markdown once used internally.
CONTROLS = "\x1b[31mred\x1b]52;c;aGVsbG8=\x07 \x9b2J\x85 \u202egnp.exe \u2066x\u2069 \u202a\u202b\u202c\u202d \x00\x01\x7f"
HOSTILE_TEXT = "evil " + CONTROLS

# In YAML (double-quoted), so that a requirements or rule file can carry the same text.
HOSTILE_YAML = '"evil \\e[31mred\\e]52;c;aGVsbG8=\\a \\x9b2J\\N \\u202egnp.exe \\u2066x\\u2069 \\u202a\\u202b\\u202c\\u202d \\0\\x01\\x7f"'

# Every character orchlint's cleaner shows escaped, but for the line feed and tab a document
# is made of.
_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def raw_controls(text: str) -> list[str]:
    """The control and bidi characters ``text`` holds raw, as escapes; [] when there is none."""
    return sorted({f"U+{ord(c):04X}" for c in _RAW.findall(text)})
