"""Query text → tokens, each with its 0-based offset.

Only upper-case ``AND``, ``OR``, ``NOT`` and ``NEAR/n`` are operators (lower-case "and" is a
word); ``(`` and ``)`` group; ``-`` right before a term excludes it; ``"…"`` is a phrase (an
unclosed quote runs to the end, as the simple syntax always allowed); a trailing ``*`` is a
prefix; ``name:value`` with a known field name, and ``reach>=N`` / ``followers>=N``, are filters.
Anything else is a word, later cut into index tokens (punctuation falls away).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: the field names a filter may use (a ``name:`` not listed here is an ordinary word, like a URL)
FIELD_NAMES = ("brand", "source", "sentiment", "emotion", "touchpoint", "lang", "author", "date")
_FIELD_RE = re.compile(rf"({'|'.join(FIELD_NAMES)}):(.*)", re.IGNORECASE | re.DOTALL)
_NUMBER_RE = re.compile(r"(reach|followers)(>=|<=|>|<|=)(.*)", re.IGNORECASE | re.DOTALL)
_NEAR_RE = re.compile(r"NEAR/(.*)", re.DOTALL)
_BREAK = set('()"') | {" ", "\t", "\n", "\r"}


@dataclass(frozen=True)
class Token:
    kind: str  # ( ) AND OR NOT NEAR - WORD PHRASE FIELD NUMBER END
    pos: int
    text: str = ""  # WORD/PHRASE text, FIELD value, NEAR's n, NUMBER's value
    name: str = ""  # FIELD/NUMBER name; NUMBER's operator in ``op``
    op: str = ""
    prefix: bool = False
    value_pos: int = 0  # where a FIELD's value starts (for errors about the value)


def _is_space(ch: str) -> bool:
    return ch.isspace()


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if _is_space(ch):
            i += 1
        elif ch in "()":
            out.append(Token(ch, i))
            i += 1
        elif ch == '"':
            i = _phrase(text, i, out)
        elif ch == "-" and i + 1 < n and not _is_space(text[i + 1]) and text[i + 1] != ")":
            out.append(Token("-", i))
            i += 1
        else:
            i = _word(text, i, out)
    out.append(Token("END", n))
    return out


def _phrase(text: str, start: int, out: list[Token], kind: str = "PHRASE") -> int:
    end = text.find('"', start + 1)
    close = len(text) if end < 0 else end
    i = close + 1
    prefix = i < len(text) and text[i] == "*"
    out.append(Token(kind, start, text[start + 1 : close], prefix=prefix))
    return i + 1 if prefix else i


def _word(text: str, start: int, out: list[Token]) -> int:
    i = start
    while i < len(text) and text[i] not in _BREAK and not _is_space(text[i]):
        i += 1
    word = text[start:i]
    if word in ("AND", "OR", "NOT"):
        out.append(Token(word, start))
        return i
    if near := _NEAR_RE.fullmatch(word):
        out.append(Token("NEAR", start, near.group(1)))
        return i
    if number := _NUMBER_RE.fullmatch(word):
        name, op, value = number.groups()
        out.append(Token("NUMBER", start, value, name=name.lower(), op=op, value_pos=start + number.start(3)))
        return i
    if field := _FIELD_RE.fullmatch(word):
        name, value = field.groups()
        value_pos = start + field.start(2)
        if not value and i < len(text) and text[i] == '"':  # brand:"two words"
            quoted: list[Token] = []
            i = _phrase(text, i, quoted)
            value, value_pos = quoted[0].text, quoted[0].pos + 1
        out.append(Token("FIELD", start, value, name=name.lower(), value_pos=value_pos))
        return i
    prefix = word.endswith("*")
    out.append(Token("WORD", start, word, prefix=prefix))
    return i
