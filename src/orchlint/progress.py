"""A progress bar on standard error, drawn only when standard error is a terminal, so CI logs
and piped output never see it."""

from __future__ import annotations

import os
import time
from typing import TextIO

WIDTH = 30


def wanted(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


class Progress:
    def __init__(self, stream: TextIO, total: int, *, interval: float = 0.1) -> None:
        self.stream = stream
        self.total = total
        self.done = 0
        self.interval = interval
        self.start = time.monotonic()
        self.drawn_at = 0.0
        self.visible = False
        self.shares_terminal = False  # stdout is the same terminal: clear before output

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.drawn_at >= self.interval or self.done >= self.total:
            self.draw(now)

    def draw(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        share = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * share)
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} files  {now - self.start:.1f} s\x1b[K")
        self.stream.flush()
        self.drawn_at = now
        self.visible = True

    def clear(self) -> None:
        """Take the bar off the line (before other output, and at the end)."""
        if self.visible:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.visible = False
