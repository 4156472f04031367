"""Rank reply templates for one mention and fill them in.

Score: the mention's touchpoints the template names (3 each), its keywords found in the text (1
each, at most 3; a template that names touchpoints or keywords and matches none is not
offered), a sentiment that fits (2; a template for the other sentiment is never offered),
the brand's tone (1). A template that needs an order number is offered only when the text has
one, and then ranks above its general sibling (2). One suggestion per situation, best first, in the
mention's language where templates in it exist (an English complaint is answered in English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shenava.replies.templates import Language, ReplyTemplate, Tone

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
# an order number: 5-12 digits, after a word that says so, or on its own when it is no phone number
_ORDER_AFTER_WORD = re.compile(r"(?:سفارش|کد\s*پیگیری|شماره\s*پیگیری|order|#)\D{0,20}?(\d{5,12})(?!\d)", re.I)
_NUMBER = re.compile(r"(?<!\d)(\d{6,12})(?!\d)")
_PHONE = re.compile(r"^(?:09\d{9}|9\d{9})$")


@dataclass(frozen=True)
class Suggestion:
    template_id: str
    situation: str
    text: str
    score: float


def find_order_number(text: str | None) -> str | None:
    """An order number in the text (Persian digits read too), or None; phone numbers are skipped."""
    plain = (text or "")[:5000].translate(_DIGITS)
    found = _ORDER_AFTER_WORD.search(plain)
    if found:
        return found.group(1)
    for match in _NUMBER.finditer(plain):
        if not _PHONE.match(match.group(1)):
            return match.group(1)
    return None


def _score(
    t: ReplyTemplate, text: str, touchpoints: set[str], sentiment: str, tone: Tone, order: str | None
) -> float | None:
    if t.sentiment != "any" and (sentiment == "positive") != (t.sentiment == "positive"):
        return None
    if "order" in t.variables and not order:
        return None
    score = 3.0 * len(touchpoints & set(t.touchpoints))
    score += min(3, sum(1 for word in t.keywords if word.lower() in text))
    if score == 0 and (t.touchpoints or t.keywords):  # nothing in the mention asks for this one
        return None
    score += 2.0 if t.sentiment != "any" else 0.0
    score += 1.0 if t.tone == tone else 0.0
    score += 2.0 if "order" in t.variables else 0.0
    return score


def suggest(
    templates: tuple[ReplyTemplate, ...] | list[ReplyTemplate],
    *,
    text: str | None,
    touchpoints: list[str],
    sentiment: str,
    brand: str,
    brand_name: str,
    handle: str | None,
    agent: str,
    tone: Tone = "formal",
    language: Language = "fa",
    limit: int = 3,
) -> list[Suggestion]:
    """The best ``limit`` filled replies for this mention, one per situation, from the templates in
    ``language`` (all of them where none is: a file of one's own may hold one language only)."""
    body = (text or "")[:5000]
    own = [t for t in templates if t.language == language]
    templates = own or list(templates)
    order = find_order_number(body)
    values = {
        "handle": f"@{handle.lstrip('@')}" if handle else "",
        "order": order or "",
        "agent": agent,
        "brand": brand_name,
    }
    ranked: list[tuple[float, ReplyTemplate]] = []
    lowered = body.lower()  # keywords match case-blind («Late», «late»)
    for t in templates:
        if t.brands and brand not in t.brands:
            continue
        score = _score(t, lowered, set(touchpoints), sentiment, tone, order)
        if score is not None:
            ranked.append((score, t))
    ranked.sort(key=lambda pair: pair[0], reverse=True)
    chosen: list[Suggestion] = []
    for score, t in ranked:
        if any(s.situation == t.situation for s in chosen):
            continue
        filled = " ".join(t.text.format(**values).split())
        chosen.append(Suggestion(t.id, t.situation, filled, score))
        if len(chosen) == limit:
            break
    return chosen
