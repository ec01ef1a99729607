"""Keys that identify a finding across edits of the file: never a line, never a list position.

A finding on a list item (``requirements.storage.types[1]``) is keyed by the item's value
(``requirements.storage.types[aws-ebs]``), so adding an item in front of it neither hides it
from a baseline nor makes a diff report it as changed.
"""

from __future__ import annotations

import re
from typing import Any

_INDEX = re.compile(r"\[(\d+)\]")


def stable_requirement(requirement: str, requirements: Any) -> str:
    """``requirements.storage.types[1]`` → ``requirements.storage.types[aws-ebs]`` (scalars only)."""
    if "[" not in requirement or not requirement.startswith("requirements."):
        return requirement
    out: list[str] = []
    node: Any = {"requirements": requirements}
    position = 0
    for match in re.finditer(r"([^.\[]+)|\[(\d+)\]", requirement):
        key, index = match.group(1), match.group(2)
        if key is not None:
            out.append(("." if out else "") + key)
            node = node.get(key) if isinstance(node, dict) else None
        else:
            item = node[int(index)] if isinstance(node, list) and int(index) < len(node) else None
            scalar = isinstance(item, (str, int, float, bool)) and "]" not in str(item)
            out.append(f"[{item}]" if scalar else f"[{index}]")
            node = item
        position = match.end()
    return "".join(out) if position == len(requirement) else requirement


def locate_path(requirement: str, requirements: Any) -> tuple[Any, ...]:
    """The data path of a stable requirement key, for pointing at it in the file; () if gone."""
    path: list[Any] = []
    node: Any = {"requirements": requirements}
    for match in re.finditer(r"([^.\[]+)|\[([^\]]*)\]", requirement):
        key, item = match.group(1), match.group(2)
        if key is not None:
            if not isinstance(node, dict) or key not in node:
                return tuple(path)
            path.append(key)
            node = node[key]
        elif isinstance(node, list):
            found = next((i for i, v in enumerate(node) if str(v) == item or (item.isdigit() and i == int(item))), None)
            if found is None:
                return tuple(path)
            path.append(found)
            node = node[found]
    return tuple(path)
