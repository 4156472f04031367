"""A tiny lexicon scorer used only when no transformer model can be loaded.

It exists so the pipeline keeps running (with a clearly named, much weaker model) if the bundled model files
are missing; ``load_sentiment_model`` never returns it silently for a configured model that fails to load.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from domain.analysis import LABELS, SentimentResult
from nlp.sentiment.batching import EMPTY_RESULT
from nlp.sentiment.script import model_text

_POSITIVE = {
    "عالی",
    "خوب",
    "خوبه",
    "خوبی",
    "ممنون",
    "ممنونم",
    "مرسی",
    "تشکر",
    "سپاس",
    "عالیه",
    "راضی",
    "راضیم",
    "بهترین",
    "قشنگ",
    "زیبا",
    "دوست",
    "عاشق",
    "لذت",
    "خوشمزه",
    "سریع",
    "به‌موقع",
    "پیشنهاد",
    "محشر",
    "فوق‌العاده",
    "درجه",
    "گرم",
    "تازه",
    "باکیفیت",
    "ارزان",
    "مناسب",
    "perfect",
    "good",
    "great",
    "love",
    "❤",
    "❤️",
    "😍",
    "👍",
    "🌹",
    "😊",
    "🙏",
    "👏",
    "💐",
    "😘",
    "🥰",
}
_NEGATIVE = {
    "بد",
    "بده",
    "افتضاح",
    "افتضاحه",
    "ضعیف",
    "سرد",
    "دیر",
    "تاخیر",
    "تأخیر",
    "کثیف",
    "گران",
    "گرون",
    "بدترین",
    "متاسفانه",
    "متأسفانه",
    "ناراضی",
    "شکایت",
    "کلاهبرداری",
    "مزخرف",
    "اشغال",
    "آشغال",
    "خراب",
    "فاسد",
    "بی‌کیفیت",
    "نرسید",
    "نیومد",
    "پیگیری",
    "جواب",
    "هنوز",
    "اصلا",
    "نه",
    "حیف",
    "متنفرم",
    "bad",
    "worst",
    "😡",
    "😠",
    "👎",
    "😞",
    "😢",
    "😭",
    "🤮",
    "😤",
}
_NEGATORS = {"نبود", "نیست", "نیستم", "نمی‌دهد", "نشد", "نه"}


class LexiconFallbackSentimentModel:
    """Counts polar words and emoji; a stand-in, not a real sentiment model."""

    name = "fallback-lexicon"

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        return [self._score(model_text(t)) for t in texts]

    def _score(self, text: str) -> SentimentResult:
        if not text:
            return EMPTY_RESULT
        tokens = text.split()
        pos = neg = 0.0
        for i, tok in enumerate(tokens):
            polarity = (tok in _POSITIVE) - (tok in _NEGATIVE)
            if polarity and i + 1 < len(tokens) and tokens[i + 1] in _NEGATORS:
                polarity = -polarity  # "خوب نبود" is negative
            pos += polarity > 0
            neg += polarity < 0
        # Softmax over (neg, neutral, pos) evidence; neutral has a constant prior.
        logits = (neg, 0.7, pos)
        peak = max(logits)
        exps = [math.exp(v - peak) for v in logits]
        total = sum(exps)
        probs = {label: e / total for label, e in zip(LABELS, exps, strict=True)}
        label = max(LABELS, key=lambda k: probs[k])
        return SentimentResult(label=label, score=probs["positive"] - probs["negative"], probs=probs)
