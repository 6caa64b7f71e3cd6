"""Text from files, made safe to print: control characters shown, not obeyed; lengths bounded.

A preset's title is printed by ``--list`` and drawn in the status bar, so an
escape sequence in it would otherwise retitle or clear the user's terminal, and
a bidi override would make it read backwards. Pure; no Textual.
"""

from __future__ import annotations

import re

# C0 and DEL, C1, the bidi embeddings/overrides/isolates, the Unicode line separators,
# and lone surrogates (valid JSON, "\ud800", and a file name's undecodable bytes): no
# UTF-8 stream can write one.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
ELLIPSIS = "…"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\t\n\r":
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def has_control(text: str) -> bool:
    """Whether ``text`` has a character that ``clean`` escapes."""
    return _CONTROL.search(text) is not None


def clean(text: str, limit: int | None = None) -> str:
    """``text`` on one line with every control character escaped (``\\x1b``).

    With ``limit``, the result is at most that many characters, ending in ``…``
    when it was cut. Cleaning clean text changes nothing.
    """
    if limit is not None and len(text) > limit:
        text = text[: limit + 1]  # enough to know it must be cut, without scanning megabytes
    text = _CONTROL.sub(_escape, text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + ELLIPSIS
    return text
