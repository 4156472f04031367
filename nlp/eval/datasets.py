"""Labelled evaluation sets for language identification and brand matching.

How they are built (all deterministic; ``seed`` fixes the generated part):

**Language** (``language_set``): ``language_written.txt`` holds items written for this project
(fa informal and formal, Persian typed with Arabic ي/ك, Persian with English words; MSA and
colloquial Arabic; English; Finglish in several spelling habits; other languages and scripts,
including Urdu and Sorani Kurdish in Arabic script, and text with no letters). Each written item
also gets one *augmented* copy with social-media noise (an @handle, a #hashtag, a URL, emoji,
bidi marks or a ZWNJ slip) and the same label: identification must not depend on the noise.

**Brands** (``brand_set``): ``brands_written.txt`` holds hand-written positives and hard
negatives for the brands in ``brands.yaml``. *Generated* items fill templates with every
spelling variant of each alias (ZWNJ/space/joined, attached clitics and prepositions, Arabic
ي/ك, case, hashtags, handles) for positives, and with confusable words (an alias's parts
alone, look-alike words, the alias inside a longer word) for negatives.

**Touchpoints** (``aspect_set``): ``aspects_written.txt``, hand-written complaints and praise per
touchpoint (inflected and colloquial forms) and everyday texts with words that are touchpoint
terms in another sense («تازه رسیدم», «این پست», «حسابی خسته‌ام») as negatives.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import yaml

from domain.brands import BrandSettings

ZWNJ = "\u200c"


@dataclass(frozen=True)
class LangItem:
    text: str
    lang: str
    origin: str  # written | augmented


@dataclass(frozen=True)
class AspectItem:
    text: str
    aspects: tuple[str, ...]


@dataclass(frozen=True)
class BrandItem:
    text: str
    brands: tuple[str, ...]
    origin: str  # written | generated


def _read(name: str) -> str:
    return resources.files("nlp.eval").joinpath(name).read_text(encoding="utf-8")


def _tsv(name: str) -> Iterator[tuple[str, str]]:
    for line in _read(name).splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            yield label.strip(), text


_FA_NOISE = ["@sabzino_support", "#سبزینو", "#پیگیری_سفارش", "https://t.co/x1Yz", "😡", "🙏", "😂😂", "👌"]
_LATIN_NOISE = ["@support", "#fail", "#help", "https://t.co/x1Yz", "😡", "🙏", "😂😂", "👍"]
#: For "other" items: noise with no words, which would otherwise change the item's language.
_NEUTRAL_NOISE = ["@support", "https://t.co/x1Yz", "😡", "🙏", "😂😂", "👍"]
_MARKS = ["\u200f", "\u200e", "\u202b", "\u2067"]


def _augment(text: str, lang: str, rng: random.Random) -> str:
    pool = _FA_NOISE if lang in ("fa", "ar") else _NEUTRAL_NOISE if lang == "other" else _LATIN_NOISE
    extra = rng.sample(pool, 2)
    text = f"{extra[0]} {text} {extra[1]}" if rng.random() < 0.5 else f"{text} {extra[0]} {extra[1]}"
    if rng.random() < 0.5:
        text = rng.choice(_MARKS) + text
    if lang == "fa" and " " in text and rng.random() < 0.3:
        text = text.replace(" ", f" {ZWNJ}", 1)  # a stray ZWNJ after a space
    return text


def heldout_language_set() -> list[LangItem]:
    """Items written after the detector's first version and never used to tune it."""
    return [LangItem(text, lang, "heldout") for lang, text in _tsv("language_heldout.txt")]


def language_set(seed: int = 13, augmented: bool = True) -> list[LangItem]:
    """The written items, then (when ``augmented``) one noisy copy of each."""
    written = [LangItem(text, lang, "written") for lang, text in _tsv("language_written.txt")]
    if not augmented:
        return written
    rng = random.Random(seed)
    return written + [LangItem(_augment(i.text, i.lang, rng), i.lang, "augmented") for i in written]


def eval_brands() -> list[BrandSettings]:
    """The brand configuration the brand set is labelled against."""
    return [BrandSettings.model_validate(b) for b in yaml.safe_load(_read("brands.yaml"))]


_FA_TEMPLATES = [
    "سفارشم از {a} هنوز نرسیده",
    "{a} خیلی بد شده",
    "کسی از {a} خرید کرده؟",
    "پشتیبانی {a} جواب نمیده",
    "من با {a} مشکلی نداشتم",
    "امروز {a} تخفیف داده بود",
]
_LATIN_TEMPLATES = [
    "my {a} order is late",
    "{a} support never answers",
    "just ordered from {a}",
    "{a} kheili bade",
]
_FA_CLITICS = ["ها", "‌ها", "ی", "یی", "رو", "و", "م", "‌مون", "ش", "اییه"]
_FA_PREFIXES = ["ب", "از"]


def _fa_variants(alias: str) -> list[str]:
    parts = alias.replace(ZWNJ, " ").split()
    joins = {ZWNJ.join(parts), "".join(parts), " ".join(parts)}
    out = set(joins)
    for form in joins:
        out.update(form + clitic for clitic in _FA_CLITICS)
        out.update(p + form for p in _FA_PREFIXES if len(form) > 3)
        out.add(form.replace("ی", "ي").replace("ک", "ك"))
    return sorted(out)


def _latin_variants(alias: str) -> list[str]:
    return sorted({alias, alias.lower(), alias.upper(), alias.title(), alias + "'s"})


def _generated_positives(brands: list[BrandSettings], rng: random.Random, per_brand: int) -> list[BrandItem]:
    items: list[BrandItem] = []
    for brand in brands:
        pool: list[str] = []
        for alias in brand.aliases_fa:
            pool += [rng.choice(_FA_TEMPLATES).format(a=v) for v in _fa_variants(alias)]
        for alias in [*brand.aliases_latin, *brand.aliases_finglish]:
            pool += [rng.choice(_LATIN_TEMPLATES).format(a=v) for v in _latin_variants(alias)]
        pool += [f"@{h} سفارشم کجاست؟" for h in brand.handles]
        pool += [f"بدترین تجربه #{t}" for t in brand.hashtags]
        rng.shuffle(pool)
        items += [BrandItem(text, (brand.name,), "generated") for text in pool[:per_brand]]
    return items


def _generated_negatives(brands: list[BrandSettings], rng: random.Random) -> list[BrandItem]:
    texts: list[str] = []
    for brand in brands:
        for alias in brand.aliases_fa:
            parts = alias.replace(ZWNJ, " ").split()
            if len(parts) > 1:
                texts += [rng.choice(_FA_TEMPLATES).format(a=p) for p in parts]  # one part alone
            joined = "".join(parts)
            texts.append(rng.choice(_FA_TEMPLATES).format(a="نا" + joined + "ستان"))  # inside a longer word
            if len(joined) > 4:
                wrong = joined[:-1] + " " + joined[-1]  # split where the alias has no boundary
                texts.append(rng.choice(_FA_TEMPLATES).format(a=wrong))
        for alias in brand.aliases_latin:
            squashed = alias.replace(" ", "").lower()
            texts.append(rng.choice(_LATIN_TEMPLATES).format(a="my" + squashed))
            texts.append(rng.choice(_LATIN_TEMPLATES).format(a=squashed + "x"))
        for term in brand.exclude:
            texts.append(f"i wrote about {term} yesterday" if term.isascii() else f"دیروز {term} گرفتم")
    return [BrandItem(t, (), "generated") for t in texts]


def brand_set(seed: int = 13, generated: bool = True, per_brand: int = 30) -> list[BrandItem]:
    """Written items, then generated positives (``per_brand`` each) and generated negatives."""
    order = [b.name for b in eval_brands()]
    written = []
    for label, text in _tsv("brands_written.txt"):
        names = () if label == "-" else tuple(sorted(label.split(","), key=order.index))
        written.append(BrandItem(text, names, "written"))
    if not generated:
        return written
    rng = random.Random(seed)
    brands = eval_brands()
    return written + _generated_positives(brands, rng, per_brand) + _generated_negatives(brands, rng)


def aspect_set() -> list[AspectItem]:
    """Hand-written touchpoint items (``aspects_written.txt``), including texts with none."""
    return [
        AspectItem(text, () if label == "-" else tuple(label.split(",")))
        for label, text in _tsv("aspects_written.txt")
    ]
