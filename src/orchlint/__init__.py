"""orchlint: lint container-orchestrator requirements against what each platform can do."""

__version__ = "0.1.0"
