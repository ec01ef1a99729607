"""Which rules run and how loud they are: select, ignore and severity overrides.

Patterns are rule ids or id prefixes, as in flake8 and ruff: ``storage`` covers
``storage.types`` and ``storage.external-volume-scaling``. When several patterns cover a rule,
the longest one wins, so ``ignore: [storage]`` with ``select: [storage.types]`` keeps only
``storage.types``. On a tie, ignore wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field
from types import MappingProxyType

from orchlint.model import Frozen, Severity, record

# What a severity override may set. Unknowns are not a level: overrides never touch them
# (``fail_on_unknown`` gates them instead).
LEVELS = {s.label: s for s in (Severity.PASS, Severity.WARN, Severity.FAIL)}


@record  # a dataclass with shared methods: see orchlint.model
class Policy(Frozen):
    """Which rules run and the severity overrides (see the module's docstring)."""

    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=lambda: MappingProxyType({}))

    def __init__(self, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), severity: Mapping[str, Severity] | None = None) -> None:
        severity = MappingProxyType({}) if severity is None else severity  # the default_factory
        self.__dict__.update(select=select, ignore=ignore, severity=severity)

    def enabled(self, rule_id: str) -> bool:
        selected = _longest(rule_id, self.select) if self.select else 0
        if selected is None:
            return False
        ignored = _longest(rule_id, self.ignore)
        return ignored is None or ignored < selected

    def override(self, rule_id: str) -> Severity | None:
        """The severity a non-passing finding of this rule is set to, if the user chose one."""
        best: tuple[int, Severity] | None = None
        for pattern, level in self.severity.items():
            if _covers(pattern, rule_id) and (best is None or len(pattern) > best[0]):
                best = (len(pattern), level)
        return best[1] if best else None

    def stamp(self, rule_id: str, severity: Severity) -> Severity:
        if severity is Severity.PASS or severity is Severity.UNKNOWN:
            return severity
        level = self.override(rule_id)
        return severity if level is None else level

    def unused(self, rule_ids: Iterable[str]) -> list[tuple[str, str, str]]:
        """Patterns that have no effect: (setting, pattern, why)."""
        ids = sorted(rule_ids)
        out = []
        for setting, patterns in (("select", self.select), ("ignore", self.ignore), ("severity", tuple(self.severity))):
            for pattern in patterns:
                covered = [r for r in ids if _covers(pattern, r)]
                if not covered:
                    out.append((setting, pattern, "matches no rule"))
                elif setting in ("select", "severity") and not any(self.enabled(r) for r in covered):
                    out.append((setting, pattern, "every rule it matches is ignored or not selected"))
                elif setting == "ignore" and self._ignore_is_redundant(pattern, covered):
                    out.append((setting, pattern, "every rule it matches is already left out without it"))
        return out

    def _ignore_is_redundant(self, pattern: str, covered: list[str]) -> bool:
        without = Policy(self.select, tuple(p for p in self.ignore if p != pattern), self.severity)
        return not any(without.enabled(r) for r in covered)


def _covers(pattern: str, rule_id: str) -> bool:
    return rule_id.startswith(pattern)


def _longest(rule_id: str, patterns: Iterable[str]) -> int | None:
    lengths = [len(p) for p in patterns if _covers(p, rule_id)]
    return max(lengths) if lengths else None


def parse_severity_items(items: Iterable[str]) -> dict[str, Severity]:
    """``RULE=LEVEL`` strings from the command line; raises ValueError with a plain message."""
    out: dict[str, Severity] = {}
    for item in items:
        pattern, sep, level = item.partition("=")
        if not sep or not pattern.strip():
            raise ValueError(f"expected RULE=LEVEL, got {item!r}")
        if level.strip() not in LEVELS:
            raise ValueError(f"{item!r}: level must be one of {', '.join(LEVELS)}")
        out[pattern.strip()] = LEVELS[level.strip()]
    return out


def split_patterns(values: Iterable[str]) -> tuple[str, ...]:
    """``--select a,b --select c`` -> ("a", "b", "c")."""
    return tuple(p.strip() for value in values for p in value.split(",") if p.strip())
