"""When the engine may reuse a judgement instead of calling the rule again.

A rule is assumed deterministic: given the same inputs it returns the same judgements. Its
inputs are its own requirement's value, the other requirements it reads, the platform, the
facts in effect and, if it looks at it, the evaluation day. The engine watches what each rule
reads (``rulecall.Watched``, ``rulecall.WatchedContext``), so a key here names exactly that:

- requirements: the value of every key the rule was ever seen reading on that platform (a key
  the file lacks differs from one it states as null); a rule that iterated them all (``_ALL``)
  is never reused;
- facts: the fact keys the rule was ever seen reading on that platform, and the span between
  two days on which one of their facts starts or ends, so every day of one span sees the same
  facts. A re-review on a decided day reuses what today's check judged whenever the facts this
  rule reads did not change in between, whatever else changed in the knowledge;
- the day itself only for inputs with which the rule was seen reading it (stored as ``_DAY``
  under the key, the judgements under (key, day)).

A second memo keeps a rule's judgements on every platform at once (a row), keyed by what it
read on any of them and the span of all their facts' days, so a file like an earlier one costs
one lookup per rule rather than one per rule and platform.

Memory is bounded: two generations of entries, whatever the number of files.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from orchlint.engine.frozen import NO_KEY, Watched, memo_key
from orchlint.rulekit import Judgement, Rule

if TYPE_CHECKING:
    from orchlint.plugins.registry import Registry

# Entries per generation: bounds memory however many files a run reads. At least MEMO_LIMIT,
# more for a run with more rules (a team's policy plugin): MEMO_PER_PAIR for each rule on each
# platform, or the rules would crowd each other out (100 extra plugin rules at 4,096: 67,000
# rule calls on 1,000 files; at 16,384: 46,000).
MEMO_LIMIT = 4096
MEMO_PER_PAIR = 10
# Rows per generation: a row holds a rule's judgements on every platform alive. At least
# ROW_LIMIT, or ROWS_PER_RULE for each rule, as the memo grows with the rules. On 10,000 files,
# --jobs 1, orchlint's 43 rules alone, peak memory and time (medians of 4 alternating runs):
# 1,024 rows 47.5 MB, 8.5 s; 512 rows 42.6 MB, 8.7 s; 256 saves 2.5 MB more for ~10% more time.
ROW_LIMIT = 512
ROWS_PER_RULE = 12
_ALL = "*"  # a rule's reads when it iterated the requirements: its judgements are never reused


class Judged:
    """A rule's judgements on one platform for one input, and the same stamped per priority."""

    __slots__ = ("judgements", "stamped", "day_read")

    def __init__(self, judgements: tuple[Judgement, ...]) -> None:
        self.judgements = judgements
        self.stamped: dict[str, tuple[Any, ...]] = {}
        self.day_read = False  # kept for one day only: the rule read the day itself


_DAY: Any = object()  # in the memo: judged per day, under (key, day)


class _Memo:
    """Two generations: when the newer one is full it becomes the older one, so what a
    monorepo keeps using survives and memory stays bounded."""

    __slots__ = ("new", "old", "limit")

    def __init__(self, limit: int) -> None:
        self.new: dict[Any, Any] = {}
        self.old: dict[Any, Any] = {}
        self.limit = limit

    def get(self, key: Any) -> Any:
        hit = self.new.get(key)
        if hit is None:
            hit = self.old.get(key)
            if hit is not None:
                self.put(key, hit)
        return hit

    def put(self, key: Any, value: Any) -> None:
        if len(self.new) >= self.limit:
            self.old, self.new = self.new, {}
        self.new[key] = value


class Reuse:
    def __init__(self, registry: Registry, rules: int = 0) -> None:
        """``rules``: how many rules the engine runs, to size the memo by."""
        self.registry = registry
        self._memo = _Memo(max(MEMO_LIMIT, MEMO_PER_PAIR * rules * len(registry.platforms)))
        # A rule's judgements on every platform at once, for a file like one before: one lookup
        # instead of one per platform (a run judges each rule on every platform it knows).
        self._rows = _Memo(max(ROW_LIMIT, ROWS_PER_RULE * rules))
        # (rule id, platform id) -> the sorted requirement keys it was ever seen reading, or _ALL
        self._reads: dict[tuple[str, str], Any] = {}
        # (rule id, platform id) -> (the sorted fact keys it was ever seen reading, the days on
        # which one of their facts starts or ends, sorted)
        self._facts: dict[tuple[str, str], tuple[tuple[str, ...], list[_dt.date]]] = {}
        self._row_reads: dict[str, Any] = {}  # rule id -> what it read on any platform, or _ALL
        # rule id -> (the platforms, a token for what it reads on them, the days on which one
        # of those facts starts or ends on one of them); dropped whenever what it reads widens
        self._row_facts: dict[str, tuple[tuple[str, ...], int, list[_dt.date]]] = {}
        self._tokens = 0
        self._changes: dict[tuple[str, str], frozenset[_dt.date]] = {}  # (platform, fact key) -> its days

    def key(self, rule: Rule, platform_id: str, own: Any, requirements: Mapping[str, Any], day: _dt.date) -> Any:
        """The input of a rule on a platform, but the day (``own`` is ``memo_key`` of its own
        value). None: never reused."""
        pair = (rule.id, platform_id)
        reads = self._reads.get(pair, ())
        if reads is _ALL:
            return None
        facts = self._facts.get(pair)
        held = (None, 0) if facts is None else (facts[0], bisect.bisect_right(facts[1], day))
        if not reads:
            return (rule.id, platform_id, held, own)
        looked = _looked(reads, requirements)
        return None if looked is None else (rule.id, platform_id, held, own, reads, looked)

    def row_key(self, rule: Rule, platforms: tuple[str, ...], own: Any, requirements: Mapping[str, Any], day: _dt.date) -> Any:
        """The input of a rule on all ``platforms`` at once: what it read on any of them, and
        which span of its facts' days on all of them ``day`` falls in. None: never reused."""
        rule_id = rule.id
        reads = self._row_reads.get(rule_id, ())
        if reads is _ALL:
            return None
        row = self._row_facts.get(rule_id)
        if row is None or row[0] != platforms:
            days = set()
            for platform_id in platforms:
                facts = self._facts.get((rule_id, platform_id))
                days.update(facts[1] if facts is not None else ())
            self._tokens += 1  # never given out twice: a stale key can never match a new one
            row = self._row_facts[rule_id] = (platforms, self._tokens, sorted(days))
        held = (row[1], bisect.bisect_right(row[2], day))
        if not reads:
            return (rule_id, held, own)
        looked = _looked(reads, requirements)
        return None if looked is None else (rule_id, held, own, reads, looked)

    def recall_row(self, key: Any) -> tuple[tuple[int, Judged], ...] | None:
        """(platform index, judged) for each platform with a judgement: a rule that passes
        silently on most files then costs nothing per platform."""
        return self._rows.get(key)

    def keep_row(self, key: Any, row: list[Judged]) -> None:
        """Only rows judged alike on every day of their spans: none read the day itself."""
        if not any(judged.day_read for judged in row):
            self._rows.put(key, tuple((index, judged) for index, judged in enumerate(row) if judged.judgements))

    def recall(self, key: Any, day: _dt.date) -> Judged | None:
        judged = self._memo.get(key)
        if judged is _DAY:  # with these inputs the rule read the day itself: judged per day
            judged = self._memo.get((key, day))
        return judged

    def keep(self, key: Any, day: _dt.date, judged: Judged, day_read: bool) -> None:
        if day_read:
            judged.day_read = True
            self._memo.put(key, _DAY)
            key = (key, day)
        self._memo.put(key, judged)

    def note_reads(self, rule: Rule, platform_id: str, watched: Watched, facts: set[str]) -> bool:
        """What a call of the rule read widens what its later inputs are compared on. Whether it
        did: if not, the rule's key for this input is the one it had before the call."""
        pair = (rule.id, platform_id)
        widened = False
        known_facts = self._facts.get(pair)
        if (known_facts is None and facts) or (known_facts is not None and not facts.issubset(known_facts[0])):
            wider = tuple(sorted(facts.union(known_facts[0] if known_facts else ())))
            self._facts[pair] = (wider, sorted({d for fact_key in wider for d in self._days(platform_id, fact_key)}))
            self._row_facts.pop(rule.id, None)
            widened = True
        known = self._reads.get(pair, ())
        if known is _ALL:
            return widened
        if watched.everything:
            self._reads[pair] = self._row_reads[rule.id] = _ALL
            return True
        if not watched.read.issubset(known):
            self._reads[pair] = tuple(sorted(watched.read.union(known)))
            row = self._row_reads.get(rule.id, ())
            if row is not _ALL and not watched.read.issubset(row):
                self._row_reads[rule.id] = tuple(sorted(watched.read.union(row)))
            return True
        return widened

    def _days(self, platform_id: str, fact_key: str) -> frozenset[_dt.date]:
        days = self._changes.get((platform_id, fact_key))
        if days is None:  # without making the key's facts, if no rule has read them yet
            days = self._changes[platform_id, fact_key] = self.registry.knowledge.days(platform_id, fact_key)
        return days


def _looked(reads: tuple[str, ...], requirements: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The values of the other requirements a rule reads (a key the file lacks differs from one
    it states as null); None when one is too odd to key on."""
    looked = tuple((k in requirements, memo_key(requirements.get(k))) for k in reads)
    return None if any(value is NO_KEY for _stated, value in looked) else looked
