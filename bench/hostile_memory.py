"""Peak memory of orchlint on the worst hostile inputs, each in its own limited child process.

    python bench/hostile_memory.py

Prints one line per case: exit code, peak resident memory (ru_maxrss from wait4) and the
first error. The test suite runs the same cases (tests/lint/test_hostile.py) but asserts only exit
codes, messages and the memory limit, never times.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile.generated import GENERATORS  # noqa: E402
from tests.hostile.limits import MEMORY_LIMIT, run_limited  # noqa: E402
from tests.test_hostile import MANIFEST, WORST  # noqa: E402


def main() -> int:
    baseline = run_limited(["check", str(ROOT / "examples" / "logzio.yaml")])
    print(f"{'case':34} exit  peak RSS   first line (limit: {MEMORY_LIMIT >> 20} MiB of address space)")
    print(f"{'(baseline: examples/logzio.yaml)':34} {baseline.returncode:>4}  {baseline.peak_rss_kib / 1024:6.1f} MiB")
    worst = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in WORST:
            target = ROOT / "tests" / "hostile" / name
            if MANIFEST[name].get("generated"):
                target = Path(tmp) / name
                target.write_bytes(GENERATORS[name]())
            run = run_limited(["check", str(target)])
            worst = max(worst, run.peak_rss_kib)
            first = run.stdout.splitlines()[0][len(str(target)) :] if run.stdout else run.stderr[-200:]
            print(f"{name:34} {run.returncode:>4}  {run.peak_rss_kib / 1024:6.1f} MiB  {first[:90]}")
    print(f"worst peak: {worst / 1024:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
