"""nlp.urgency: the documented weighted score, its components and its ordering."""

from __future__ import annotations

import pytest

from nlp.normalize import normalize_for_search
from nlp.settings import UrgencyWeights
from nlp.urgency import UrgencyScorer, engagement_level, reach_level, urgency_score


@pytest.fixture(scope="module")
def scorer() -> UrgencyScorer:
    return UrgencyScorer.build(crisis_words=["پلیس فتا"])


@pytest.mark.parametrize(
    ("followers", "level"),
    [(None, 0.0), (0, 0.0), (9, 1 / 6), (999_999, 1.0), (10**9, 1.0), (-5, 0.0)],
)
def test_reach_level(followers: int | None, level: float) -> None:
    assert reach_level(followers) == pytest.approx(level, abs=1e-6)


@pytest.mark.parametrize(
    ("metrics", "level"),
    [
        (None, 0.0),
        ({}, 0.0),
        ({"likes": 9}, 0.25),
        ({"likes": 9999}, 1.0),
        ({"retweets": 4, "likes": 1}, 0.25),
    ],
)
def test_engagement_level(metrics: dict[str, int] | None, level: float) -> None:
    assert engagement_level(metrics) == pytest.approx(level, abs=1e-6)


def test_weights_are_the_documented_sum() -> None:
    w = UrgencyWeights()
    full = urgency_score(
        p_negative=1.0, followers=10**6, metrics={"likes": 10**4}, complaint=1.0, crisis=True
    )
    assert full == 1.0
    assert urgency_score(p_negative=1.0) == pytest.approx(w.negativity)
    assert urgency_score(p_negative=0.0, followers=10**6) == pytest.approx(w.reach)
    # Cues count half when the mention is not negative.
    assert urgency_score(p_negative=0.0, crisis=True) == pytest.approx(w.crisis / 2)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("سفارش 1234567 هنوز نرسیده", "complaint"),
        ("چرا جواب نمیدید؟", "complaint"),
        ("کد پیگیری دادم", "complaint"),
        ("کلاهبرداری کردن", "crisis"),
        ("شکایتم رو ثبت کردم", "crisis"),
        ("بعد از غذا مسمومیت گرفتم", "crisis"),
        ("حسابم هک شد", "crisis"),
        ("به پلیس فتا گزارش دادم", "crisis"),
        ("this is a scam", "crisis"),
    ],
)
def test_cues_are_detected(scorer: UrgencyScorer, text: str, kind: str) -> None:
    norm = normalize_for_search(text)
    if kind == "crisis":
        assert scorer.has_crisis(norm)
    else:
        assert scorer.complaint_level(norm) > 0


@pytest.mark.parametrize("text", ["ممنون از خرید خوبتون", "شکلات خوشمزه", "هکتار زمین"])
def test_no_cues_in_calm_text(scorer: UrgencyScorer, text: str) -> None:
    norm = normalize_for_search(text)
    assert not scorer.has_crisis(norm) and scorer.complaint_level(norm) == 0


def test_ordering(scorer: UrgencyScorer) -> None:
    def score(text: str, p: float, followers: int = 100) -> float:
        return scorer.score(normalize_for_search(text), p_negative=p, followers=followers)

    calm = score("غذا خوب بود", 0.05)
    complaint = score("سفارش 1234567 هنوز نرسیده، چرا جواب نمیدید؟", 0.9)
    crisis = score("کلاهبرداری کردن، سفارش 1234567 هنوز نرسیده و شکایت می‌کنم", 0.95, followers=50_000)
    assert 0 <= calm < complaint < crisis <= 1
    assert crisis >= 0.8  # above the default alert threshold


def test_zero_weights_give_zero() -> None:
    zero = UrgencyWeights(negativity=0, reach=0, engagement=0, complaint=0, crisis=0)
    assert urgency_score(p_negative=1, followers=10**6, complaint=1, crisis=True, weights=zero) == 0.0


def test_extra_words_from_settings() -> None:
    scorer = UrgencyScorer.build(UrgencyWeights(extra_crisis_words=["آتش‌سوزی"]))
    assert scorer.has_crisis(normalize_for_search("انبار آتش‌سوزی شد"))
