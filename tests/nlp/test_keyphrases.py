"""nlp.keyphrases: log-odds with an informative Dirichlet prior (Monroe et al. 2008)."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from nlp.keyphrases import log_odds_terms, log_odds_z, stopwords, terms

TARGET = ["پیک سبزینو هنوز نرسیده", "سه ساعته منتظر پیک هستم", "پیک نیومد و پشتیبانی جواب نمیده"] * 3
BASELINE = ["سبزینو عالی بود", "میوه‌ها تازه بودن", "ممنون از سبزینو", "پشتیبانی خوب بود"] * 5


def test_complaint_terms_rank_first() -> None:
    top = log_odds_terms(TARGET, BASELINE, top=5)
    assert top[0][0] == "پیک"
    assert all(z > 0 for _, z in top)
    assert "سبزینو" not in [t for t, _ in top]  # in both periods: not what changed
    assert [z for _, z in top] == sorted((z for _, z in top), reverse=True)


def test_stopwords_never_terms() -> None:
    stop = stopwords()
    assert {"از", "که", "رو", "the"} <= stop
    assert {"سلام", "خدایی"} <= stop  # a greeting and a filler top every count and say nothing
    for term in terms("من از سبزینو که خرید کردم the app"):
        assert term.split(" ")[0] not in stop and term.split(" ")[-1] not in stop


def test_terms_include_bigrams_of_normalised_text() -> None:
    assert "پشتیبانی جواب" in terms("پشتیبانيِ جواب")  # Arabic yeh normalised first
    assert "پشتیبانی جواب" not in terms("پشتیبانی جواب", bigrams=False)


def test_z_formula_matches_a_hand_computation() -> None:
    target, baseline = Counter({"a": 10, "b": 10}), Counter({"a": 2, "b": 18})
    z = log_odds_z(target, baseline, alpha0=10)
    prior_total = 40
    a_a = 10 * 12 / prior_total
    delta = math.log((10 + a_a) / (20 + 10 - 10 - a_a)) - math.log((2 + a_a) / (20 + 10 - 2 - a_a))
    assert z["a"] == pytest.approx(delta / math.sqrt(1 / (10 + a_a) + 1 / (2 + a_a)))
    assert z["b"] < 0 < z["a"]


@pytest.mark.parametrize(("target", "baseline"), [([], []), ([], BASELINE), (TARGET, [])])
def test_empty_sides(target: list[str], baseline: list[str]) -> None:
    result = log_odds_terms(target, baseline)
    assert isinstance(result, list)
    if not target:
        assert result == []


def test_min_count_filters_rare_terms() -> None:
    assert all(t != "یکبار" for t, _ in log_odds_terms([*TARGET, "یکبار"], BASELINE, top=50))


def test_a_word_heard_only_inside_a_listed_bigram_is_not_listed_again() -> None:
    """«خط» ranks level with «خط نگهم» (both only in that complaint) and sorts first; the list then
    said «خط ، خط نگهم» (the nobank digest of the sample did). The bigram replaces the word, in
    whichever order they rank; a word also heard elsewhere («نیم» in «نیم کیلو») stays."""
    target = ["نیم ساعت پشت خط نگهم داشتن", "تراکنش ناموفق بود", "نیم کیلو پنیر خراب بود"] * 4
    listed = [t for t, _ in log_odds_terms(target, BASELINE, top=20)]
    counts = Counter(t for text in target for t in terms(text))
    for bigram in (t for t in listed if " " in t):
        for word in bigram.split(" "):
            assert not (word in listed and counts[word] == counts[bigram]), (word, bigram, listed)
    assert "خط نگهم" in listed and "خط" not in listed and "نیم" in listed
