"""How urgently a support agent should look at one mention, as a score in [0, 1].

The score is a weighted sum of five components, each in [0, 1], capped at 1. The weights add up
to 1.1 on purpose: a negative mention with a crisis word from a modest account already reaches
the default alert threshold, without needing reach or engagement too.

==============  ======  =====================================================================
component       weight  value
==============  ======  =====================================================================
negativity      0.35    p(negative) from the sentiment model
reach           0.15    log10(followers + 1) / 6, capped at 1 (a million followers → 1)
engagement      0.10    log10(1 + likes + 2·shares + 2·replies) / 4, capped at 1 (10k → 1)
complaint       0.15    complaint/question cues: 0.5 per cue kind, capped at 1 (an order number,
                        «هنوز», «پیگیری», «جواب نمیدید», «چرا», a question mark, «!!!»)
crisis          0.35    1 when a crisis word appears (کلاهبرداری, شکایت, مسمومیت, دزدی, هک…)
==============  ======  =====================================================================

The weights are ``nlp.urgency`` settings (``UrgencyWeights``). Complaint and crisis cues count
only half when the mention is not negative (p(negative) < 0.5): «کلاهبرداری نبود، عالی بود»
still deserves a glance but not a page. With the defaults, a clearly negative complaint with an
order number, «هنوز» and «چرا…؟» scores ≈ 0.55 (≈ 0.7 from a 250k-follower account); with a
crisis word it reaches ≈ 0.8, the default alert threshold (``alerts.urgent.threshold``).

Urgency is decided here, once: besides the score, ``crisis_terms`` names the configured alert
crisis words (``alerts.urgent.crisis_words``) a mention contains, matched as plain substrings of
its search-normalised text. The analyzer stores them in the mention's ``signals``; the alert side
only applies its rules to the score and these terms, it never matches text again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.metrics import metric_total
from nlp.morphology import NOUN_SUFFIXES, VERB_SUFFIXES, word_pattern
from nlp.normalize import normalize_for_search
from nlp.settings import UrgencyWeights

CRISIS_WORDS = (
    "کلاهبرداری", "کلاه‌برداری", "کلاهبردار", "شکایت", "مسمومیت", "مسموم", "دزدی", "دزد", "سرقت",
    "اختلاس", "هک", "هکر", "هک شد", "پلیس فتا", "دادگاه", "دادسرا", "وکیل", "خالی شد", "خالی کردن",
    "بیمارستان", "تعزیرات", "سازمان حمایت", "رسوایی", "افشا", "نشت اطلاعات", "لو رفت", "تقلب",
    "fraud", "scam", "scammer", "hacked", "hack", "lawsuit", "poisoning", "stolen", "leak", "police",
    "kolahbardari", "shekayat",
)  # fmt: skip
COMPLAINT_CUES = (
    "هنوز", "پیگیری", "جواب نمیدید", "جواب نمیدین", "جواب نمیدن", "جواب نمی‌دهید", "جواب نمی‌دن",
    "جواب نمیده", "جوابگو", "پاسخگو نیست", "چرا", "کی", "کجاست", "کجایید", "کو", "تا کی", "لطفا",
    "لطفاً", "فوری", "سریع", "نرسیده", "نرسید", "برنگشته", "برنگشت", "کسر شد", "کسر شده", "مرجوع",
    "لغو", "کنسل", "ساعته", "روزه", "منتظرم", "منتظر", "still", "why", "when", "where", "refund",
    "please", "urgent", "hanooz", "chera", "peygiri",
)  # fmt: skip
_ORDER_NO_RE = re.compile(r"(?<!\d)\d{5,}(?!\d)|(?:کد|شماره)\s*(?:سفارش|پیگیری|رهگیری|تراکنش)", re.I)
_QUESTION_RE = re.compile(r"[?؟]")


def _term_regex(terms: Iterable[str]) -> re.Pattern[str] | None:
    norm = sorted(
        {normalize_for_search(t).casefold() for t in terms if t.strip()} - {""}, key=len, reverse=True
    )
    if not norm:
        return None
    alternation = "|".join(re.escape(t).replace(r"\ ", r"[\s\u200c]+") for t in norm)
    # Crisis and cue words may carry clitics («شکایتم»، «هنوزم»), nothing else («هک» ≠ «هکتار»).
    return re.compile(word_pattern(f"(?:{alternation})", (*NOUN_SUFFIXES, *VERB_SUFFIXES)), re.IGNORECASE)


@dataclass(frozen=True)
class UrgencyScorer:
    """Compiled cue lists plus weights; build once and call ``score`` per mention."""

    weights: UrgencyWeights
    crisis_re: re.Pattern[str] | None
    cue_re: re.Pattern[str] | None
    alert_terms: tuple[str, ...] = ()  # the alert crisis words, search-normalised

    @classmethod
    def build(cls, weights: UrgencyWeights | None = None, crisis_words: Iterable[str] = ()) -> UrgencyScorer:
        weights = weights or UrgencyWeights()
        crisis_words = list(crisis_words)
        return cls(
            weights=weights,
            crisis_re=_term_regex([*CRISIS_WORDS, *crisis_words, *weights.extra_crisis_words]),
            cue_re=_term_regex([*COMPLAINT_CUES, *weights.extra_complaint_cues]),
            alert_terms=alert_terms(crisis_words),
        )

    def crisis_terms(self, text: str) -> list[str]:
        """The alert crisis words in ``text`` (any text: it is search-normalised first)."""
        return find_alert_terms(text, self.alert_terms)

    def crisis_terms_normalized(self, normalized_text: str) -> list[str]:
        """The alert crisis words in a text that already is search-normalised (``normalize(raw).text``,
        which is ``normalize_for_search(raw)``): normalising it again was a fifth of the analyzer's
        Python time."""
        return [t for t in self.alert_terms if t in normalized_text]

    def complaint_level(self, text: str, repeated_punct: int = 0) -> float:
        kinds = 0
        if self.cue_re is not None:
            kinds += min(2, len({m.group(0) for m in self.cue_re.finditer(text)}))
        kinds += bool(_ORDER_NO_RE.search(text))
        kinds += bool(_QUESTION_RE.search(text))
        kinds += repeated_punct > 0
        return min(1.0, 0.5 * kinds)

    def has_crisis(self, text: str) -> bool:
        return self.crisis_re is not None and bool(self.crisis_re.search(text))

    def score(
        self,
        normalized_text: str,
        *,
        p_negative: float,
        followers: int | None = None,
        metrics: Mapping[str, int] | None = None,
        repeated_punct: int = 0,
    ) -> float:
        return urgency_score(
            p_negative=p_negative,
            followers=followers,
            metrics=metrics,
            complaint=self.complaint_level(normalized_text, repeated_punct),
            crisis=self.has_crisis(normalized_text),
            weights=self.weights,
        )


def alert_terms(crisis_words: Iterable[str]) -> tuple[str, ...]:
    """Alert crisis words in the form they are looked for (normalising loads hazm: do it once)."""
    return tuple(t for t in (normalize_for_search(w).strip() for w in crisis_words) if t)


def find_alert_terms(text: str, terms: Iterable[str]) -> list[str]:
    """The ``terms`` (from ``alert_terms``) that occur in ``text``'s search-normalised form."""
    terms = tuple(terms)
    if not terms:
        return []
    folded = normalize_for_search(text)
    return [t for t in terms if t in folded]


def reach_level(followers: int | None) -> float:
    return min(1.0, math.log10(max(0, followers or 0) + 1) / 6)


def engagement_level(metrics: Mapping[str, int] | None) -> float:
    if not metrics:
        return 0.0

    # every name a source gives a metric counts (retweets and quotes are both reposts)
    total = (
        metric_total(metrics, "likes")
        + 2 * metric_total(metrics, "reposts")
        + 2 * metric_total(metrics, "replies")
    )
    return min(1.0, math.log10(1 + total) / 4)


def urgency_score(
    *,
    p_negative: float,
    followers: int | None = None,
    metrics: Mapping[str, int] | None = None,
    complaint: float = 0.0,
    crisis: bool = False,
    weights: UrgencyWeights | None = None,
) -> float:
    """The documented weighted sum (module docstring), rounded to 4 places, in [0, 1]."""
    w = weights or UrgencyWeights()
    neg = min(1.0, max(0.0, float(p_negative)))
    cue_factor = 1.0 if neg >= 0.5 else 0.5
    total = (
        w.negativity * neg
        + w.reach * reach_level(followers)
        + w.engagement * engagement_level(metrics)
        + cue_factor * (w.complaint * min(1.0, max(0.0, complaint)) + w.crisis * float(crisis))
    )
    return round(min(1.0, max(0.0, total)), 4)
