"""Run the fuzz target (tests/fuzz/test_fuzz.py) for longer than CI does.

    python bench/fuzz.py --seconds 600          # as many inputs as fit in ten minutes
    python bench/fuzz.py --examples 100000      # a fixed number of inputs
    python bench/fuzz.py --target set           # what-if --set values (also: config, all)

Runs in batches with fresh random seeds and prints the number of inputs tried. A failure
prints Hypothesis's shrunk input and exits 1.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import Phase, seed  # noqa: E402

from orchlint.plugins.manager import get_plugin_manager  # noqa: E402
from orchlint.plugins.registry import build_registry  # noqa: E402
from tests.fuzz.test_fuzz import make_target  # noqa: E402
from tests.fuzz.test_fuzz_inputs import make_config_target, make_set_target  # noqa: E402

TARGETS = {"pipeline": make_target, "set": make_set_target, "config": make_config_target}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="stop after this long (default 60)")
    parser.add_argument("--examples", type=int, default=0, help="stop after this many inputs (default: no limit)")
    parser.add_argument("--batch", type=int, default=2000, help="inputs per Hypothesis run")
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="pipeline", help="what to fuzz (default: requirements files)")
    args = parser.parse_args()
    pm, _failures = get_plugin_manager(entry_points=False)
    registry = build_registry(pm)
    counter = [0]
    start = time.monotonic()
    batches = 0
    names = list(TARGETS) if args.target == "all" else [args.target]
    while time.monotonic() - start < args.seconds and (not args.examples or counter[0] < args.examples):
        make = TARGETS[names[batches % len(names)]]
        target = make(registry, examples=args.batch, counter=counter, database=None, phases=[Phase.generate, Phase.shrink])
        seed(random.getrandbits(64))(target)()
        batches += 1
    elapsed = time.monotonic() - start
    print(f"fuzz ({', '.join(names)}): {counter[0]:,} inputs in {batches} batches, {elapsed:.0f} s, no failure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
