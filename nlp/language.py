"""Language identification for short social text: fa, ar, en, finglish (Persian in Latin letters), other.

How it decides, in order:
1. **Script.** Letters are counted per script on the *raw* text (normalising would erase the
   Arabic/Persian letter difference). URLs, @handles and #hashtags are ignored: they say little
   about the language of the sentence around them.
2. **Arabic script → fa or ar.** Persian-only letters (پ چ ژ گ), ZWNJ, Persian function words and
   verb prefixes vote fa; Arabic letters (ة ى أ إ ؤ), the article ال- and Arabic function words
   vote ar. Function words weigh more than letters, and ي/ك vs ی/ک barely count, because
   keyboards swap them both ways.
3. **Latin script → en, finglish or other.** Tokens are looked up in a Finglish lexicon and an
   English lexicon (words in both, like "man", "to", "in", count for neither); when no word is
   in either, a character 2/3-gram naive-Bayes model trained on the two lexicons (Finglish
   spelling: kh, gh, oo, "-am", "-e"; English: th, wh, "-ing", "-tion") decides.
   Function words of other Latin-script languages (French, German, Spanish, Turkish…) or
   their accented letters make it ``other``.
4. Arabic-script text with letters only Urdu, Pashto or Kurdish use is ``other`` too.
5. Anything else (Cyrillic, CJK, Hebrew…, no letters at all) is ``other``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from nlp.lexicons import ARABIC_WORDS, ENGLISH_WORDS, FINGLISH_WORDS, OTHER_LATIN_WORDS, PERSIAN_WORDS

LANGS = ("fa", "ar", "en", "finglish", "other")

_STRIP_RE = re.compile(r"(?:https?://|www\.)\S+|[@#][\w\u200c.]+", re.I)
_URL_HANDLE_RE = re.compile(r"(?:https?://|www\.)\S+|@[\w.]+", re.I)
_HASHTAG_WORDS_RE = re.compile(r"[#_]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_AR_TOKEN_RE = re.compile(r"[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]+")
_LATIN_TOKEN_RE = re.compile(r"[a-z\u00c0-\u024f']+")

_SHARED_AL_WORDS = frozenset({"الله", "الان", "الهی", "العاده", "البته", "الکی", "الاغ", "الگو"})

# Letter votes. Arabic ي/ك and Persian ی/ک weigh little: keyboards and old systems swap them
# (much Persian text online is typed with Arabic ي/ك). پ چ ژ گ never occur in Arabic; ة ى أ إ ؤ
# are rare in Persian.
_PERSIAN_LETTER_VOTES = {"پ": 1.5, "چ": 1.5, "ژ": 1.5, "گ": 1.5, "ک": 0.25, "ی": 0.25}
_ARABIC_LETTER_VOTES = {"ة": 1.0, "ى": 0.5, "أ": 1.0, "إ": 1.0, "ؤ": 1.0, "ي": 0.25, "ك": 0.25}
# Letters of Urdu, Pashto, Sindhi and Kurdish (Sorani) that neither Persian nor Arabic uses.
_OTHER_ARABIC_SCRIPT = set("ٹڈڑںےۓھہۂۃېۍڼښځڅڇڳڱڻێۆڕڵەڤ")
_OTHER_ARABIC_SCRIPT_RE = re.compile("[" + "".join(sorted(_OTHER_ARABIC_SCRIPT)) + "]")
_ARABIC_SCRIPT_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff]")
_LATIN_SCRIPT_RE = re.compile("[\u0000-\u024f]")
_ACCENTED_RE = re.compile(r"[\u00c0-\u024f]")


@lru_cache(maxsize=1)
def _char_model() -> tuple[Counter[str], Counter[str], float, float, int]:
    """Character 2- and 3-gram counts (with word-boundary marks) of the two Latin lexicons: a
    naive-Bayes spelling model for words neither lexicon knows. Finglish writes kh/gh/sh/oo/aa
    and ends words in -am/-e/-ash; English writes th/wh/ck/-ing/-tion."""
    finglish = Counter(g for w in FINGLISH_WORDS for g in _char_grams(w))
    english = Counter(g for w in ENGLISH_WORDS for g in _char_grams(w))
    vocab = len(set(finglish) | set(english))
    return finglish, english, sum(finglish.values()) + 0.5 * vocab, sum(english.values()) + 0.5 * vocab, vocab


def _char_grams(word: str) -> list[str]:
    marked = f"^{word}$"
    return [marked[i : i + n] for n in (2, 3) for i in range(len(marked) - n + 1)]


def spelling_llr(token: str) -> float:
    """Mean log-likelihood ratio per n-gram, Finglish over English, of one lower-case token."""
    finglish, english, fin_total, en_total, _ = _char_model()
    grams = _char_grams(token)
    total = sum(
        math.log((finglish[g] + 0.5) / fin_total) - math.log((english[g] + 0.5) / en_total) for g in grams
    )
    return total / len(grams)


def _fa_ar_votes(text: str) -> tuple[float, float]:
    # count each voting letter (the weights are binary fractions: the sums are exact in any order)
    fa = sum(weight * text.count(ch) for ch, weight in _PERSIAN_LETTER_VOTES.items())
    ar = sum(weight * text.count(ch) for ch, weight in _ARABIC_LETTER_VOTES.items())
    fa += min(3.0, 1.5 * text.count("\u200c"))  # Arabic does not use ZWNJ
    tokens = _AR_TOKEN_RE.findall(text.replace("ي", "ی").replace("ك", "ک"))
    for token in tokens:
        if token in PERSIAN_WORDS:
            fa += 3.0
        elif token.startswith(("می", "نمی")) and len(token) > 4:
            fa += 1.0  # Persian verb prefixes
        if token in ARABIC_WORDS:
            ar += 3.0
        elif token.startswith("ال") and len(token) > 3 and token not in _SHARED_AL_WORDS:
            ar += 1.0  # the Arabic article (Persian borrows it too: «فوق‌العاده», «الان»)
    return fa, ar


def _finglish_vs_english(text: str) -> float:
    """Positive: Finglish; negative: English. 0.0: no evidence either way."""
    tokens = _LATIN_TOKEN_RE.findall(text.lower())
    score = 0.0
    for token in tokens:
        in_fin, in_en = token in FINGLISH_WORDS, token in ENGLISH_WORDS
        if in_fin and not in_en:
            score += 2.0
        elif in_en and not in_fin:
            score -= 2.0
    if score:
        return score
    # No lexicon word at all: let the spelling model vote, one bounded vote per token.
    return sum(max(-1.0, min(1.0, spelling_llr(t))) for t in tokens if len(t) > 1)


def _latin_language(text: str) -> str:
    lower = text.lower()
    tokens = _LATIN_TOKEN_RE.findall(lower)
    if not tokens:
        return "other"
    known = sum(1 for t in tokens if t in FINGLISH_WORDS or t in ENGLISH_WORDS)
    foreign = sum(1 for t in tokens if t in OTHER_LATIN_WORDS)
    accented = len(_ACCENTED_RE.findall(lower))
    # Accents English and Finglish do not use, or more foreign function words than known ones.
    if accented >= 2 or (accented and known < len(tokens) / 2) or (foreign and foreign >= known):
        return "other"
    return "finglish" if _finglish_vs_english(lower) > 0 else "en"


def script_counts(text: str) -> Counter[str]:
    """Letters per script: ``arabic`` (Persian and Arabic), ``latin``, ``other``."""
    letters = "".join(_LETTER_RE.findall(text))  # counted by regex: a loop per letter was slower
    arabic = len(_ARABIC_SCRIPT_RE.findall(letters))
    latin = len(_LATIN_SCRIPT_RE.findall(letters))  # Basic Latin through Latin Extended-B
    return Counter({"arabic": arabic, "latin": latin, "other": len(letters) - arabic - latin})


def detect_language(text: str) -> str:
    """One of ``fa``, ``ar``, ``en``, ``finglish``, ``other`` for the raw text of a mention."""
    if not text:
        return "other"
    body = _STRIP_RE.sub(" ", text[:5000])
    counts = script_counts(body)
    if sum(counts.values()) == 0:
        # Nothing but links, handles and hashtags: the hashtags' words are all there is to read.
        body = _HASHTAG_WORDS_RE.sub(" ", _URL_HANDLE_RE.sub(" ", text[:5000]))
        counts = script_counts(body)
    total = sum(counts.values())
    if total == 0:
        return "other"
    arabic, latin, other = counts["arabic"], counts["latin"], counts["other"]
    if arabic >= max(latin, other) or arabic >= 0.4 * total:
        foreign = len(_OTHER_ARABIC_SCRIPT_RE.findall(body))
        fa, ar = _fa_ar_votes(body)
        # Urdu/Kurdish letters, unless plenty of Persian words show a Persian writer's habit.
        if (foreign >= 2 or foreign > 0.05 * arabic) and fa < 4 * foreign:
            return "other"
        return "ar" if ar > fa else "fa"
    if latin >= other:
        return _latin_language(body)
    return "other"
