"""What `--baseline` costs: `orchlint check DIR` with and without a baseline of every finding.

Generates COUNT files (see gen.py) in a temporary directory, adopts a baseline of them with
--write-baseline, then runs `check DIR` and `check DIR --baseline` alternately, ROUNDS times,
in this process's environment, and prints the medians and their ratio from the same run.
Issue 17.15: before the baseline was indexed by file, matching was quadratic (50,000 files:
489 s with a baseline, 28 s without); the ratio should now stay near 1 at any COUNT.

    python bench/baseline.py [COUNT] [ROUNDS] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=5_000)
    parser.add_argument("rounds", type=int, nargs="?", default=3)
    parser.add_argument("--jobs", default="1", help="passed to orchlint check (default 1: steadier)")
    args = parser.parse_args()
    env = dict(os.environ, ORCHLINT_TODAY="2026-11-23")
    with tempfile.TemporaryDirectory(prefix="orchlint-bench-baseline-") as temp:
        tree, baseline = Path(temp) / "tree", Path(temp) / "baseline.json"
        subprocess.run([sys.executable, str(HERE / "gen.py"), str(tree), str(args.count), "--bad", "0"], check=True, env=env)
        check = [sys.executable, "-m", "orchlint", "check", str(tree), "--jobs", args.jobs]
        subprocess.run([*check, "--write-baseline", str(baseline)], check=True, env=env, stdout=subprocess.DEVNULL)
        entries = len(json.loads(baseline.read_text())["findings"])
        commands = {"check DIR": check, "check DIR --baseline": [*check, "--baseline", str(baseline)]}
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, command in commands.items():
                start = time.perf_counter()
                done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
                times[name].append(time.perf_counter() - start)
                if done.returncode not in (0, 1):
                    sys.exit(f"{name}: exit {done.returncode}")
    without, with_ = (statistics.median(times[name]) for name in commands)
    print(f"{args.count:,} files, a baseline of {entries:,} entries, --jobs {args.jobs}, median of {args.rounds}:")
    print(f"  check DIR               {without:8.2f} s")
    print(f"  check DIR --baseline    {with_:8.2f} s")
    print(f"  ratio                   {with_ / without:8.2f}×")


if __name__ == "__main__":
    main()
