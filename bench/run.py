"""orchlint's benchmark: whole-process wall time and peak memory against its baselines.

Everything runs side by side in the same run, alternating command by command each round, so a
busy machine slows every command alike and the ratios stay meaningful. For each command it
prints the median wall time and its spread; for each goal, the ratio of each round's pair
(median and interquartile range) and whether the goal is met.

    python bench/run.py                  # the full run (about 15 minutes on 2 busy cores)
    python bench/run.py --quick          # fewer rounds, 1,000 files only
    python bench/run.py --python PYTHON  # use an existing environment instead of bench/.venv

Without --python it builds bench/.venv: a fresh virtual environment with orchlint installed
normally (not editable, so byte-code is compiled as for a user) and yamllint. The data (made by
gen.py with a fixed seed) and two plugins of 100 extra rules each go in bench/.data/: one whose
rules read a fact and pass silently (goal 3), one whose rules make findings (its cost is mostly
output, and is reported without a goal).

Baselines: ``python -c pass``; ``python -c "import yaml"``; ``python -c "import yaml, click,
pluggy"`` (the fixed stack's floor); bare_parse.py, which reads and
parses the same files with PyYAML's C loader and does nothing else; and yamllint.
Memory is each command's peak resident set: ``max`` is the largest single process, as GNU
time reports it (each command runs under ``/usr/bin/time``; without it, sampled from /proc),
``sum`` samples the whole process tree every 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402

BARE_PARSE = '''"""Read and parse every requirements file under DIR with PyYAML's C loader; nothing else."""
import os, sys, yaml
def files(top):
    for root, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name in ("orchlint.yaml", "orchlint.yml") or name.endswith((".orchlint.yaml", ".orchlint.yml")):
                yield os.path.join(root, name)
count = 0
for path in files(sys.argv[1]):
    with open(path, "rb") as handle:
        try:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            pass
    count += 1
print(count)
'''

EXTRA_RULES = '''"""100 extra rules, as a team's policy plugin might add: each judges one requirement by a fact."""
from orchlint.hookspecs import hookimpl
from orchlint.model import Outcome, Source
from orchlint.rulekit import Judgement, Rule, capability, unknown

REQUIREMENTS = {requirements!r}
SOURCE = (Source("bench policy"),)


def make(index, requirement, fact):
    def check(value, ctx):
        if value is False or value is None:
            return []
        if isinstance(value, (list, tuple)):
            return [capability(ctx, f"{{fact}}.{{item}}", f"policy {{index}}: {{item}}", (i,)) for i, item in enumerate(value)]
        if isinstance(value, str):
            found = ctx.fact(fact)
            if found is None:
                return [unknown(ctx, fact, f"policy {{index}}: {{value}}")]
            return [Judgement(Outcome.MET if found.value else Outcome.UNMET, f"policy {{index}}: {{requirement}} {{value}}", found)]
        return [capability(ctx, fact, f"policy {{index}}: {{requirement}}")]

    return Rule(
        id=f"policy.rule-{{index:03d}}",
        title=f"Policy rule {{index}} on {{requirement}}",
        rationale="Generated for the benchmark.",
        check=check,
        requirement=requirement,
        sources=SOURCE,
        facts=(fact,),
    )


RULES = [make(i, req, fact) for i, (req, fact) in enumerate(REQUIREMENTS * 5) if i < 100]


@hookimpl
def orchlint_register_rules(register):
    for rule in RULES:
        register(rule)
'''

SILENT_RULES = '''"""100 extra rules that pass silently, as most of a team's policy does on most files: each reads
its requirement and a fact, finds nothing to report, and returns no judgement."""
from orchlint.hookspecs import hookimpl
from orchlint.model import Source
from orchlint.rulekit import Rule

REQUIREMENTS = {requirements!r}
SOURCE = (Source("bench policy"),)


def make(index, requirement, fact):
    def check(value, ctx):
        found = ctx.fact(fact)
        if found is not None and value is not None and found.value is None:  # never true: facts have values
            raise AssertionError(index)
        return []

    return Rule(
        id=f"policy.silent-{{index:03d}}",
        title=f"Silent policy rule {{index}} on {{requirement}}",
        rationale="Generated for the benchmark.",
        check=check,
        requirement=requirement,
        sources=SOURCE,
        facts=(fact,),
    )


RULES = [make(i, req, fact) for i, (req, fact) in enumerate(REQUIREMENTS * 5) if i < 100]


@hookimpl
def orchlint_register_rules(register):
    for rule in RULES:
        register(rule)
'''

# requirement -> fact key (or prefix for lists) the extra rules read: real facts, so they do real work
PLUGIN_REQUIREMENTS = [
    ("production", "production_ready"),
    ("cloud_agnostic", "cloud_agnostic"),
    ("on_premises", "on_premises"),
    ("high_availability", "high_availability"),
    ("load_balancing", "load_balancing"),
    ("rollback", "rollback"),
    ("colocated_containers", "colocated_containers"),
    ("simple_api", "simple_api"),
    ("workloads", "workload"),
    ("health_checks", "health_check"),
    ("upgrades", "upgrade"),
    ("service_discovery", "discovery"),
    ("vendor_support", "vendor_support"),
    ("logging", "logging"),
    ("open_source_only", "free_edition_complete"),
    ("vendor_neutral", "vendor_neutral"),
    ("large_community", "community"),
    ("osi_approved_license", "license"),
    ("nodes", "max_nodes"),
    ("in_house_expertise", "needs_in_house_expertise"),
]


@dataclass
class Sample:
    seconds: float
    max_rss_kb: int
    sum_rss_kb: int
    code: int


@dataclass
class Command:
    name: str
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    def spread(self) -> tuple[float, float]:
        return _quartiles([s.seconds for s in self.samples])

    def rss(self, kind: str) -> float:
        return statistics.median(getattr(s, f"{kind}_rss_kb") for s in self.samples) / 1024


def _quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


TIME = shutil.which("time", path="/usr/bin:/bin")  # GNU time (Debian package "time")


def _tree_rss_kb(root: int) -> dict[int, int]:
    """Resident memory (KiB) of ``root`` and each of its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
            with open(f"/proc/{entry}/statm", "rb") as handle:
                pages = int(handle.read().split()[1])
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        tree[pid] = rss.get(pid, 0)
        todo += children.get(pid, [])
    return tree


def run_once(argv: list[str], env: dict[str, str], sample_tree: bool) -> Sample:
    """Wall time, the largest process's peak resident set and the sampled peak of the tree.

    The largest process's peak comes from GNU time, not from this process's wait4: Linux keeps
    ru_maxrss across fork and exec, so a child of this (large) Python process would report at
    least this process's own peak. GNU time is a small C program, so what it reports is the
    command's. Without it the peak is sampled from /proc (VmHWM) and may miss a brief process.
    """
    peak = [0, 0]  # [tree sum, largest VmHWM]
    out = tempfile.NamedTemporaryFile("r", suffix=".rss") if TIME else None
    wrapped = [TIME, "-f", "%M", "-o", out.name, *argv] if TIME and out else argv
    start = time.perf_counter()
    proc = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    done = threading.Event()

    def sampler() -> None:
        while not done.wait(0.02):
            tree = _tree_rss_kb(proc.pid)
            if TIME:
                tree.pop(proc.pid, None)  # GNU time itself, not the command
            else:
                peak[1] = max([peak[1]] + [_hwm_kb(pid) for pid in tree])
            peak[0] = max(peak[0], sum(tree.values()))

    thread = threading.Thread(target=sampler, daemon=True) if sample_tree else None
    if thread:
        thread.start()
    stderr = proc.stderr.read() if proc.stderr else b""
    _pid, status, _usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    if thread:
        thread.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1, 2):
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}:\n{stderr.decode(errors='replace')[-2000:]}")
    largest = peak[1]
    if out is not None:
        with out:
            largest = int(out.read().split()[-1])
    return Sample(seconds, largest, max(peak[0], largest), proc.returncode)


def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next((int(line.split()[1]) for line in handle if line.startswith("VmHWM:")), 0)
    except OSError:
        return 0


def rounds(commands: list[Command], runs: int, env: dict[str, str], sample_tree: bool, label: str, warm_up: bool = True) -> None:
    for command in commands if warm_up else ():  # one warm-up each: page cache, byte-code, first-run costs
        run_once(command.argv, env, False)
    for index in range(runs):
        order = commands if index % 2 == 0 else list(reversed(commands))  # no command always runs first
        for command in order:
            command.samples.append(run_once(command.argv, env, sample_tree))
        print(f"  {label}: round {index + 1}/{runs}", file=sys.stderr)


def ratio(a: Command, b: Command) -> tuple[float, float, float]:
    """Median and quartiles of the per-round ratio a/b (each pair ran in the same round)."""
    values = [x.seconds / y.seconds for x, y in zip(a.samples, b.samples)]
    low, high = _quartiles(values)
    return statistics.median(values), low, high


def show(commands: list[Command], base: Command | None, memory: bool) -> list[str]:
    lines = [f"  {'command':44} {'median':>9} {'IQR':>17} {'× ' + base.name if base else '':>24}" + ("  peak MiB max/sum" if memory else "")]
    for c in commands:
        low, high = c.spread()
        rel = ""
        if base is not None and c is not base:
            r, lo, hi = ratio(c, base)
            rel = f"{r:6.2f} ({lo:.2f}–{hi:.2f})"
        mem = f"  {c.rss('max'):7.1f}/{c.rss('sum'):.1f}" if memory else ""
        lines.append(f"  {c.name:44} {_ms(c.median()):>9} {_ms(low) + '–' + _ms(high):>17} {rel:>24}{mem}")
    return lines


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def setup_python(args: argparse.Namespace) -> Path:
    if args.python:
        return Path(args.python)
    venv = HERE / ".venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        _pip(python, "yamllint")
    # Reinstalled every time, so the bench measures the working tree as a user would get it.
    # setuptools reuses build/ in the tree, where files deleted from the source live on.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    _pip(python, "--force-reinstall", "--no-deps", str(ROOT))
    _pip(python, str(ROOT))
    return python


def _pip(python: Path, *args: str) -> None:
    result = subprocess.run([str(python), "-m", "pip", "install", "-q", *args], capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"pip install {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def setup_data(data: Path, sizes: list[int]) -> dict[int, Path]:
    data.mkdir(parents=True, exist_ok=True)
    (data / "bare_parse.py").write_text(BARE_PARSE)
    (data / "extra_rules.py").write_text(EXTRA_RULES.format(requirements=PLUGIN_REQUIREMENTS))
    (data / "silent_rules.py").write_text(SILENT_RULES.format(requirements=PLUGIN_REQUIREMENTS))
    dirs = {}
    for size in sizes:
        directory = data / f"services-{size}"
        marker = directory / ".generated"
        if not marker.exists():
            if directory.exists():
                subprocess.run(["rm", "-rf", str(directory)], check=True)
            gen.generate(directory, size, seed=1)
            marker.write_text(str(size))
        dirs[size] = directory
    return dirs


def main() -> None:
    parser = argparse.ArgumentParser(description="orchlint benchmark")
    parser.add_argument("--python", help="interpreter of an environment with orchlint and yamllint installed")
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 1,000 files only")
    parser.add_argument("--sizes", default=None, help="comma-separated file counts (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=None, help="rounds for the one-file commands (default 21)")
    parser.add_argument("--jobs", default=None, help="pass --jobs to orchlint for the many-file runs")
    parser.add_argument("--json", type=Path, help="also write the raw samples here")
    args = parser.parse_args()

    args.data = args.data.resolve()
    if args.python:
        args.python = str(Path(args.python).absolute())  # not resolved: a venv's python is a link
    # Every command runs in an empty directory outside this repository: orchlint and yamllint
    # both look upward for a configuration file, and this repository's pyproject.toml names
    # orchlint (so orchlint would parse it as a possible [tool.orchlint] table on every run).
    neutral = tempfile.TemporaryDirectory(prefix="orchlint-bench-")  # removed when main returns
    os.chdir(neutral.name)
    sizes = [int(s) for s in (args.sizes if args.sizes is not None else ("1000" if args.quick else "1000,10000")).split(",") if s]
    one_runs = args.runs or (9 if args.quick else 21)
    python = setup_python(args)
    bindir = python.parent
    dirs = setup_data(args.data, sizes)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ORCHLINT_"))}
    env["ORCHLINT_TODAY"] = "2026-11-23"
    py, orch, yamllint = str(python), str(bindir / "orchlint"), str(bindir / "yamllint")
    example = str(ROOT / "examples" / "logzio.yaml")
    jobs = ["--jobs", args.jobs] if args.jobs else []
    report: list[str] = [f"orchlint benchmark: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}"]
    goals: list[tuple[str, float, float, str]] = []

    one = [
        Command("python -c pass", [py, "-c", "pass"]),
        Command("python -c 'import yaml'", [py, "-c", "import yaml"]),
        # The fixed stack's own floor: what any orchlint start pays before its first line runs.
        Command("python -c 'import yaml, click, pluggy'", [py, "-c", "import yaml, click, pluggy"]),
        Command("orchlint --version", [orch, "--version"]),
        Command("orchlint check logzio.yaml", [orch, "check", example]),
        Command("yamllint logzio.yaml", [yamllint, example]),
    ]
    rounds(one, one_runs, env, False, "one file")
    report += ["", f"One file ({one_runs} rounds):"] + show(one, one[2], False)
    r = ratio(one[4], one[2])
    goals.append(("1. check one file ÷ import yaml, click, pluggy", r[0], 1.25, f"IQR {r[1]:.2f}–{r[2]:.2f}"))
    r = ratio(one[4], one[5])
    goals.append(("1. check one file ÷ yamllint one file", r[0], 1.0, f"IQR {r[1]:.2f}–{r[2]:.2f}; met only below 1"))

    by_size: dict[int, dict[str, Command]] = {}
    for size in sizes:
        directory = str(dirs[size])
        small = size == min(sizes)
        many = [
            Command(f"bare_parse.py ({size:,} files)", [py, str(args.data / "bare_parse.py"), directory]),
            Command(f"orchlint check DIR ({size:,})", [orch, "check", *jobs, directory]),
            Command(f"orchlint check DIR --jobs 1 ({size:,})", [orch, "check", "--jobs", "1", directory]),
        ]
        if small:  # per file, so the smaller run says it as well (and 100 more rules are slow)
            many.append(Command(f"check DIR + 100 silent rules ({size:,})", [orch, "check", *jobs, "--plugin", str(args.data / "silent_rules.py"), directory]))
            many.append(Command(f"check DIR + 100 noisy rules ({size:,})", [orch, "check", *jobs, "--plugin", str(args.data / "extra_rules.py"), directory]))
            many.append(Command(f"yamllint DIR ({size:,})", [yamllint, directory]))
        runs = 3 if args.quick or not small else 5
        rounds(many, runs, env, True, f"{size:,} files", warm_up=small)
        report += ["", f"{size:,} files ({runs} rounds):"] + show(many, many[0], True)
        by_size[size] = {"bare": many[0], "check": many[1], "jobs1": many[2], "silent": many[3] if small else None, "noisy": many[4] if small else None}

    if not sizes:
        return _finish(report, goals, args, one, by_size)
    big = max(sizes)
    b = by_size[big]
    r = ratio(b["check"], b["bare"])
    goals.append((f"2. check {big:,} files ÷ bare parse", r[0], 3.5, f"IQR {r[1]:.2f}–{r[2]:.2f}"))
    r = ratio(b["jobs1"], b["bare"])
    goals.append((f"2. check --jobs 1 {big:,} files ÷ bare parse", r[0], 6.0, f"IQR {r[1]:.2f}–{r[2]:.2f}"))
    goals.append((f"2. peak memory ÷ bare parse (largest process, {big:,})", b["check"].rss("max") / b["bare"].rss("max"), 2.5, ""))
    s0 = by_size[min(sizes)]
    r = ratio(s0["silent"], s0["check"])
    goals.append((f"3. 100 extra rules that pass silently ({min(sizes):,} files)", r[0], 1.3, f"IQR {r[1]:.2f}–{r[2]:.2f}"))
    r = ratio(s0["noisy"], s0["check"])
    report += ["", f"Output cost, no goal: 100 extra rules with findings ({min(sizes):,} files) cost {r[0]:.2f}× (IQR {r[1]:.2f}–{r[2]:.2f}) of the check alone."]
    if len(sizes) > 1:
        small = min(sizes)
        s = by_size[small]
        growth = b["check"].median() / s["check"].median()
        goals.append((f"4. time {small:,} → {big:,} files (linear: ≤ 1.1 × {big // small})", growth, 1.1 * big / small, f"bare parse grows {b['bare'].median() / s['bare'].median():.1f}×"))
        report.append(f"Whole-tree peak memory, no goal: {b['check'].rss('sum') / b['bare'].rss('sum'):.2f}× bare parse at {big:,} files; {b['check'].rss('sum') / s['check'].rss('sum'):.2f}× from {small:,} to {big:,} files.")

    _finish(report, goals, args, one, by_size)


def _finish(report: list[str], goals: list[tuple[str, float, float, str]], args: argparse.Namespace, one: list[Command], by_size: dict[int, dict[str, Command]]) -> None:
    report += ["", "Goals (issue 20):"]
    for name, value, limit, note in goals:
        verdict = "met" if value <= limit else "NOT met"
        report.append(f"  {name:58} {value:6.2f}× (goal ≤ {limit:g}×) {verdict}{'  ' + note if note else ''}")
    print("\n".join(report))
    if args.json:
        raw = {c.name: [s.__dict__ for s in c.samples] for c in one}
        for size, cmds in by_size.items():
            raw.update({c.name: [s.__dict__ for s in c.samples] for c in cmds.values() if c is not None})
        args.json.write_text(json.dumps({"report": report, "samples": raw}, indent=1))


if __name__ == "__main__":
    main()
