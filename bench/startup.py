"""Whole-process wall time of `orchlint check` on one example against Python's own floor.

Runs each command alternately, N times, in this process's environment, and prints medians,
spreads and the ratio to the `python -c "import yaml"` baseline of the same run.

    python bench/startup.py [N]
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "examples" / "logzio.yaml")
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "python -c 'import yaml'": [sys.executable, "-c", "import yaml"],
    "import yaml, click, pluggy": [sys.executable, "-c", "import yaml, click, pluggy"],
    "orchlint --version": [sys.executable, "-m", "orchlint", "--version"],
    "orchlint check logzio.yaml": [sys.executable, "-m", "orchlint", "check", EXAMPLE],
}
# yamllint is the peer a pre-commit hook would otherwise run on the same file. It is a bench-only
# dependency: measured when installed in this environment, left out of the table otherwise.
if importlib.util.find_spec("yamllint") is not None:
    COMMANDS["yamllint logzio.yaml"] = [sys.executable, "-m", "yamllint", EXAMPLE]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    env = dict(os.environ, ORCHLINT_DISABLE_PLUGIN_AUTOLOAD="1")
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, argv in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["python -c 'import yaml'"])
    peer = statistics.median(times["yamllint logzio.yaml"]) if "yamllint logzio.yaml" in times else None
    print(f"{'command':32} {'median ms':>10} {'IQR ms':>8} {'× import yaml':>14}" + (f" {'× yamllint':>11}" if peer else ""))
    for name, samples in times.items():
        q = statistics.quantiles(samples, n=4)
        med = statistics.median(samples)
        row = f"{name:32} {med * 1000:10.1f} {(q[2] - q[0]) * 1000:8.1f} {med / base:14.2f}"
        print(row + (f" {med / peer:11.2f}" if peer else ""))


if __name__ == "__main__":
    main()
