"""Finglish (Persian typed in Latin letters) to Persian script.

Each Latin word is spelled in Persian by a beam search over a table of letter clusters and the Persian
letters they may stand for (``kh`` → خ, ``gh`` → ق/غ, ``s`` → س/ص/ث, a short vowel → nothing, a final
``e`` → ه …), where every partial spelling must be the start of a word of a Persian word-frequency
vocabulary (``nlp/data/persian_vocab.tsv.gz``, built by ``scripts/build_persian_vocab.py``). A
candidate's cost is the cost of the clusters' choices plus a penalty for rarity; the cheapest
vocabulary word wins. Frequent colloquial words whose spelling the search could get wrong are in a
hand-written exceptions table (a few by the next word: ``hal shod`` → «حل شد», not «حال»); a word with
no vocabulary spelling gets a suffix or prefix split (``sefaresh|am``, ``mi|…``), and failing that stays
in Latin, as known English words, names, codes, links and @handles do.

:class:`Transliterator` holds the vocabulary (load it once with :meth:`Transliterator.load`);
:meth:`Transliterator.transliterate` is then pure, with a per-word cache.
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from nlp.lexicons import ENGLISH_WORDS, FINGLISH_WORDS

ZWNJ = "\u200c"
VOCAB_RESOURCE = "persian_vocab.tsv.gz"
MAX_WORD = 40  # longer Latin runs are not words: left as they are
BEAM = 64
RARITY = 0.45  # cost per natural-log unit of frequency below the most frequent word
PREFIX_COST = 0.5  # a prefix split (mi|, nemi|) after an equally good suffix split

FINAL_E_DROP = 1.2  # a final "e" is mostly ه (خونه, گرونه); unwritten only as the ezafe ("sare kar")

# (latin cluster, position) -> [(persian, cost)]; position: "i" initial, "m" medial, "f" final, "*" any.
_CONSONANTS: dict[str, list[tuple[str, float]]] = {
    "b": [("ب", 0)],
    "p": [("پ", 0)],
    "t": [("ت", 0), ("ط", 0.7)],
    "s": [("س", 0), ("ص", 0.7), ("ث", 1.5)],
    "j": [("ج", 0)],
    "ch": [("چ", 0)],
    "c": [("ک", 0.8), ("س", 1.5)],
    "h": [("ه", 0), ("ح", 0.5)],
    "kh": [("خ", 0)],
    "x": [("خ", 1.0), ("کس", 1.5)],
    "d": [("د", 0)],
    "z": [("ز", 0), ("ذ", 0.7), ("ض", 0.9), ("ظ", 0.9)],
    "r": [("ر", 0)],
    "zh": [("ژ", 0)],
    "sh": [("ش", 0)],
    "gh": [("ق", 0), ("غ", 0.3)],
    "q": [("ق", 0.2), ("غ", 0.6)],
    "f": [("ف", 0)],
    "k": [("ک", 0)],
    "g": [("گ", 0)],
    "l": [("ل", 0)],
    "m": [("م", 0)],
    "n": [("ن", 0)],
    "v": [("و", 0)],
    "w": [("و", 0)],
    "y": [("ی", 0)],
    "'": [("ع", 0.3), ("", 0.5), ("ئ", 1.0), ("ا", 1.2)],
    "`": [("ع", 0.3), ("", 0.5)],
    "’": [("ع", 0.3), ("", 0.5)],
    "kha": [("خوا", 0.4)],  # "khab", "mikham": the unwritten و of خوا
}
_VOWELS: dict[str, dict[str, list[tuple[str, float]]]] = {
    "i": {  # word-initial: Persian needs an alef (or ع) to carry the vowel
        "a": [("ا", 0.2), ("آ", 0.4), ("ع", 0.8)],
        "aa": [("آ", 0), ("عا", 0.8)],
        "â": [("آ", 0)],
        "e": [("ا", 0.2), ("ع", 0.8), ("ای", 1.5)],
        "i": [("ای", 0.2), ("عی", 1.0)],
        "ee": [("ای", 0.2)],
        "ei": [("ای", 0.3)],
        "ey": [("ای", 0.3)],
        "o": [("ا", 0.3), ("او", 0.5), ("ع", 0.8)],
        "oo": [("او", 0)],
        "ou": [("او", 0)],
        "u": [("او", 0.1)],
    },
    "m": {
        "a": [("", 0.3), ("ا", 0.4), ("ع", 1.2), ("ه", 1.5)],
        "aa": [("ا", 0), ("اع", 0.5), ("عا", 1.0), ("آ", 1.0)],  # "saat": ساعت
        "â": [("ا", 0)],
        "e": [("", 0.1), ("ه", 1.2), ("ع", 1.4), ("ی", 1.6), ("ئ", 1.6)],
        "i": [("ی", 0), ("", 3.0)],
        "ee": [("ی", 0)],
        "ei": [("ی", 0.3), ("ئی", 1.5)],
        "ey": [("ی", 0.3)],
        "o": [("", 0.3), ("و", 0.4), ("ع", 1.4)],
        "oo": [("و", 0)],
        "ou": [("و", 0)],
        "u": [("و", 0)],
        "ow": [("و", 0.2)],
        "eh": [("ه", 0.2), ("هه", 0.4)],  # "bachehaye": بچه + های
    },
    "f": {
        "a": [("ا", 0), ("ه", 0.9), ("", 1.8), ("ع", 1.5)],
        "aa": [("ا", 0)],
        "â": [("ا", 0)],
        "e": [("ه", 0), ("", FINAL_E_DROP), ("ی", 1.3), ("ع", 1.6)],
        "i": [("ی", 0), ("یع", 0.6)],  # "sari": سریع
        "ee": [("ی", 0)],
        "ei": [("ی", 0.4), ("یی", 0.8)],
        "ey": [("ی", 0.4)],
        "o": [("و", 0.2), ("", 1.2), ("ه", 1.0)],
        "oo": [("و", 0), ("وع", 0.6)],  # "marjoo", "shoroo": مرجوع, شروع
        "ou": [("و", 0)],
        "u": [("و", 0)],
        "eh": [("ه", 0)],
        "an": [("ا", 0.8)],  # tanvin: "aslan", "lotfan", "ghablan"
        "ye": [("ی", 0.2), ("یه", 0.6)],  # ezafe after a vowel: "havaye", "haye"
        "ah": [("اه", 0.5), ("ه", 0.6)],
    },
}
_DOUBLE_COST = 0.3  # "moaddab" -> مودب: Persian writes a geminate once

# Frequent colloquial and function words, spelled once by hand: short words are where a frequency-scored
# search is least reliable (ke/که vs کی, to/تو, ro/رو).
EXCEPTIONS: dict[str, str] = {
    **dict.fromkeys(("merci", "mersi", "mrc", "mrsi", "mersy", "mercy"), "مرسی"),
    **dict.fromkeys(("kheili", "kheyli", "khaili", "khayli", "khely", "khyli", "kheily", "kheli"), "خیلی"),
    **dict.fromkeys(("dige", "dg", "digeh"), "دیگه"),
    **dict.fromkeys(("chera", "chra"), "چرا"),
    **dict.fromkeys(("ke", "keh"), "که"),
    **dict.fromkeys(("ro", "ra"), "رو"),
    **dict.fromkeys(("to", "too", "tu"), "تو"),
    **dict.fromkeys(("va", "o"), "و"),
    **dict.fromkeys(("az",), "از"),
    **dict.fromkeys(("be", "beh"), "به"),
    **dict.fromkeys(("ba",), "با"),
    **dict.fromkeys(("ham",), "هم"),
    **dict.fromkeys(("in",), "این"),
    **dict.fromkeys(("on", "oon", "un"), "اون"),
    **dict.fromkeys(("man",), "من"),
    **dict.fromkeys(("ma",), "ما"),
    **dict.fromkeys(("shoma",), "شما"),
    **dict.fromkeys(("ye", "yek"), "یه"),
    **dict.fromkeys(("chi",), "چی"),
    **dict.fromkeys(("che",), "چه"),
    **dict.fromkeys(("key",), "کی"),
    **dict.fromkeys(("ya",), "یا"),
    **dict.fromkeys(("na",), "نه"),
    **dict.fromkeys(("are", "areh", "aare"), "آره"),
    **dict.fromkeys(("bale", "baleh"), "بله"),
    **dict.fromkeys(("salam", "slm", "salaam"), "سلام"),
    **dict.fromkeys(("mamnoon", "mamnun", "mmnon", "mamnon"), "ممنون"),
    **dict.fromkeys(("lotfan", "lotfa"), "لطفا"),
    **dict.fromkeys(("vaghean", "vaghan", "vaghaen", "vaqean", "vaghn"), "واقعا"),
    **dict.fromkeys(("aslan", "aslann"), "اصلا"),
    **dict.fromkeys(("faghat", "faqat"), "فقط"),
    **dict.fromkeys(("hanooz", "hanuz", "hnooz"), "هنوز"),
    **dict.fromkeys(("alan", "alaan"), "الان"),
    **dict.fromkeys(("emrooz", "emruz", "emroz"), "امروز"),
    **dict.fromkeys(("dirooz", "diruz", "diroz"), "دیروز"),
    **dict.fromkeys(("farda",), "فردا"),
    **dict.fromkeys(("khoob", "khub", "khoub", "khob"), "خوب"),
    **dict.fromkeys(("khoobi", "khubi"), "خوبی"),
    **dict.fromkeys(("aali", "ali"), "عالی"),
    **dict.fromkeys(("soal", "so'al", "sual", "soaal"), "سوال"),
    **dict.fromkeys(("sari", "sary"), "سریع"),
    **dict.fromkeys(("mishe", "mishe?"), "میشه"),
    **dict.fromkeys(("nemishe", "nmishe"), "نمیشه"),
    **dict.fromkeys(("bood", "bud"), "بود"),
    **dict.fromkeys(("hast",), "هست"),
    **dict.fromkeys(("nist",), "نیست"),
    **dict.fromkeys(("hich", "hich?"), "هیچ"),
    **dict.fromkeys(("hame", "hameh"), "همه"),
    **dict.fromkeys(("vali", "valy"), "ولی"),
    **dict.fromkeys(("age", "ageh"), "اگه"),
    **dict.fromkeys(("ta",), "تا"),
    **dict.fromkeys(("baraye", "barae"), "برای"),
    **dict.fromkeys(("bara",), "برا"),
    **dict.fromkeys(("inja",), "اینجا"),
    **dict.fromkeys(("oonja", "unja"), "اونجا"),
    **dict.fromkeys(("chetori", "chetory"), "چطوری"),
    **dict.fromkeys(("chetore",), "چطوره"),
    **dict.fromkeys(("chikar", "chekar"), "چیکار"),
    **dict.fromkeys(("koja",), "کجا"),
    **dict.fromkeys(("chand",), "چند"),
    **dict.fromkeys(("bebakhshid", "bebakhshin", "bbkhshid"), "ببخشید"),
    **dict.fromkeys(("damet", "damesh"), "دمت"),
    **dict.fromkeys(("dametoon", "dametun"), "دمتون"),
    **dict.fromkeys(("garm",), "گرم"),
    **dict.fromkeys(("eyval", "eival"), "ایول"),
    **dict.fromkeys(("khodafez", "khodahafez", "khdafez"), "خداحافظ"),
    **dict.fromkeys(("azizam",), "عزیزم"),
    **dict.fromkeys(("sefaresh",), "سفارش"),
    **dict.fromkeys(("poshtibani",), "پشتیبانی"),
    **dict.fromkeys(("internet", "intrnet"), "اینترنت"),
    **dict.fromkeys(("gooshi", "gushi"), "گوشی"),
    **dict.fromkeys(("ghaza", "qaza"), "غذا"),
    **dict.fromkeys(("pool", "pul"), "پول"),
    **dict.fromkeys(("khoone", "khune"), "خونه"),
    **dict.fromkeys(("bad",), "بد"),
    **dict.fromkeys(("dard",), "درد"),
    **dict.fromkeys(("shobe", "shobeh", "shoabe"), "شعبه"),
    **dict.fromkeys(("ghat", "qat"), "قطع"),
    **dict.fromkeys(("daemi", "daaemi"), "دائمی"),
    **dict.fromkeys(("kar",), "کار"),
    **dict.fromkeys(("saat",), "ساعت"),
    **dict.fromkeys(("rooz", "ruz"), "روز"),
    **dict.fromkeys(("shab",), "شب"),
    **dict.fromkeys(("sob",), "صبح"),
    **dict.fromkeys(("hafte",), "هفته"),
}

# Spellings that depend on the next word: (word, next words) -> spelling.
BY_NEXT_WORD: dict[str, tuple[frozenset[str], str]] = {
    "hal": (
        frozenset(
            {"shod", "shode", "nashod", "nashode", "kard", "kardan", "kardin", "kardid", "kon", "konid"}
            | {"konin", "konam", "mishe", "nemishe"}
        ),
        "حل",
    ),
}

# Suffixes tried when a whole word has no vocabulary spelling: (latin, persian, joined by ZWNJ?).
SUFFIXES: tuple[tuple[str, str, bool], ...] = (
    ("haye", "های", True),
    ("hash", "هاش", True),
    ("ha", "ها", True),
    ("eshoon", "شون", False),
    ("etoon", "تون", False),
    ("emoon", "مون", False),
    ("esh", "ش", False),
    ("et", "ت", False),
    ("am", "م", False),
    ("amo", "مو", False),
    ("esho", "شو", False),
    ("eto", "تو", False),
    ("o", "و", False),
    ("e", "ه", False),
    ("i", "ی", False),
)
PREFIXES: tuple[tuple[str, str], ...] = (("nemi", "نمی"), ("mi", "می"))

_TOKEN = re.compile(
    r"(?:https?://|www\.)\S+|@[\w.]+|[A-Za-zâ][A-Za-zâ0-9'’`]*[A-Za-zâ0-9]|[A-Za-zâ]|\d\w*|\s+|.",
    re.DOTALL,
)
# Links, handles, codes with digits (PIZZA30, 5G) and short acronyms (ADSL, SMS) stay as they are.
_KEEP = re.compile(r"(?:https?://|www\.|@)|.*\d|[A-Z]{2,5}$")
_PUNCT = str.maketrans({",": "،", "?": "؟", ";": "؛"})
# English words that are also everyday Finglish (do = دو, dad = داد, sad = صد, bank = بانک) are spelled.
_BOTH = frozenset(
    {
        "do",
        "dad",
        "sad",
        "am",
        "an",
        "had",
        "bank",
        "hey",
        "see",
        "code",
        "card",
        "app",
        "box",
        "team",
        "shop",
    }
)
_ENGLISH = frozenset(ENGLISH_WORDS) - frozenset(FINGLISH_WORDS) - set(EXCEPTIONS) - _BOTH


def _rules() -> dict[str, list[tuple[str, str, float]]]:
    """position -> [(latin, persian, cost)], longest clusters first."""
    out: dict[str, list[tuple[str, str, float]]] = {}
    for pos in ("i", "m", "f"):
        rules = [(lat, fa, c) for lat, options in _CONSONANTS.items() for fa, c in options]
        rules += [(lat, fa, c) for lat, options in _VOWELS[pos].items() for fa, c in options]
        out[pos] = sorted(rules, key=lambda r: -len(r[0]))
    return out


_RULES = _rules()


@dataclass
class Transliterator:
    """Spells Finglish in Persian script against a word-frequency vocabulary (pure after construction)."""

    counts: dict[str, int] = field(repr=False)  # key (no ZWNJ) -> count
    surface: dict[str, str] = field(repr=False)  # key -> most frequent written form (with its ZWNJ)
    prefixes: frozenset[str] = field(default=frozenset(), repr=False)
    top: float = 1.0

    def __post_init__(self) -> None:
        if not self.prefixes:
            self.prefixes = frozenset(k[:i] for k in self.counts for i in range(1, len(k) + 1))
        self.top = math.log(max(self.counts.values(), default=1))
        self._word = lru_cache(maxsize=50_000)(self._spell)

    @classmethod
    def from_counts(cls, pairs: Iterable[tuple[str, int]]) -> Transliterator:
        counts: dict[str, int] = {}
        surface: dict[str, str] = {}
        best: dict[str, int] = {}
        for word, count in pairs:
            key = word.replace(ZWNJ, "")
            counts[key] = counts.get(key, 0) + count
            if count > best.get(key, 0):
                best[key], surface[key] = count, word
        return cls(counts, surface)

    @classmethod
    def load(cls) -> Transliterator:
        """The bundled vocabulary (read once; reuse the returned object)."""
        raw = resources.files("nlp").joinpath("data", VOCAB_RESOURCE).read_bytes()
        rows = gzip.decompress(raw).decode("utf-8").splitlines()
        return cls.from_counts((w, int(c)) for w, c in (row.split("\t") for row in rows if row))

    # -- words -------------------------------------------------------------------------------------

    def word(self, latin: str, clause_end: bool = False) -> str:
        """One Latin word in Persian script (cached). At the end of a clause a final "e" is the
        colloquial copula or a final ه (``khamooshe.`` → «خاموشه»), never an unwritten ezafe."""
        return self._word(latin.lower(), clause_end)

    def _spell(self, word: str, clause_end: bool = False) -> str:
        if word in EXCEPTIONS:
            return EXCEPTIONS[word]
        if word in _ENGLISH or len(word) > MAX_WORD:
            return word
        squeezed = re.sub(r"(.)\1{2,}", r"\1", word)
        if squeezed != word:  # stretched letters: "aaaali", "kheiliiiii", "khoooob"
            return self._spell(squeezed, clause_end)
        found = self._search(word, clause_end=clause_end)
        if found is not None:
            return self.surface[found[0]]
        options = self._splits(word)  # only for words the vocabulary lacks: frequent stems would win
        if options:
            return min(options)[1]
        return word  # no Persian spelling found: an English word or a name, left in Latin

    def _splits(self, word: str) -> list[tuple[float, str]]:
        """Spellings as a vocabulary stem plus a suffix («سفارش» + «م») or a prefix plus a stem."""
        out: list[tuple[float, str]] = []
        for latin, persian, zwnj in SUFFIXES:
            if word.endswith(latin) and len(word) - len(latin) >= 2:
                found = self._search(word[: -len(latin)])
                if found is not None:
                    stem = self.surface[found[0]]
                    joined = stem + (ZWNJ if zwnj or stem.endswith("ه") else "") + persian
                    out.append((found[1], joined))
        for latin, persian in PREFIXES:
            if word.startswith(latin) and len(word) - len(latin) >= 2:
                found = self._search(word[len(latin) :], initial=False)
                if found is not None:
                    out.append((found[1] + PREFIX_COST, persian + ZWNJ + self.surface[found[0]]))
        return out

    def _search(self, word: str, initial: bool = True, clause_end: bool = False) -> tuple[str, float] | None:
        """The cheapest vocabulary spelling of ``word``: (vocabulary key, cost), or None."""
        n = len(word)
        states: list[dict[str, float]] = [{} for _ in range(n + 1)]
        states[0][""] = 0.0
        for i in range(n):
            if not states[i]:
                continue
            beam = sorted(states[i].items(), key=lambda kv: kv[1])[:BEAM]
            for latin, persian, cost in self._moves(word, i, initial, clause_end):
                j = i + len(latin)
                for prefix, so_far in beam:
                    spelled = prefix + persian
                    if spelled and spelled not in self.prefixes:
                        continue
                    total = so_far + cost
                    if total < states[j].get(spelled, math.inf):
                        states[j][spelled] = total
        scored = [
            (cost + RARITY * (self.top - math.log(self.counts[s])), s)
            for s, cost in states[n].items()
            if s in self.counts
        ]
        if not scored:
            return None
        cost, best = min(scored)
        return best, cost

    @staticmethod
    def _moves(word: str, i: int, initial: bool, clause_end: bool) -> list[tuple[str, str, float]]:
        """The (latin cluster, persian, cost) choices at position ``i`` of ``word``."""
        n = len(word)
        moves = []
        for latin, persian, cost in _RULES["i" if i == 0 and initial else "m"]:
            if not word.startswith(latin, i):
                continue
            if i > 0 and i + len(latin) == n and latin in _VOWELS["f"]:
                continue  # a final vowel takes the final-position choices below
            if latin == "h" and i > 0 and word[i - 1] in "kszcg":
                cost += 1.0  # "kh", "sh", "zh", "ch", "gh" read as one letter first
            if len(latin) == 1 and latin in "aeiou" and word.startswith(latin, i + 1):
                continue  # "oo", "ee", "aa" are one vowel
            moves.append((latin, persian, cost))
        if i > 0 and word[i:] in _VOWELS["f"] and word[i - 1] != word[i]:
            moves.extend(
                (word[i:], fa, c)
                for fa, c in _VOWELS["f"][word[i:]]
                if fa or not (clause_end and word[i:] == "e")
            )
        if i + 1 < n and word[i] == word[i + 1] and word[i] not in "aeiou":
            moves.extend((word[i : i + 2], fa, c + _DOUBLE_COST) for fa, c in _CONSONANTS.get(word[i], []))
        return moves

    # -- text --------------------------------------------------------------------------------------

    def transliterate(self, text: str) -> str:
        """Every Finglish word of ``text`` in Persian script; Persian script, digits, emoji, URLs,
        @handles and known English words are kept; , ? ; become ، ؟ ؛."""
        tokens = _TOKEN.findall(text)
        out = []
        for i, token in enumerate(tokens):
            if not ((token[0].isascii() and token[0].isalpha()) or token[0] == "â"):
                out.append(token.translate(_PUNCT) if len(token) == 1 else token)
            elif _KEEP.match(token) and token.lower() not in EXCEPTIONS:
                out.append(token)
            else:
                rest = [t for t in tokens[i + 1 : i + 3] if not t.isspace()]
                clause_end = not rest or not (rest[0][0].isascii() and rest[0][0].isalpha())
                rule = BY_NEXT_WORD.get(token.lower())
                if (
                    rule
                    and i + 2 < len(tokens)
                    and tokens[i + 1].isspace()
                    and tokens[i + 2].lower() in rule[0]
                ):
                    out.append(rule[1])
                else:
                    out.append(self.word(token, clause_end))
        return "".join(out)


@lru_cache(maxsize=1)
def default_transliterator() -> Transliterator:
    """The bundled-vocabulary transliterator, built on first use (about a second) and shared."""
    return Transliterator.load()


def transliterate(text: str) -> str:
    """Finglish → Persian script with the bundled vocabulary (see :class:`Transliterator`)."""
    return default_transliterator().transliterate(text)
