"""What the CI formats (sarif, junit, github) share: where a finding is, and whether it is waived."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from orchlint.model import Finding, Severity

LEVEL = {Severity.FAIL: "error", Severity.WARN: "warning", Severity.PASS: "note", Severity.UNKNOWN: "note"}


def waiver_of(finding: Finding) -> Any:
    """The waiver that covers a finding, if any.

    Waivers (issue 6) add a ``waiver`` attribute to findings; reading it with getattr keeps the
    CI formats working whether or not a given build has waivers.
    """
    return getattr(finding, "waiver", None)


def waiver_reason(waiver: Any) -> str:
    reason = getattr(waiver, "reason", None)
    if reason is None and isinstance(waiver, dict):
        reason = waiver.get("reason")
    return str(reason if reason is not None else waiver)


def waiver_details(waiver: Any) -> dict[str, str]:
    """Owner, expiry and the like, for formats with room for them."""
    out = {}
    for key in ("owner", "expires", "rule", "platform", "requirement"):
        value = waiver.get(key) if isinstance(waiver, dict) else getattr(waiver, key, None)
        if value not in (None, ""):
            out[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return out


def is_reported(finding: Finding) -> bool:
    """Warn and fail findings are problems, and unknowns are said (as notes); passes are not."""
    return finding.severity is not Severity.PASS


def repo_path(path: str) -> str | None:
    """``path`` relative to the working directory (the repository root in CI), with ``/``
    separators, or None when the file lies outside it."""
    candidate = Path(path)
    if not candidate.is_absolute():
        normal = os.path.normpath(path)
        if normal != ".." and not normal.startswith(".." + os.sep):
            return PurePosixPath(*Path(normal).parts).as_posix()
        candidate = Path.cwd() / candidate
    try:
        return candidate.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return None


def artifact_uri(path: str) -> tuple[str, bool]:
    """A file's URI for SARIF, and whether it is relative (to ``%SRCROOT%``).

    Relative URIs keep reports identical on every clone; code scanning matches them against
    files in the repository. A file outside the working directory gets an absolute ``file:`` URI.
    """
    relative = repo_path(path)
    if relative is None:
        return Path(path).resolve().as_uri(), False
    return quote(relative, errors="surrogateescape"), True  # undecodable file names keep their bytes
