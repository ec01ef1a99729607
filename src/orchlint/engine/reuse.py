"""When the engine may reuse a judgement instead of calling the rule again.

A rule is assumed deterministic: given the same inputs it returns the same judgements. Its
inputs are its own requirement's value, the other requirements it reads, the platform, the
facts in effect and, if it looks at it, the evaluation day. The engine watches what each rule
reads (``rulecall.Watched``, ``rulecall.WatchedContext``), so a key here names exactly that:

- requirements: the value of every key the rule was ever seen reading on that platform (a key
  the file lacks differs from one it states as null); a rule that iterated them all (``_ALL``)
  is never reused;
- facts: for every fact key the rule was ever seen reading on that platform, the span between
  two days on which one of that key's facts starts or ends, so every day of one span sees the
  same fact. A re-review on a decided day reuses what today's check judged whenever the facts
  this rule reads did not change in between, whatever else changed in the knowledge;
- the day itself only for inputs with which the rule was seen reading it (stored as ``_DAY``
  under the key, the judgements under (key, day)).

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

MEMO_LIMIT = 8192  # entries per generation; bounds memory however many files a run reads
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


class Day:
    """What the memo keys need of one evaluation day: the spans of the fact keys rules read.

    One is shared by every day between two knowledge boundaries (no fact starts or ends between
    them), so a run that re-reviews files decided on many days computes the spans once per span.
    """

    __slots__ = ("day", "spans", "rows")

    def __init__(self, day: _dt.date) -> None:
        self.day = day
        # (rule id, platform id) -> (the fact keys it reads, their spans on this day)
        self.spans: dict[tuple[str, str], tuple[tuple[str, ...], tuple[int, ...]]] = {}
        # rule id -> (its reads' version, the platforms, a token for every platform's spans)
        self.rows: dict[str, tuple[int, tuple[str, ...], int]] = {}


class Reuse:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._memo = _Memo(MEMO_LIMIT)
        # A rule's judgements on every platform at once, for a file like one before: one lookup
        # instead of one per platform (a run judges each rule on every platform it knows).
        self._rows = _Memo(MEMO_LIMIT // 2)
        self._row_reads: dict[str, Any] = {}  # rule id -> what it read on any platform, or _ALL
        self._versions: dict[str, int] = {}  # rule id -> bumped whenever what it reads widens
        self._tokens: dict[tuple[Any, ...], int] = {}  # (platforms, every platform's spans) -> token
        self._next_token = 0
        # (rule id, platform id) -> the sorted requirement keys it was ever seen reading, or _ALL
        self._reads: dict[tuple[str, str], Any] = {}
        # (rule id, platform id) -> the sorted fact keys it was ever seen reading
        self._fact_reads: dict[tuple[str, str], tuple[str, ...]] = {}
        self._changes: dict[tuple[str, str], list[_dt.date]] = {}  # (platform, key) -> its facts' days, sorted
        self._boundaries: list[_dt.date] | None = None  # every day on which some fact starts or ends
        self._days: dict[int, Day] = {}  # by epoch, bounded
        self._old_days: dict[int, Day] = {}

    def on(self, day: _dt.date) -> Day:
        """The keys' view of ``day``, shared by the days of its epoch: between two days on
        which some fact starts or ends, every fact holds or does not alike."""
        if self._boundaries is None:  # without making the facts no rule has read yet
            self._boundaries = self.registry.knowledge.boundaries()
        epoch = bisect.bisect_right(self._boundaries, day)
        found = self._days.get(epoch)
        if found is None:  # two generations, as the memo: today's day stays however many others come
            found = self._old_days.get(epoch) or Day(day)
            if len(self._days) >= 16:
                self._old_days, self._days = self._days, {}
            self._days[epoch] = found
        return found

    def key(self, rule: Rule, platform_id: str, own: Any, requirements: Mapping[str, Any], on: Day) -> Any:
        """The input of a rule on a platform, but the day (``own`` is ``memo_key`` of its own
        value). None: never reused."""
        pair = (rule.id, platform_id)
        reads = self._reads.get(pair, ())
        if reads is _ALL:
            return None
        spans = self._spans_of(pair, on)
        if not reads:
            return (rule.id, platform_id, spans, own)
        looked = _looked(reads, requirements)
        return None if looked is None else (rule.id, platform_id, spans, own, reads, looked)

    def row_key(self, rule: Rule, platforms: tuple[str, ...], own: Any, requirements: Mapping[str, Any], on: Day) -> Any:
        """The input of a rule on all ``platforms`` at once: what it read on any of them, and
        the spans of the facts it read on each. None: never reused."""
        rule_id = rule.id
        reads = self._row_reads.get(rule_id, ())
        if reads is _ALL:
            return None
        version = self._versions.get(rule_id, 0)
        row = on.rows.get(rule_id)
        if row is None or row[0] != version or row[1] != platforms:
            spans = (platforms, tuple(self._spans_of((rule_id, p), on) for p in platforms))
            token = self._tokens.get(spans)
            if token is None:
                if len(self._tokens) > 4096:  # bounded; a token is never given out twice
                    self._tokens.clear()
                self._next_token += 1
                token = self._tokens[spans] = self._next_token
            row = on.rows[rule_id] = (version, platforms, token)
        if not reads:
            return (rule_id, row[2], own)
        looked = _looked(reads, requirements)
        return None if looked is None else (rule_id, row[2], own, reads, looked)

    def recall_row(self, key: Any) -> tuple[Judged, ...] | None:
        return self._rows.get(key)

    def keep_row(self, key: Any, row: tuple[Judged, ...]) -> None:
        """Only rows judged alike on every day of their spans: none read the day itself."""
        if not any(judged.day_read for judged in row):
            self._rows.put(key, row)

    def _spans_of(self, pair: tuple[str, str], on: Day) -> tuple[tuple[str, ...], tuple[int, ...]]:
        facts = self._fact_reads.get(pair, ())
        spans = on.spans.get(pair)
        if spans is None or spans[0] is not facts:
            spans = on.spans[pair] = (facts, self._spans(pair[1], facts, on.day))
        return spans

    def _spans(self, platform_id: str, facts: tuple[str, ...], day: _dt.date) -> tuple[int, ...]:
        spans = []
        for fact_key in facts:
            changes = self._changes.get((platform_id, fact_key))
            if changes is None:
                changes = self._changes[platform_id, fact_key] = sorted(self.registry.knowledge.days(platform_id, fact_key))
            spans.append(bisect.bisect_right(changes, day))
        return tuple(spans)

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

    def note_reads(self, rule: Rule, platform_id: str, watched: Watched, facts: set[str]) -> None:
        """What a call of the rule read widens what its later inputs are compared on."""
        pair = (rule.id, platform_id)
        known_facts = self._fact_reads.get(pair, ())
        if not facts.issubset(known_facts):
            self._fact_reads[pair] = tuple(sorted(facts.union(known_facts)))
            self._versions[rule.id] = self._versions.get(rule.id, 0) + 1
        known = self._reads.get(pair, ())
        if known is _ALL:
            return
        if watched.everything:
            self._reads[pair] = self._row_reads[rule.id] = _ALL
        elif not watched.read.issubset(known):
            self._reads[pair] = tuple(sorted(watched.read.union(known)))
            row = self._row_reads.get(rule.id, ())
            if row is not _ALL and not watched.read.issubset(row):
                self._row_reads[rule.id] = tuple(sorted(watched.read.union(row)))


def _looked(reads: tuple[str, ...], requirements: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The values of the other requirements a rule reads (a key the file lacks differs from one
    it states as null); None when one is too odd to key on."""
    looked = tuple((k in requirements, memo_key(requirements.get(k))) for k in reads)
    return None if any(value is NO_KEY for _stated, value in looked) else looked
