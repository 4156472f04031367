"""Text from the archive made safe to print on a terminal.

A mention's text is whatever its author typed: ESC sequences could set the window title, clear the
screen or draw a disguised hyperlink; C1 controls do the same on some terminals; bidi overrides
reorder what follows on the line. Every command that prints stored text passes it through
``terminal_safe``; tabs and newlines stay (``one_line`` folds them for table cells).
"""

from __future__ import annotations

import re

# C0 except \\t and \\n, DEL, C1, and the bidi embedding/override/isolate controls
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}" if ord(match.group()) > 0xFF else f"\\x{ord(match.group()):02x}"


def terminal_safe(text: object) -> str:
    """``text`` with every control character shown as a visible escape (``\\x1b``), tabs and
    newlines kept; None reads as an empty string."""
    if text is None:
        return ""
    return _UNSAFE.sub(_escape, str(text))


def one_line(text: object) -> str:
    """``terminal_safe`` with tabs and newlines folded to spaces (a table cell, a list line)."""
    return terminal_safe(text).replace("\t", " ").replace("\n", " ")


def markup_literal(text: object) -> str:
    """``terminal_safe`` with rich markup escaped, for text put into a rich-markup message: a name,
    path or error that carries ``[/b]`` is shown as typed instead of failing to render."""
    from rich.markup import escape

    return escape(terminal_safe(text))


def markup_cell(text: object) -> str:
    """``one_line`` with rich markup escaped: stored text for a rich table cell or a one-line message."""
    return markup_literal(one_line(text))
