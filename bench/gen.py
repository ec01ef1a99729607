"""Generate a monorepo of realistic, varied orchlint requirements files.

Every key of format 1 appears somewhere; each file picks a random subset of requirements, in a
random order, in block or flow style, with comments, priorities, a target (any of the six
platforms, or none) and sometimes a `decided:` date. A small share of files (``--bad``, 1% by
default) carry the mistakes people make: a misspelt key, a value out of its enum, a duplicate
key. The same seed always gives the same files.

    python bench/gen.py DIR COUNT [--seed N] [--bad FRACTION]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PLATFORMS = ["kubernetes", "mesos-marathon", "dcos", "ecs", "swarm", "nomad"]
WORKLOADS = ["containers", "stateful", "big-data", "batch", "non-container"]
STORAGE = ["ephemeral", "nfs", "iscsi", "fc", "ceph", "aws-ebs", "gce-pd", "azure-disk", "local-persistent"]
METRICS = ["cpu", "memory", "custom", "requests", "packets"]
HEALTH = ["liveness", "readiness", "startup", "http", "tcp", "command", "grpc"]
TEAMS = ["checkout", "payments", "search", "billing", "ledger", "catalog", "auth", "media", "ingest", "reports"]
KINDS = ["api", "worker", "gateway", "batch", "stream", "cache", "frontend", "etl"]
COMMENTS = [
    "agreed with the platform team",
    "see the capacity plan",
    "peak, not average",
    "until the migration is done",
    "security asked for this",
    "TODO: re-check with ops",
]
FLAGS = [
    "multi_cluster",
    "production",
    "cloud_agnostic",
    "on_premises",
    "vendor_neutral",
    "in_house_expertise",
    "open_source_only",
    "osi_approved_license",
    "large_community",
    "simple_api",
    "high_availability",
    "load_balancing",
    "rollback",
    "colocated_containers",
]


def _some(rng: random.Random, items: list[str], most: int | None = None) -> list[str]:
    return rng.sample(items, rng.randint(1, most or len(items)))


def _list(rng: random.Random, values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def requirement_lines(rng: random.Random) -> tuple[list[str], list[str]]:
    """The lines under ``requirements:`` (already indented) and the keys written."""
    candidates: dict[str, list[str]] = {}
    candidates["nodes"] = [f"nodes: {rng.choice([3, 12, 40, 150, 800, 2500, 4000, 6000, 9000, 12000])}"]
    for flag in FLAGS:
        candidates[flag] = [f"{flag}: {'true' if rng.random() < 0.8 else 'false'}"]
    candidates["workloads"] = [f"workloads: {_list(rng, _some(rng, WORKLOADS, 3))}"]
    candidates["vendor_support"] = [f"vendor_support: {rng.choice(['required', 'preferred', 'none'])}"]
    candidates["logging"] = [f"logging: {rng.choice(['built-in', 'external'])}"]
    candidates["health_checks"] = [f"health_checks: {_list(rng, _some(rng, HEALTH, 4))}"]
    candidates["upgrades"] = [f"upgrades: {_list(rng, _some(rng, ['rolling', 'recreate']))}"]
    candidates["service_discovery"] = [f"service_discovery: {_list(rng, _some(rng, ['dns', 'env', 'vip']))}"]
    storage = ["storage:"]
    if rng.random() < 0.9:
        types = _some(rng, STORAGE, 3)
        if rng.random() < 0.5:
            storage.append(f"  types: {_list(rng, types)}")
        else:
            storage += ["  types:"] + [f"    - {t}" for t in types]
    if rng.random() < 0.5 or len(storage) == 1:
        storage.append(f"  multi_instance_external_volumes: {rng.choice(['true', 'false'])}")
    candidates["storage"] = storage
    autoscaling = ["autoscaling:", f"  enabled: {'true' if rng.random() < 0.85 else 'false'}"]
    if rng.random() < 0.7:
        autoscaling.append(f"  metrics: {_list(rng, _some(rng, METRICS, 3))}")
    candidates["autoscaling"] = autoscaling
    candidates["networking"] = ["networking:", f"  mode: {rng.choice(['flat', 'host', 'bridge'])}"]

    keys = rng.sample(sorted(candidates), rng.randint(4, len(candidates)))
    lines = []
    for key in keys:
        block = list(candidates[key])
        if rng.random() < 0.15:
            block[0] += f"  # {rng.choice(COMMENTS)}"
        lines += ["  " + line for line in block]
    return lines, keys


def document(rng: random.Random, index: int, bad: bool) -> str:
    team, kind = rng.choice(TEAMS), rng.choice(KINDS)
    lines = [f"# {team}-{kind}-{index}: requirements reviewed by the architecture board"] if rng.random() < 0.6 else []
    lines += ["orchlint: 1", f"name: {team}-{kind}-{index}"]
    if rng.random() < 0.5:
        lines.append(f"target: {rng.choice(PLATFORMS)}")
    if rng.random() < 0.2:
        lines.append(f"decided: {rng.randint(2017, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    body, keys = requirement_lines(rng)
    lines += ["requirements:"] + body
    if rng.random() < 0.5:
        chosen = rng.sample(keys, rng.randint(1, min(4, len(keys))))
        lines += ["priorities:"] + [f"  {k}: {rng.choice(['must', 'should', 'could'])}" for k in chosen]
    if bad:
        lines = _spoil(rng, lines)
    return "\n".join(lines) + "\n"


def _spoil(rng: random.Random, lines: list[str]) -> list[str]:
    at = next(i for i, line in enumerate(lines) if line == "requirements:") + 1
    mistake = rng.choice(["typo", "enum", "duplicate"])
    if mistake == "typo":
        lines.insert(at, "  nodez: 300")
    elif mistake == "enum":
        lines.insert(at, "  logging: builtin")
        lines = [line for i, line in enumerate(lines) if i == at or not line.startswith("  logging:")]
    else:
        lines.insert(at, lines[at])
    return lines


MANIFEST = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc\nspec:\n  replicas: 3\n"


def generate(directory: Path, count: int, *, seed: int = 1, bad: float = 0.01) -> list[Path]:
    """Write ``count`` services under ``directory`` as a monorepo has them: one folder per
    service, grouped by team, each with its ``orchlint.yaml`` (some ``orchlint.yml``), and now
    and then other YAML that is not a requirements file (a Kubernetes manifest, CI settings in
    a hidden folder), which ``orchlint check DIR`` must leave alone."""
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        team = TEAMS[index % len(TEAMS)]
        folder = directory / team / f"svc-{index:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / ("orchlint.yaml" if index % 7 else "orchlint.yml")
        path.write_text(document(rng, index, rng.random() < bad), encoding="utf-8")
        paths.append(path)
        if index % 10 == 0:
            (folder / "deployment.yaml").write_text(MANIFEST, encoding="utf-8")
        if index % 100 == 0:
            (folder / ".ci").mkdir(exist_ok=True)
            (folder / ".ci" / "orchlint.yaml").write_text("not: [a requirements file\n", encoding="utf-8")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bad", type=float, default=0.01, help="share of files with a mistake (default 0.01)")
    args = parser.parse_args()
    generate(args.directory, args.count, seed=args.seed, bad=args.bad)


if __name__ == "__main__":
    main()
