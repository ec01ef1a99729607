"""Where one process spends its time per file: read, parse, validate, evaluate, format.

Runs in-process over a directory of requirements files (see gen.py) and prints the mean cost of
each phase per file, best of a few rounds (CPU time, steadier than wall time on a busy machine), so a change to one phase can be measured alone.

    python bench/phases.py DIR [ROUNDS]
"""

from __future__ import annotations

import datetime as _dt
import io
import sys
import time
from pathlib import Path


def main() -> None:
    from orchlint.schemas import validation
    from orchlint.support import yamlsource
    from orchlint.support.discover import expand
    from orchlint.plugins.manager import get_plugin_manager
    from orchlint.plugins.registry import build_registry
    from orchlint.lint.linter import Linter, RunOptions
    from orchlint.lint.report import RunSummary
    from orchlint.lint.output import open_outputs, parse_format_specs

    import gc

    gc.freeze()  # the collector as the command sets it once start-up is over (cli.settings.resume_gc)
    gc.set_threshold(50_000, 20, 100)
    directory = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    paths, _empty = expand([str(directory)])  # the files `orchlint check DIR` lints, no others
    registry = build_registry(get_plugin_manager(entry_points=False)[0])
    options = RunOptions(as_of=_dt.date(2026, 11, 23))
    linter = Linter(registry, options)
    blobs = [Path(p).read_bytes() for p in paths]
    best: dict[str, float] = {}

    def clock(name: str, func) -> list:
        start = time.process_time()
        out = func()
        best[name] = min(best.get(name, float("inf")), time.process_time() - start)
        return out

    for _ in range(rounds):
        clock("read", lambda: [Path(p).read_bytes() for p in paths])
        docs = clock("parse", lambda: [_load(yamlsource, b) for b in blobs])
        good = [d for d in docs if d is not None]
        clock("validate (generated)", lambda: [validation.validate(d, "requirements") for d in good])
        clock("evaluate", lambda: [linter.engine.evaluate(d, linter.platforms, options.as_of) for d in good])
        reports = clock("lint (all of the above)", lambda: [linter.lint_bytes(p, b) for p, b in zip(paths, blobs)])
        for fmt in ("text", "json"):
            def render(fmt: str = fmt) -> None:
                out = io.StringIO()
                saved, sys.stdout = sys.stdout, out
                try:
                    summary = RunSummary()
                    with open_outputs(parse_format_specs((fmt,), registry.formatters), registry, linter, options, color=False, verbose=False) as outputs:
                        for report in reports:
                            summary.add(report, options.threshold)
                            outputs.write(report)
                        outputs.finish(summary)
                finally:
                    sys.stdout = saved

            clock(f"format {fmt}", render)
    n = len(paths)
    print(f"{n} files; mean per file, best of {rounds} rounds")
    for name, seconds in best.items():
        print(f"  {name:26} {seconds / n * 1e3:8.3f} ms")


def _load(yamlsource, data: bytes):
    try:
        return yamlsource.load(data, dates_as_strings=True)
    except yamlsource.LoadError:
        return None


if __name__ == "__main__":
    main()
