"""Helpers shared by the CI-format tests: the SARIF schema, strict XML, waived findings."""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
import xml.dom.minidom
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from orchlint.model import Finding, Waiver

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


def waive(finding: Finding, reason: str) -> Finding:
    """The finding as a ``waivers:`` entry of the requirements file marks it."""
    waiver = Waiver(finding.rule, reason, "team-platform", datetime.date(2027, 1, 31), line=12, column=5)
    return dataclasses.replace(finding, waiver=waiver)
