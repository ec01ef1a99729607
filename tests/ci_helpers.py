"""Helpers shared by the CI-format tests: the SARIF schema, strict XML, waived findings."""

from __future__ import annotations

import dataclasses
import io
import json
import xml.dom.minidom
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from orchlint.model import Finding

# A copy of the official OASIS schema: CI runs on a clean clone, without ../shared.
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


@lru_cache(maxsize=1)
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def valid_sarif(text: str) -> dict[str, Any]:
    """The parsed log; fails the test with every schema violation if it is not valid SARIF 2.1.0."""
    log = json.loads(text)
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    return log


def strict_xml(text: str) -> ET.Element:
    """Parse with expat twice (DOM and ElementTree): any well-formedness error raises."""
    xml.dom.minidom.parseString(text.encode("utf-8"))
    return ET.parse(io.BytesIO(text.encode("utf-8"))).getroot()


@dataclasses.dataclass(frozen=True)
class Waiver:
    reason: str
    owner: str = ""
    expires: str = ""


@dataclasses.dataclass(frozen=True, order=True)
class WaivedFinding(Finding):
    """A finding as issue 6's waivers will mark it: the formats read ``waiver`` with getattr."""

    waiver: Any = dataclasses.field(compare=False, default=None)


def waive(finding: Finding, reason: str) -> WaivedFinding:
    values = {f.name: getattr(finding, f.name) for f in dataclasses.fields(Finding)}
    return WaivedFinding(**values, waiver=Waiver(reason, "team-platform", "2027-01-31"))
