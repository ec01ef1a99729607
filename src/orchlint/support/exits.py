"""orchlint's exit codes, the one table every command uses.

0  nothing at or above the threshold (--fail-on), or the command did what it was asked
1  findings at or above the threshold: some file has no viable deciding platform
2  bad input: a file, option, configuration or rule file could not be processed
3  a plugin failed (its error is reported; the other rules still ran)
"""

from __future__ import annotations

from orchlint.model import Severity

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_PLUGIN = 3

# --fail-on: the severity at which a finding makes a platform not viable (never: none does).
FAIL_ON = {"fail": Severity.FAIL, "warn": Severity.WARN, "never": None}
