"""Persian inflections and clitics that attach to a word, shared by brand, aspect and cue matching.

Informal Persian glues plurals, ezafe, possessives and object markers to the word («سفارشم»،
«پیکا»، «اپتون»، «سبزینورو»), with or without a ZWNJ. Matching a lexicon term means allowing
exactly these tails, and nothing else, so a term never matches inside an unrelated word
(«هک» in «هکتار»).
"""

from __future__ import annotations

import re

#: Nominal tails: plural, ezafe/indefinite, possessive clitics, object marker, copula.
NOUN_SUFFIXES = (
    "", "ها", "های", "هایی", "هاش", "هاشون", "هامون", "هاتون", "هایش", "ی", "یی", "ای", "ایی", "یه",
    "ییه", "اییه", "ه", "ش", "اش", "م", "ام", "ت", "ات", "مون", "تون", "شون", "رو", "و", "ست", "یست",
    "یش", "یشون", "یمون", "یتون", "ان", "یان", "ید", "یم", "ین", "ند", "مو", "تو", "شو", "یا", "ا", "ئی",
    "ترین", "تر", "ه‌ای", "s", "es", "'s",
)  # fmt: skip
#: Verbal endings after a present or past stem (person, participle, colloquial forms).
VERB_SUFFIXES = (
    "", "م", "ی", "ه", "یم", "ید", "ین", "ند", "ن", "ده", "ه‌اند", "ه‌است", "ست", "ش", "مون", "ه‌ام",
    "یده", "یدن", "نش", "دن", "دش", "دم", "دی", "دیم", "دید", "دین", "دند", "شون", "تون", "ا", "د",
)  # fmt: skip
#: Verbal prefixes: continuous, negation, subjunctive.
VERB_PREFIXES = ("نمی", "می", "ن", "ب", "")

LETTER = r"[^\W\d_]"


def tail_pattern(suffixes: tuple[str, ...] = NOUN_SUFFIXES) -> str:
    """An optional attached tail (with or without ZWNJ), longest alternatives first."""
    alternatives = sorted({s for s in suffixes if s}, key=len, reverse=True)
    return r"(?:\u200c?(?:" + "|".join(re.escape(s) for s in alternatives) + "))?"


def word_pattern(body: str, suffixes: tuple[str, ...] = NOUN_SUFFIXES) -> str:
    """``body`` (a regex) as a whole word that may carry one of ``suffixes``."""
    return rf"(?<!{LETTER}){body}{tail_pattern(suffixes)}(?!{LETTER})"
