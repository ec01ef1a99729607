"""Tell whether a shipped source file still is what a generated module was built from.

Generated modules (the schema validator, the compiled knowledge) record the fingerprint of
each file they were built from, and are used only while every fingerprint still matches, so an
edited schema or fact file is never shadowed by a stale build. Length plus CRC-32 is enough to
catch an edit and costs microseconds; hashlib would cost more to import than all of it.
"""

from __future__ import annotations

import os
from typing import Any


def fingerprint(data: bytes) -> tuple[int, int]:
    import zlib  # here: an installed copy never needs it (see unchanged)

    return (len(data), zlib.crc32(data))


def fingerprint_file(path: str) -> tuple[int, int] | None:
    """The fingerprint of the file at ``path``; None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return fingerprint(handle.read())
    except OSError:
        return None


# In an installed copy (a wheel unpacked into site-packages) the shipped files are what the build
# compiled: nobody is meant to edit them, and pip's RECORD holds their hashes. There only the
# length is compared, which costs a stat instead of reading every fact and rule file on each
# start (about 2 ms). In a checkout or an editable install, where editing them is the point,
# the whole fingerprint is compared.
INSTALLED = any(f"{os.sep}{d}{os.sep}" in __file__ for d in ("site-packages", "dist-packages"))


def unchanged(path: str, printed: Any) -> bool:
    """Whether the file at ``path`` still is the one whose fingerprint was ``printed``."""
    if not INSTALLED:
        return fingerprint_file(path) == printed
    try:
        return os.stat(path).st_size == printed[0]
    except (OSError, TypeError, IndexError):
        return False
