"""The direction a reply box opens in: that of its first word, not of the @handle it starts with.

``dir="auto"`` takes the first strong letter, and a suggested Persian reply starts with the customer's
Latin handle («@ali61 گرامی، …»): the box opened left to right and the sentence's end punctuation
jumped to the wrong side while support edited it.
"""

from __future__ import annotations

import re

# handles, hashtags and links are names, not the language of the sentence
_NAMES = re.compile(r"@[\w.]+|#\S+|https?://\S+")
# Hebrew, Arabic, Syriac, Thaana, N'Ko and the Arabic presentation forms
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")


def text_direction(text: str | None) -> str:
    """``rtl`` or ``ltr`` by the first letter outside handles, hashtags and links; ``auto`` without one."""
    for ch in _NAMES.sub(" ", (text or "")[:2000]):
        if ch.isdigit():  # Persian digits too: numbers are weak, the first letter decides
            continue
        if _RIGHT_TO_LEFT.match(ch):
            return "rtl"
        if ch.isalpha():
            return "ltr"
    return "auto"
