"""One run: lint files (``linter``), the reports and summary (``report``), many files on workers
(``parallel``), outputs written atomically (``output``) and progress on a terminal (``progress``).

``FAIL_ON`` is kept here for plugins that read it from ``orchlint.lint`` (its home is
``orchlint.support.exits``).
"""

from orchlint.support.exits import FAIL_ON

__all__ = ["FAIL_ON"]
