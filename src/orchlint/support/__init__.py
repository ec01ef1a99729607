"""Leaf helpers every layer may use: reading YAML with positions, finding files, fingerprints,
atomic writes, exit codes and did-you-mean suggestions. They import nothing of orchlint but ``model``."""
