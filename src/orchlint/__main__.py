import os
import sys

# ``python -m orchlint`` puts the current directory first on sys.path, and entry points are
# found along sys.path: a checked-out repository could then load its own committed
# ``*.dist-info`` as an installed plugin. The console script does not do this; neither does -m.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from orchlint.cli import entry  # noqa: E402  (after the sys.path fix, on purpose)

entry()
