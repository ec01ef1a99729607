"""What GitHub would take as @mentions in a Markdown document orchlint wrote (issue 17.15).

GitHub looks for mentions in the rendered text, outside code spans and links: an ``@`` after
the start or a character other than an ASCII letter, digit or ``_``, followed by a name. An
HTML comment is not text, so ``@<!-- -->name`` leaves an ``@`` with no name after it.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"(?<=[\s(])https?://[A-Za-z0-9\-.:/?#@!$'()+,;=%]+")
_MENTION = re.compile(r"(?<![A-Za-z0-9_])@([A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?)")


def mentions(markdown: str) -> list[str]:
    text = _LINK.sub(" ", _CODE.sub(" ", markdown))
    # Backslash escapes render as the character itself; the comment splits the text around it.
    text = re.sub(r"\\(.)", r"\1", text)
    return [m for part in text.split("<!-- -->") for m in _MENTION.findall(part)]
