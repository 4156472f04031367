"""What people are complaining about: terms over-represented in a target set of mentions.

Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin'
Words", §3.5). For a term w with counts y_t (target) and y_b (baseline), totals n_t and n_b, and
a prior α_w = α0 · (y_t + y_b) / (n_t + n_b) drawn from both sets pooled (or a background
corpus when given):

    δ_w = log((y_t + α_w) / (n_t + α0 − y_t − α_w)) − log((y_b + α_w) / (n_b + α0 − y_b − α_w))
    σ²_w ≈ 1 / (y_t + α_w) + 1 / (y_b + α_w)
    z_w = δ_w / σ_w

The prior shrinks rare terms toward zero, so one odd word cannot top the list; z > 1.96 is
"significantly more frequent in the target" in the paper's reading. Terms are unigrams and
bigrams of normalised text; stopwords (hazm's list plus colloquial function words, and greetings
and fillers such as «سلام» and «خدایی») are dropped as unigrams and may not start or end a bigram.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

from nlp.normalize import normalize_for_search

_TOKEN_RE = re.compile(r"[^\W\d_][\w\u200c]*")


def _split(text: str) -> frozenset[str]:
    return frozenset(text.split())


COLLOQUIAL_STOPWORDS = _split(
    """
    رو یه اون این اینو اونو هم که و یا تا از به با برای تو توی ی ها های هست نیست بود شد شده میشه
    دیگه خیلی واقعا اصلا الان فقط چی چیه یعنی ولی اما اگه اگر باید دارم داره دارن کنم کنه کنید میکنه
    کردم کرد کردن کردین کردید من تو ما شما اونا اینا ایشون چون پس بعد قبل همه هیچ یک دو چند هر دیگر
    آن است بودم بودن میخوام میخواد نمیشه نمی\u200cشه می\u200cشه سلام درود خدایی بابا آقا لطفا
    the a an and or of to in on for is
    it this that i you we my your was be are with at by from
    """
)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """hazm's Persian stopword list, normalised, plus colloquial and English function words."""
    words = set(COLLOQUIAL_STOPWORDS)
    try:
        data = resources.files("hazm").joinpath("data/stopwords.dat").read_text(encoding="utf-8")
        words.update(line.strip() for line in data.splitlines() if line.strip())
    except (FileNotFoundError, ModuleNotFoundError):  # an older hazm layout: colloquial list only
        pass
    return frozenset(normalize_for_search(w).casefold() for w in words) - {""}


def terms(text: str, *, normalized: bool = False, bigrams: bool = True) -> list[str]:
    """The unigrams and bigrams of one text, stopwords dropped (bigrams: not at either end)."""
    norm = (text if normalized else normalize_for_search(text)).casefold()
    tokens = [t for t in _TOKEN_RE.findall(norm) if len(t) > 1]
    stop = stopwords()
    out = [t for t in tokens if t not in stop]
    if bigrams:
        out.extend(f"{a} {b}" for a, b in itertools.pairwise(tokens) if a not in stop and b not in stop)
    return out


def count_terms(texts: Iterable[str], *, normalized: bool = False, bigrams: bool = True) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(terms(text, normalized=normalized, bigrams=bigrams))
    return counts


def log_odds_z(
    target: Counter[str],
    baseline: Counter[str],
    *,
    prior: Counter[str] | None = None,
    alpha0: float = 100.0,
) -> dict[str, float]:
    """z-scores of the log-odds ratio, target vs baseline, for every term in either (see module doc)."""
    prior = prior if prior is not None else target + baseline
    prior_total = sum(prior.values()) or 1
    n_t, n_b = sum(target.values()), sum(baseline.values())
    vocab = set(target) | set(baseline)
    # Terms absent from the prior still get a small pseudo-count so the formula stays finite.
    floor = 0.5 / prior_total
    out: dict[str, float] = {}
    for term in vocab:
        a = alpha0 * max(prior.get(term, 0) / prior_total, floor)
        y_t, y_b = target.get(term, 0), baseline.get(term, 0)
        delta = math.log((y_t + a) / (n_t + alpha0 - y_t - a))
        delta -= math.log((y_b + a) / (n_b + alpha0 - y_b - a))
        variance = 1.0 / (y_t + a) + 1.0 / (y_b + a)
        out[term] = delta / math.sqrt(variance)
    return out


def log_odds_terms(
    target_texts: Sequence[str],
    baseline_texts: Sequence[str],
    top: int = 10,
    *,
    min_count: int = 2,
    alpha0: float = 100.0,
    normalized: bool = False,
) -> list[tuple[str, float]]:
    """The ``top`` terms most over-represented in ``target_texts`` vs ``baseline_texts``.

    Returns ``(term, z)`` pairs, highest z first, only terms seen at least ``min_count`` times
    in the target and with z > 0. A bigram and its own words are not all listed: a unigram is
    dropped when a listed bigram containing it has at least the same target count (it occurs only
    there), whichever ranked first.
    """
    target = count_terms(target_texts, normalized=normalized)
    baseline = count_terms(baseline_texts, normalized=normalized)
    scores = log_odds_z(target, baseline, alpha0=alpha0)
    ranked = sorted(
        ((t, z) for t, z in scores.items() if target.get(t, 0) >= min_count and z > 0),
        key=lambda item: (-item[1], item[0]),
    )
    chosen: list[tuple[str, float]] = []
    for term, z in ranked:
        words = term.split(" ")
        if len(words) == 1 and any(
            term in c.split(" ") and target[c] >= target[term] for c, _ in chosen if " " in c
        ):
            continue
        # a bigram ranked after its own word: the word alone says less («خط» for «خط نگهم»), so
        # the bigram replaces it instead of both filling the list
        if len(words) > 1:
            chosen = [(c, cz) for c, cz in chosen if not (c in words and target[term] >= target[c])]
        chosen.append((term, round(z, 3)))
        if len(chosen) >= top:
            break
    return chosen
