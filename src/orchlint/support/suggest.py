"""``(did you mean 'nomad'?)``: the one suggestion every error message about a name uses."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or ``""`` when none is close."""
    if len(word) > 100:  # nothing that long is a typo of a key or value, and difflib is quadratic
        return ""
    import difflib  # only ever on the way to an error message

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
