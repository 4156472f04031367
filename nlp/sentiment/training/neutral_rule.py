"""Weakly labelled neutral texts from ``../shared/data/unlabelled``, chosen by a written rule.

Two kinds (details and the hand-checked precision in ``NEUTRAL_DATA.md``):

* **news**: sentences of the news files (Fars News, Varzesh3) that read as plain reporting: one complete
  sentence ending in «.», 40-220 characters and at least 6 words; no colon (quoted speech), no first-person
  word or «به نظر» (a speaker's view quoted without a colon), no opening of blame or lament («اگر»,
  «متاسفانه» …), no !, ?, emoji or Arabic-only text, and no word of the evaluative/conflict lexicon below.
* **questions**: sentences of the social/review files that end in ?/؟, ask for information («آیا», «چطور»,
  «کجا», «چند», «کسی میدونه» …), carry no rhetorical marker («چرا», «مگه», «آخه», «پس», «تو» …), no
  lexicon word, colon or emoji, 15-120 characters; from review and everyday-talk files, not the
  political-topic tweets.

The source files may not be redistributed (their SOURCE.md), so the project keeps only the selected
spans (``neutral_selected.tsv``: file, line number, start, end) and rebuilds the texts from the shared
folder at training time with :func:`load_texts`. Regenerate the list with

    .venv/bin/python -m nlp.sentiment.training.neutral_rule --write
"""

from __future__ import annotations

import argparse
import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

UNLABELLED_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "unlabelled"
SELECTED_FILE = Path(__file__).with_name("neutral_selected.tsv")
SEED = 13

NEWS_SOURCES = {"news_farsnews.txt": 1400, "sports_news_varzesh3.txt": 800}  # file -> how many to keep
QUESTION_SOURCES = {  # every accepted question is kept (a few hundred)
    "digikala_comments_ca3.txt": 1000,
    "taaghche_comments.txt": 1000,
    "parstwiner_tweets.txt": 1000,
    "colloquial_shekasteh.txt": 1000,
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.replace("ي", "ی").replace("ك", "ک").split())


# Evaluative, emotional and conflict words (stems). A sentence with any of them is not taken as neutral:
# the rule wants precision, and the model must not learn that «شکست» or «عالی» is neutral.
LEXICON = _words(
    """
    خوب خوبی خوبه بد بدی بده عالی عالیه بهترین بدترین بهتر بدتر زیبا زیبایی قشنگ زشت افتضاح فاجعه
    شگفت شگفت‌انگیز فوق‌العاده محشر عشق عاشق دوست‌داشتنی محبوب موفق موفقیت ناموفق پیروز پیروزی برد
    باخت شکست قهرمان قهرمانی افتخار افتخارآفرین درخشان درخشش درخشید خوشحال خوشحالی شاد شادی غم غمگین
    ناراحت ناراحتی متاسف متأسف تاسف تأسف افسوس دریغ خشم عصبانی عصبانیت ترس ترسناک نگران نگرانی وحشت
    هراس امید ناامید ناامیدی تلخ شیرین خوش بی‌نظیر ضعیف ضعف قوی ارزشمند بی‌ارزش ممنون تشکر سپاس
    تبریک تسلیت شهید شهادت کشته کشتار قتل جنایت جنایتکار تروریست تروریستی ترور حمله حملات جنگ جنگی
    انفجار بمب زخمی مجروح مرگ فوت درگذشت درگذشته بحران فساد اختلاس دزد دزدی سرقت تجاوز اعدام زندان
    بازداشت دستگیر متهم محکوم اعتراض معترض انتقاد منتقد شکایت تهدید خطر خطرناک تحریم دشمن دشمنی
    استکبار ظلم ظالم فتنه توطئه شیطان اشغال اشغالگر صهیونیست صهیونیستی رژیم کودتا سرکوب
    بیماری بیمار درد سرطان مصدوم مصدومیت آسیب حادثه سانحه تصادف سیل زلزله آتش آتش‌سوزی قربانی
    مشکل مشکلات معضل گلایه اعتراضات تخلف تقلب دروغ دروغگو فریب کلاهبرداری مسخره مزخرف احمق لعنت
    متاسفانه خوشبختانه بدبختانه افسوس بیچاره بدبخت حیف کاش لطفا عجیب تاسف‌بار شرم شرم‌آور ننگ
    جذاب هیجان هیجان‌انگیز حماسه حماسی شاهکار ستودنی ارزنده برجسته ممتاز فاخر دلخور گرانی گران واقعا
    ارزان ناکارآمد بی‌کفایت ناتوان کثیف آلوده آلودگی فقر گرسنگی بیکاری مطلوب نامطلوب تمجید تحسین
    ستایش قدردانی باکیفیت پیشرفت مقصر تقصیر ناکام ناکامی بدشانسی خوش‌شانس جنجال جنجالی درگیری توهین فحش شل مغز
    احمقانه بیکار تنش فشار استحقاق محروم
    """
)
_SHORT = frozenset(w for w in LEXICON if len(w) < 4)  # matched as whole words only («بد» ≠ «بدن»)
_STEMS = tuple(w for w in LEXICON if len(w) >= 4)  # matched as word prefixes («شکست‌های»)

QUESTION_MARKERS = _words(
    """
    آیا چطور چطوری چجوری چگونه کجا کجاست کجای کدوم کدام چند چندم چقدر چقد ممکنه امکان بدونم
    میدونه می‌دونه میدونید می‌دونید میدونین راهنمایی سوال سؤال
    """
)
RHETORICAL = _words(
    """
    چرا چرااا مگه مگر آخه اخه واقعا واقعاً اصلا اصلاً یعنی دیگه حیف کاش لعنتی خدایا ای وای نکنه
    اینجوری این‌جوری بابا مسخره جدی پس حالا ها تو بودی هستی نیست نمیشه نه کو اگه اگر ببینم بگوییم
    قراره باید بدیم میگی می‌گی میگید می‌گید
    """
)

# First-person words and verbs: a speaker's own view, quoted without a colon.
FIRST_PERSON = frozenset(
    _words(
        """
        من ما بنده خودم ماست دارم داریم ندارم نداریم هستم هستیم نیستم نیستیم بگویم بگوییم می‌گویم
        میگویم معتقدم معتقدیم باورم کردم کردیم رفتیم نداشتیم داشتیم می‌دانیم میدانیم باخبریم
        """
    )
)
# Openings of blame, counterfactuals and laments.
NEWS_OPENINGS = _words("اگر اگه چاره ای کاش واقعا متاسفانه")

_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")
_TOKEN = re.compile(r"[\w\u200c]+")
_ARABIC_ONLY = re.compile("[ةىأإؤ\u064b-\u0652]|\\b(?:في|على|الی|الذي|التي)\\b")
_LETTER = re.compile("[\u0600-\u06ff]")


@dataclass(frozen=True)
class Span:
    """One selected sentence: ``text[start:end]`` of line ``line`` (0-based) of ``source``."""

    source: str
    line: int
    start: int
    end: int
    kind: str  # news | question


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.replace("ي", "ی").replace("ك", "ک"))


def _has_lexicon_word(tokens: list[str]) -> bool:
    for token in tokens:
        for part in (token, *token.split("\u200c")):
            if part in _SHORT or part.startswith(_STEMS):
                return True
    return False


def _has_emoji(text: str) -> bool:
    return any(unicodedata.category(c) == "So" or ord(c) >= 0x1F000 for c in text)


def sentences(line: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of a line, split after . ! ? ؟ followed by a space."""
    start = 0
    for match in _SENTENCE_END.finditer(line):
        yield start, match.start()
        start = match.end()
    if start < len(line):
        yield start, len(line.rstrip())


def is_neutral_news(sentence: str) -> bool:
    """Plain reporting: see the module docstring."""
    if not 40 <= len(sentence) <= 220 or not sentence.endswith("."):
        return False
    if any(c in sentence for c in ":!؟?") or _has_emoji(sentence) or _ARABIC_ONLY.search(sentence):
        return False
    if len(_LETTER.findall(sentence)) < 0.6 * len(sentence.replace(" ", "")):
        return False  # mostly digits/Latin: tables, scores, prices
    tokens = _tokens(sentence)
    if set(tokens) & FIRST_PERSON or "به نظر" in sentence or (tokens and tokens[0] in NEWS_OPENINGS):
        return False
    return len(tokens) >= 6 and not _has_lexicon_word(tokens)


def is_neutral_question(sentence: str) -> bool:
    """An information-seeking question: see the module docstring."""
    if not 15 <= len(sentence) <= 120 or not sentence.endswith(("?", "؟")) or ":" in sentence:
        return False
    if "!" in sentence or sentence.count("?") + sentence.count("؟") > 1 or _has_emoji(sentence):
        return False
    tokens = _tokens(sentence)
    if len(tokens) < 3 or _has_lexicon_word(tokens):
        return False
    words = set(tokens)
    return bool(words & set(QUESTION_MARKERS)) and not words & set(RHETORICAL)


def candidates(folder: Path = UNLABELLED_DIR) -> list[Span]:
    """Every span the rule accepts, in file order."""
    out: list[Span] = []
    for sources, kind, accept in (
        (NEWS_SOURCES, "news", is_neutral_news),
        (QUESTION_SOURCES, "question", is_neutral_question),
    ):
        for name in sources:
            for n, line in enumerate((folder / name).read_text(encoding="utf-8").splitlines()):
                for start, end in sentences(line):
                    if accept(line[start:end]):
                        out.append(Span(name, n, start, end, kind))
    return out


def select(folder: Path = UNLABELLED_DIR, seed: int = SEED) -> list[Span]:
    """A fixed-seed sample of the accepted spans, capped per file (``NEWS_SOURCES``/``QUESTION_SOURCES``);
    one sentence per line at most, distinct texts."""
    rng = random.Random(seed)
    by_source: dict[str, list[Span]] = {}
    for span in candidates(folder):
        by_source.setdefault(span.source, []).append(span)
    caps = NEWS_SOURCES | QUESTION_SOURCES
    chosen: list[Span] = []
    for name, spans in by_source.items():
        texts = _line_texts(folder, name)
        rng.shuffle(spans)
        seen_lines: set[int] = set()
        seen_texts: set[str] = set()
        for span in spans:
            text = texts[span.line][span.start : span.end]
            if span.line in seen_lines or text in seen_texts:
                continue
            seen_lines.add(span.line)
            seen_texts.add(text)
            chosen.append(span)
            if len(seen_lines) >= caps[name]:
                break
    return sorted(chosen, key=lambda s: (s.source, s.line, s.start))


def _line_texts(folder: Path, name: str) -> list[str]:
    return (folder / name).read_text(encoding="utf-8").splitlines()


def write_spans(spans: list[Span], path: Path = SELECTED_FILE) -> None:
    rows = ["# source\tline\tstart\tend\tkind  (0-based line; text = line[start:end])"]
    rows += [f"{s.source}\t{s.line}\t{s.start}\t{s.end}\t{s.kind}" for s in spans]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def read_spans(path: Path = SELECTED_FILE) -> list[Span]:
    spans = []
    for row in path.read_text(encoding="utf-8").splitlines():
        if row and not row.startswith("#"):
            source, line, start, end, kind = row.split("\t")
            spans.append(Span(source, int(line), int(start), int(end), kind))
    return spans


def load_texts(spans: list[Span] | None = None, folder: Path = UNLABELLED_DIR) -> list[str]:
    """The selected texts, rebuilt from the shared files (``FileNotFoundError`` if they are absent)."""
    spans = read_spans() if spans is None else spans
    cache: dict[str, list[str]] = {}
    out = []
    for span in spans:
        if span.source not in cache:
            cache[span.source] = _line_texts(folder, span.source)
        out.append(cache[span.source][span.line][span.start : span.end])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help=f"write {SELECTED_FILE.name}")
    parser.add_argument("--sample", type=int, default=0, help="print N selected texts (fixed seed) to judge")
    args = parser.parse_args()
    spans = select()
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.source] = counts.get(span.source, 0) + 1
    print(f"selected {len(spans)}: {counts}")
    if args.write:
        write_spans(spans)
    if args.sample:
        picked = random.Random(SEED).sample(spans, args.sample)
        for span, text in zip(picked, load_texts(picked), strict=True):
            print(f"{span.source}\t{span.line}\t{span.start}\t{span.end}\t{span.kind}\t{text}")


if __name__ == "__main__":
    main()
