"""A one-line progress counter on standard error, for long runs in a terminal only.

CI logs and piped output stay clean: nothing is written unless the stream is a terminal and
there is more than one file.
"""

from __future__ import annotations

import time
from typing import TextIO

MIN_INTERVAL = 0.1  # seconds between redraws; a terminal needs no more


class Progress:
    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream = stream
        self.total = total
        self.count = 0
        self.last = 0.0
        self.active = total > 1 and _is_terminal(stream)

    def step(self, path: str) -> None:
        self.count += 1
        if not self.active:
            return
        now = time.monotonic()
        if now - self.last < MIN_INTERVAL and self.count < self.total:
            return
        self.last = now
        width = 30
        filled = width * self.count // self.total
        from orchlint.support.terminal import clean  # a file name found by a glob may hold escapes

        path = clean(path)
        shown = path if len(path) <= 40 else "..." + path[-37:]
        self.stream.write(f"\r\x1b[2K[{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total} {shown}")
        self.stream.flush()

    def done(self) -> None:
        if self.active and self.count:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False
