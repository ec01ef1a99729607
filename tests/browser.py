"""Headless Chromium for the tests: screenshots and the DOM as the browser built it.

Chromium runs with a throw-away profile and everything that might reach the network turned off;
the pages it loads are local files that fetch nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",  # we run as root in CI, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _run(page: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    binary = chromium()
    assert binary is not None, "chromium is not installed"
    with tempfile.TemporaryDirectory(prefix="orchlint-chromium-") as profile:
        command = [binary, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()]
        return subprocess.run(command, capture_output=True, timeout=180, check=False)


def screenshot(page: Path, png: Path, size: str = "1280,2000") -> bytes:
    done = _run(page, f"--screenshot={png}", f"--window-size={size}")
    assert png.exists(), f"chromium wrote no screenshot (exit {done.returncode}): {done.stderr.decode()[-2000:]}"
    return png.read_bytes()


def dump_dom(page: Path) -> str:
    done = _run(page, "--dump-dom")
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done.stdout.decode("utf-8")
