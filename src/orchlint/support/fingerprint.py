"""Tell whether a shipped source file still is what a generated module was built from.

Generated modules (the schema validator, the compiled knowledge) record the fingerprint of
each file they were built from, and are used only while every fingerprint still matches, so an
edited schema or fact file is never shadowed by a stale build. Length plus CRC-32 is enough to
catch an edit and costs microseconds; hashlib would cost more to import than all of it.
"""

from __future__ import annotations

import zlib


def fingerprint(data: bytes) -> tuple[int, int]:
    return (len(data), zlib.crc32(data))


def fingerprint_file(path: str) -> tuple[int, int] | None:
    """The fingerprint of the file at ``path``; None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return fingerprint(handle.read())
    except OSError:
        return None
