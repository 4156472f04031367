"""Make untrusted mention text safe to quote in an alert (before channel-specific escaping)."""

from __future__ import annotations

import re

# Bidi embeddings/overrides/isolates can flip the visible order of an alert ("spoofing"), and
# zero-width spaces hide words from search; ZWNJ/ZWJ stay because Persian spelling needs them.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\r\n]+")
# links and @handles: two outlets posting one headline, or copies of one complaint, differ only in these
_LINKS_AND_HANDLES = re.compile(r"https?://\S+|www\.\S+|@\w+")
_NOT_A_WORD = re.compile(r"[\W_]+")
# Arabic letter forms that Persian keyboards and copy-paste mix in, and Persian/Arabic digits: one key
_ONE_FORM = str.maketrans(
    {"ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا"}
    | {d: str(i % 10) for i, d in enumerate("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")}
)


def clean_text(text: str | None, limit: int = 400) -> str:
    """Strip invisible/control characters, fold whitespace and cut to ``limit`` characters."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def gist(text: str | None) -> str:
    """What a mention says, without its links, handles, punctuation, spacing or emoji: the key that
    tells a copy (one headline from several outlets) from a new voice when mentions are quoted as
    examples. Numbers stay: «۲ ساعت» and «۵ ساعت» are two customers' stories."""
    letters = _NOT_A_WORD.sub("", _LINKS_AND_HANDLES.sub(" ", text or "")).casefold().translate(_ONE_FORM)
    # ZWNJ is a format character (not \W): drop it, so «می‌کنم» and «میکنم» are one
    return letters.replace("\u200c", "") or (text or "")
