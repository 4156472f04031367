"""Mention text in alerts and digests: made safe to quote (before channel-specific escaping), and
reduced to what it says, to tell a copy from a new voice."""

from __future__ import annotations

import re

from nlp.normalize import normalize_for_search

# Bidi embeddings/overrides/isolates can flip the visible order of an alert ("spoofing"), and
# zero-width spaces hide words from search; ZWNJ/ZWJ stay because Persian spelling needs them.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\r\n]+")
# @handles: two outlets posting one headline, or copies of one complaint, differ in these and in links
_HANDLES = re.compile(r"@\w+")
_NOT_A_WORD = re.compile(r"[\W_]+")


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
    # the archive's own normaliser (as stored in normalized_text): links gone, Arabic letter forms and
    # digits unified, stretched letters collapsed
    words = _HANDLES.sub(" ", normalize_for_search(text or ""))
    # ZWNJ is a format character (not \W): drop it, so «می‌کنم» and «میکنم» are one
    return _NOT_A_WORD.sub("", words).casefold().replace("\u200c", "") or (text or "")
