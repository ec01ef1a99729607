"""Write a file so that readers see the old content or the new one, never half of it."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from typing import IO


def is_special(path: str) -> bool:
    """An existing target that is not a regular file: a device, a FIFO, /dev/stdout."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


@contextlib.contextmanager
def atomic_file(path: str) -> Iterator[IO[str]]:
    """A file that replaces ``path`` only if the block completes; otherwise nothing changes.

    A symlink is followed, so the file it points to is replaced, not the link. A device or
    FIFO (``/dev/stdout``) is written through: renaming over it would replace the device node
    itself, which root is allowed to do.
    """
    if is_special(path):
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        return
    target = os.path.realpath(path)
    # mkstemp creates the file 0600; a report is an ordinary file, so it gets the mode an
    # ordinary file would: the existing file's, else 0666 less the umask.
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:  # a new file: what open() would give it
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".orchlint-", suffix=".tmp", dir=os.path.dirname(target))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: str, text: str) -> None:
    with atomic_file(path) as handle:
        handle.write(text)
