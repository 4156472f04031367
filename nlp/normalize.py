"""Normalise informal Persian social text, extracting the signals that normalising would erase.

Order matters: the signals (emoji, stretching, repeated punctuation, @mentions, #hashtags, URLs)
are read *before* they are stripped, and the hazm ``Normalizer`` runs last, on text that no
longer holds markup, invisible controls or stretched letters it would mangle.

``normalize_for_search`` is the one function used for stored text and for search queries alike,
so a query finds what was stored whatever keyboard, digits or ZWNJ habit either was typed with.
Pure functions, no I/O.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from nlp.emoji import emoji_polarity, find_emojis

#: Longer input is cut here before any processing: social posts are short, and a hostile
#: multi-megabyte "mention" must not stall the pipeline. The raw text is kept untouched.
MAX_CHARS = 20_000

ZWNJ = "\u200c"

# Bidi controls (LRM, RLM, ALM, embeddings/overrides, isolates) and invisible characters that
# carry no meaning in stored text. ZWJ is removed only after emoji extraction (it joins emoji).
_BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = "\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u200d\ufe0e\ufe0f"
_STRIP_TABLE = {ord(c): None for c in _BIDI + _INVISIBLE}
_STRIP_TABLE[ord("\u0640")] = None  # tatweel (kashida): pure stretching

# Letters and digits: Arabic-keyboard forms → Persian; every digit → ASCII so order numbers,
# phone numbers and prices compare and search equally whichever keyboard typed them.
_CHAR_MAP = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ۀ": "ه",
        "ة": "ه",
        "ؤ": "و",
        "إ": "ا",
        "أ": "ا",
        "ٱ": "ا",
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        "٫": ".",
        "٬": ",",
    }
)

#: the ezafe written as a hamza on «ه» («خانهٔ»): «خانه». The precomposed «ۀ» already maps to «ه»
#: above; the decomposed pair is left by NFC (no character composes it), and the two full-text
#: engines disagreed on it (FTS5 drops the mark, PostgreSQL's parser keeps it in the word)
EZAFE_HAMZA = "\u0647\u0654"

_PERSIAN_LETTER = "\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c0"
_BLOCK_OPEN_RE = re.compile(r"<(script|style)\b", re.I)
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][^<>]{0,500}>|<!--.*?-->|<![^<>]{0,500}>", re.S)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]{1,2000}", re.I)
_MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,62}[A-Za-z0-9_])?)")
_HASHTAG_RE = re.compile(r"(?<![\w#])#([^\W\d_][\w\u200c]{0,139})")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_PUNCT_RUN_RE = re.compile(r"[!?؟.]{2,}|[!?؟]{2,}")
_ELLIPSIS_RE = re.compile(r"^\.{2,3}$")
_STRETCH_FA_RE = re.compile(rf"([{_PERSIAN_LETTER}])\1{{2,}}")
_STRETCH_LATIN_RE = re.compile(r"([A-Za-z])\1{2,}")
_WORD_RE = re.compile(rf"[{_PERSIAN_LETTER}A-Za-z\u200c]+")
_LAUGH_RE = re.compile(r"^(?:ه|خ|h|k){3,}$", re.I)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ZWNJ_RUN_RE = re.compile(r"\u200c{2,}")
# ZWNJ belongs only between two letters; elsewhere (word edges, next to spaces, digits,
# punctuation) it is noise that breaks tokenisation and search.
_ZWNJ_STRAY_RE = re.compile(r"(?<![^\W\d_])\u200c|\u200c(?![^\W\d_])")
# hazm writes a point between digits (or "+") as the momayez, spaced: "1.5" -> "1 ٫ 5", "0.+" -> "0 ٫+";
# but it does so before its spacing fixes, so "0 .0" comes out "0.0", and only once per match, so "1.2.3"
# gives "1 ٫ 2.3". Its output is therefore finished here (every point between digits a momayez, every
# momayez spaced one way) and, read back, a spaced momayez is joined first: normalising the normalised
# text must give the same text, since stored text and search queries must agree.
_SPACED_MOMAYEZ_RE = re.compile(r"(?<=[\d+]) ?٫ ?(?=[\d+])")
_DECIMAL_POINT_RE = re.compile(r"(?<=[\d+])\.(?=[\d+])")
_MOMAYEZ_RE = re.compile(r" ?٫ ?")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINES_RE = re.compile(r"\s*\n\s*")


@dataclass(frozen=True)
class NormalizedText:
    """The normalised text of one mention and the signals read from it before normalising."""

    raw: str
    text: str
    emojis: list[str] = field(default_factory=list)
    #: mean polarity of the emojis in [-1, 1]; 0.0 when none carries polarity
    emoji_polarity: float = 0.0
    #: words that were stretched, in their normalised form ("خیلیییی" → "خیلی")
    stretched: list[str] = field(default_factory=list)
    #: runs of repeated punctuation as written ("!!!", "؟؟؟")
    repeated_punct: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    #: the hashtags split into words ("#دیجی_کالا" → "دیجی کالا")
    hashtag_words: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    truncated: bool = False

    def signals(self) -> dict[str, Any]:
        """The extracted signals as JSON-ready data (everything but raw and text)."""
        # Built by hand: dataclasses.asdict deep-copies and was a fifth of the analyzer's time.
        return {
            "emojis": list(self.emojis),
            "emoji_polarity": self.emoji_polarity,
            "stretched": list(self.stretched),
            "repeated_punct": list(self.repeated_punct),
            "mentions": list(self.mentions),
            "hashtags": list(self.hashtags),
            "hashtag_words": list(self.hashtag_words),
            "urls": list(self.urls),
            "truncated": self.truncated,
        }


@lru_cache(maxsize=1)
def _hazm_normalizer() -> Any:
    # hazm's Normalizer with its tables and regexes prepared once (hazm 0.10 rebuilds them on every
    # call); imported here so that importing this module does not load hazm.
    from nlp.sentiment.preprocess import hazm_normalizer

    # Digits are mapped to ASCII by us; stretching is handled (and recorded) before hazm.
    return hazm_normalizer(persian_numbers=False, decrease_repeated_chars=False, remove_specials_chars=False)


def unify_letters(text: str) -> str:
    """Only the letter/digit unification (Arabic ي/ك → ی/ک, all digits → ASCII): cheap, for
    short keys such as handles and hashtags."""
    return text.translate(_CHAR_MAP)


def _strip_blocks(text: str) -> str:
    """Drop <script>/<style> elements with their content, in one linear pass; an unclosed one
    runs to the end (as in a browser)."""
    lower = text.lower()
    out: list[str] = []
    pos = 0
    while (match := _BLOCK_OPEN_RE.search(text, pos)) is not None:
        out.append(text[pos : match.start()])
        close = lower.find(f"</{match.group(1).lower()}", match.end())
        if close < 0:
            return " ".join(out)
        end = lower.find(">", close)
        pos = len(text) if end < 0 else end + 1
        out.append(" ")
    out.append(text[pos:])
    return "".join(out)


def strip_html(text: str) -> str:
    """Remove markup (and script/style bodies) and decode entities, without eval or a parser."""
    if "<" in text:
        text = _strip_blocks(text)
        text = _HTML_TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
        # Entities that decoded into markup ("&lt;b&gt;") must not come back as tags.
        if "<" in text:
            text = _HTML_TAG_RE.sub(" ", text)
    return text


def split_hashtag(tag: str) -> str:
    """``دیجی_کالا`` → ``دیجی کالا``; ``SabzinoSupport`` → ``Sabzino Support``."""
    words = tag.replace("_", " ").replace(ZWNJ + ZWNJ, ZWNJ)
    words = _CAMEL_RE.sub(" ", words)
    return " ".join(words.split())


def _clean_invisibles(text: str) -> str:
    text = _CONTROL_RE.sub(" ", text)
    text = text.translate(_STRIP_TABLE)
    text = _ZWNJ_RUN_RE.sub(ZWNJ, text)
    return _ZWNJ_STRAY_RE.sub("", text)


_TRIPLE_RE = re.compile(r"([^\W\d_])\1\1")


def _destretch(text: str, stretched: list[str]) -> str:
    if not _TRIPLE_RE.search(text):
        return text  # most texts: nothing stretched, skip the per-word pass

    def fix_word(match: re.Match[str]) -> str:
        word = match.group(0)
        if _LAUGH_RE.match(word):
            return word[:3]  # laughter ("خخخخخ", "ههههه") is a token in itself, keep it short
        fixed = _STRETCH_FA_RE.sub(r"\1", word)
        fixed = _STRETCH_LATIN_RE.sub(r"\1\1", fixed)
        if fixed != word:
            stretched.append(fixed)
        return fixed

    return _WORD_RE.sub(fix_word, text)


def _collapse_punct(text: str, runs: list[str]) -> str:
    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        if _ELLIPSIS_RE.match(run):
            return run  # "..." is punctuation, not emphasis
        runs.append(run)
        return "؟" if "؟" in run or ("?" in run and "!" not in run) else run[0]

    return _PUNCT_RUN_RE.sub(fix, text)


_MAX_PASSES = 3


def _letters_and_spacing(work: str) -> str:
    """Letters and digits unified, hazm's spacing and punctuation, invisible characters and runs of spaces."""
    work = _SPACED_MOMAYEZ_RE.sub("٫", work).translate(_CHAR_MAP).replace(EZAFE_HAMZA, "ه")
    work = _hazm_normalizer().normalize(work)
    work = _MOMAYEZ_RE.sub(" ٫ ", _DECIMAL_POINT_RE.sub("٫", work))
    work = _clean_invisibles(work)
    work = _SPACES_RE.sub(" ", work)
    return _NEWLINES_RE.sub("\n", work).strip()


def normalize(text: str) -> NormalizedText:
    """Normalise one mention's text and extract its social signals. Never raises on odd input."""
    once = _normalize_once(text)
    # hazm is not idempotent ('""' -> '" "' -> '«»', '? !' -> '?!' -> '?'), but the stored text and a
    # query typed from it must normalise alike: repeat on the text until nothing changes (one more pass
    # for almost every text; the signals are the first pass's)
    work = once.text
    for _ in range(_MAX_PASSES):
        again = _normalize_once(work).text
        if again == work:
            break
        work = again
    return once if work == once.text else replace(once, text=work)


def _normalize_once(text: str) -> NormalizedText:
    raw = text if isinstance(text, str) else str(text)
    truncated = len(raw) > MAX_CHARS
    work = raw[:MAX_CHARS]
    work = unicodedata.normalize("NFC", _CONTROL_RE.sub(" ", work))
    work = strip_html(work)

    urls = [u.rstrip(".,!?؟،;:)") for u in _URL_RE.findall(work)]
    work = _URL_RE.sub(" ", work)

    emojis = find_emojis(work)
    polarity = emoji_polarity(emojis)
    if emojis:
        for emoji in sorted(set(emojis), key=len, reverse=True):
            work = work.replace(emoji, " ")
    work = _clean_invisibles(work)

    mentions = _MENTION_RE.findall(work)
    hashtags = [h.strip(ZWNJ) for h in _HASHTAG_RE.findall(work)]
    hashtag_words = [split_hashtag(h) for h in hashtags]
    # The hashtag's words stay in the text: "#سبزینو_افتضاح" says something about the brand.
    work = _HASHTAG_RE.sub(lambda m: " " + split_hashtag(m.group(1)) + " ", work)

    stretched: list[str] = []
    work = _destretch(work, stretched)
    runs: list[str] = []
    work = _collapse_punct(work, runs)
    work = _letters_and_spacing(work)

    return NormalizedText(
        raw=raw,
        text=work,
        emojis=emojis,
        emoji_polarity=polarity,
        stretched=[s.translate(_CHAR_MAP) for s in stretched],
        repeated_punct=runs,
        mentions=mentions,
        hashtags=[h.translate(_CHAR_MAP) for h in hashtags],
        hashtag_words=[w.translate(_CHAR_MAP) for w in hashtag_words],
        urls=urls,
        truncated=truncated,
    )


def normalize_for_search(text: str) -> str:
    """The normalised text, exactly as stored (``MentionAnalysis.normalized_text``) and as
    applied to search queries. Case is left to the full-text engines (FTS5 and PostgreSQL
    both fold it)."""
    return normalize(text).text
