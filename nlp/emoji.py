"""Emoji extraction and a small polarity lexicon for the emoji Persian social text leans on.

Polarities are hand-assigned in [-1, 1] (after the Emoji Sentiment Ranking of Kralj Novak et al.
2015, rounded, and adjusted for Persian usage: 🙏 is thanks, 💔 and 😭 are complaints). An emoji not
in the lexicon is still extracted, with no polarity.
"""

from __future__ import annotations

import re

# One emoji "cluster": a pictograph with its modifiers, ZWJ sequences and flags.
_PICTO = (
    "\U0001f000-\U0001faff"  # most emoji blocks
    "\u2600-\u27bf"  # misc symbols, dingbats (☹ ❤ ✅ …)
    "\u2b00-\u2bff"  # arrows, stars
    "\u2300-\u23ff"  # technical (⌛ ⏰)
    "\u3030\u303d\u3297\u3299\u00a9\u00ae\u203c\u2049\u2122"
)
_EMOJI_RE = re.compile(
    rf"(?:[\U0001f1e6-\U0001f1ff]{{2}})"  # flags
    rf"|(?:[{_PICTO}][\ufe0f\ufe0e]?[\U0001f3fb-\U0001f3ff]?"
    rf"(?:\u200d[{_PICTO}][\ufe0f\ufe0e]?[\U0001f3fb-\U0001f3ff]?)*)"
)
_MODIFIERS_RE = re.compile("[\ufe0f\ufe0e\U0001f3fb-\U0001f3ff]")

POLARITY: dict[str, float] = {
    # positive
    "😍": 0.9, "🥰": 0.9, "😘": 0.8, "❤": 0.8, "♥": 0.7, "💖": 0.8, "💕": 0.8, "💗": 0.8, "💙": 0.7,
    "💚": 0.7, "💜": 0.7, "🧡": 0.7, "💛": 0.7, "🤍": 0.6, "😊": 0.7, "☺": 0.7, "🙂": 0.4, "😀": 0.6,
    "😃": 0.6, "😄": 0.6, "😁": 0.6, "😆": 0.5, "😂": 0.3, "🤣": 0.3, "😅": 0.1, "😉": 0.4, "😎": 0.5,
    "🤩": 0.8, "😋": 0.7, "🤤": 0.5, "👍": 0.7, "👌": 0.6, "👏": 0.6, "🙌": 0.6, "💪": 0.5, "🙏": 0.5,
    "🌹": 0.7, "🌸": 0.5, "🌺": 0.5, "💐": 0.7, "✨": 0.4, "🌟": 0.6, "⭐": 0.5, "🎉": 0.7, "🥳": 0.8,
    "💯": 0.7, "✅": 0.4, "🔥": 0.4, "😇": 0.6, "🤗": 0.6, "😻": 0.8, "👑": 0.5, "🏆": 0.6, "🎁": 0.5,
    "❣": 0.7, "💓": 0.8, "💞": 0.8, "🫶": 0.8, "😌": 0.3, "🤝": 0.4,
    # negative
    "😡": -0.9, "🤬": -1.0, "😠": -0.8, "👎": -0.8, "💔": -0.7, "😭": -0.6, "😢": -0.7, "😞": -0.7,
    "😔": -0.6, "😟": -0.6, "😕": -0.5, "🙁": -0.5, "☹": -0.6, "😩": -0.7, "😫": -0.7, "😤": -0.7,
    "😒": -0.6, "🙄": -0.5, "😑": -0.4, "😐": -0.2, "😶": -0.2, "🤦": -0.6, "🤢": -0.8, "🤮": -0.9,
    "💩": -0.7, "😱": -0.5, "😨": -0.5, "😰": -0.6, "😥": -0.5, "😓": -0.4, "😖": -0.6, "😣": -0.6,
    "🤔": -0.1, "😬": -0.3, "😪": -0.4, "🥺": -0.2, "😿": -0.6, "❌": -0.5, "⛔": -0.5, "🚫": -0.5,
    "⚠": -0.4, "🖕": -1.0, "😈": -0.3, "👿": -0.7, "🤯": -0.4, "🥵": -0.3, "🥶": -0.3, "⏳": -0.2,
    "⌛": -0.2, "🐢": -0.4, "🤷": -0.2,
}  # fmt: skip


def find_emojis(text: str) -> list[str]:
    """Every emoji cluster in ``text``, in order, as written (modifiers kept)."""
    if text.isascii():
        return []
    return [m.group(0) for m in _EMOJI_RE.finditer(text) if m.group(0) not in "©®™"]


def _base(emoji: str) -> str:
    return _MODIFIERS_RE.sub("", emoji).split("\u200d")[0]


def emoji_polarity(emojis: list[str]) -> float:
    """Mean polarity of the emojis that carry one, in [-1, 1]; 0.0 when none does."""
    values = [POLARITY[b] for b in map(_base, emojis) if b in POLARITY]
    return round(sum(values) / len(values), 4) if values else 0.0
