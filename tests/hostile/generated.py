"""Hostile inputs too large to keep in the repository; the manifest lists them like the files.

Each generator returns the bytes of one file. They are written to a temporary directory
when the tests run.
"""

from __future__ import annotations

from collections.abc import Callable

HEAD = "orchlint: 1\nname: svc\n"


def _deep_lists(levels: int) -> bytes:
    return ("a: " + "[" * levels + "]" * levels + "\n").encode()


def _deep_mappings(levels: int) -> bytes:
    return ("a: " + "{a: " * levels + "1" + "}" * levels + "\n").encode()


def _unclosed(levels: int) -> bytes:
    # The crash case: libyaml's composer recursed in C and the interpreter died of SIGSEGV.
    return ("a: " + "[" * levels).encode()


def _over_size() -> bytes:
    return (HEAD + "# " + "x" * 1_000_000 + "\n").encode()


def _long_line() -> bytes:
    return (HEAD.replace("svc", "s" * 900_000)).encode()


def _long_key() -> bytes:
    return (HEAD + "requirements:\n  " + "k" * 500_000 + ": 1\n").encode()


def _many_values() -> bytes:
    return (HEAD + "requirements:\n  workloads: [" + "batch, " * 120_000 + "batch]\n").encode()


def _many_unknown_keys() -> bytes:
    return (HEAD + "requirements:\n" + "".join(f"  unknown{i}: {i}\n" for i in range(300))).encode()


def _many_bad_items() -> bytes:
    # Each item is its own schema error: building all of them once took seconds and 400 MB.
    return (HEAD + "requirements:\n  workloads: [" + ", ".join(f"x{i}" for i in range(90_000)) + "]\n").encode()


def _long_sexagesimal() -> bytes:
    return (HEAD + "requirements:\n  nodes: 1" + ":5" * 300_000 + "\n").encode()


def _laughs_ten_levels() -> bytes:
    lines = ["l0: &l0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return ("\n".join(lines) + "\n").encode()


GENERATORS: dict[str, Callable[[], bytes]] = {
    "deep-lists-10000.yaml": lambda: _deep_lists(10_000),
    "deep-mappings-10000.yaml": lambda: _deep_mappings(10_000),
    "deep-unclosed-450000.yaml": lambda: _unclosed(450_000),
    "over-size-limit.yaml": _over_size,
    "long-line.yaml": _long_line,
    "long-key.yaml": _long_key,
    "many-values.yaml": _many_values,
    "many-unknown-keys.yaml": _many_unknown_keys,
    "many-bad-items.yaml": _many_bad_items,
    "long-sexagesimal.yaml": _long_sexagesimal,
    "billion-laughs-10-levels.yaml": _laughs_ten_levels,
}
