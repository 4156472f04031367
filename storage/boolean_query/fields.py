"""Field filters: reading their values (positioned errors) and their SQL conditions.

Every condition is two-valued (a NULL column is "no match", never SQL NULL), so ``NOT emotion:joy``
keeps the mentions without an emotion on both backends alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func

from storage.boolean_query.errors import QueryError
from storage.boolean_query.lexer import Token
from storage.boolean_query.nodes import Field
from storage.models import Mention, MentionAspect, MentionBrand
from storage.query import MAX_FOLLOWERS
from storage.search_dates import parse_instant

SENTIMENTS = ("negative", "neutral", "positive")
_COLUMNS = {
    "source": Mention.source,
    "sentiment": Mention.sentiment_label,
    "emotion": Mention.emotion,
    "lang": Mention.lang,
}


def read_field(token: Token, tz: str) -> Field:
    """The filter a FIELD or NUMBER token names; QueryError at the value when it is unusable."""
    value = token.text.strip()
    at = token.value_pos + 1
    if token.kind == "NUMBER":
        digits = value.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789"))
        if not digits.isascii() or not digits.isdigit():
            raise QueryError(f"{token.name} needs a whole number", at, "number", field=token.name)
        number = min(int(digits[:12]), MAX_FOLLOWERS + 1)
        return Field("followers", token.pos, op=token.op, number=number)
    if not value:
        raise QueryError(f"{token.name}: needs a value", at, "value", field=token.name)
    if token.name == "date":
        return _dates(token, value, tz, at)
    values = tuple(v.strip() for v in value.split(",") if v.strip())
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for v in values for c in v):
        raise QueryError(f"{token.name}: control characters", at, "value", field=token.name)
    if token.name == "author":
        values = tuple(v.lstrip("@").lower() for v in values)
    if token.name in ("sentiment", "lang", "source", "emotion"):
        values = tuple(v.lower() for v in values)
    if token.name == "sentiment" and (bad := [v for v in values if v not in SENTIMENTS]):
        raise QueryError(
            f"sentiment is one of {', '.join(SENTIMENTS)}, not {bad[0]!r}", at, "sentiment", value=bad[0]
        )
    return Field(token.name, token.pos, values=values)


def _dates(token: Token, value: str, tz: str, at: int) -> Field:
    low, sep, high = value.partition("..")
    if not sep:
        high = low
    second = at + len(low) + len(sep)
    since = _instant(low, tz, at, value, end_of_day=False)
    until = _instant(high, tz, second if sep else at, value, end_of_day=True)
    if since is None and until is None:
        raise QueryError("date: needs a day or a range a..b", at, "value", field="date")
    if since and until and since >= until:
        raise QueryError("date: the range ends before it starts", at, "date_order", value=value)
    return Field("date", token.pos, since=since, until=until)


def _instant(text: str, tz: str, column: int, value: str, *, end_of_day: bool) -> datetime | None:
    if not text.strip():
        return None
    try:
        return parse_instant(text.strip(), tz, end_of_day=end_of_day)
    except (ValueError, OverflowError) as exc:
        raise QueryError(f"date: {exc}", column, "date", value=value) from None


def field_condition(field: Field) -> Any:
    """A WHERE condition on ``Mention`` (true or false, never NULL)."""
    if field.name == "date":
        conds = [Mention.created_at >= field.since] if field.since else []
        conds += [Mention.created_at < field.until] if field.until else []
        return and_(True, *conds)
    if field.name == "followers":
        col = Mention.author_followers
        compare = {">=": col >= field.number, ">": col > field.number, "<=": col <= field.number,
                   "<": col < field.number, "=": col == field.number}[field.op]  # fmt: skip
        return and_(col.is_not(None), compare)
    if field.name == "brand":
        return exists().where(MentionBrand.mention_id == Mention.id, MentionBrand.brand.in_(field.values))
    if field.name == "touchpoint":
        return exists().where(MentionAspect.mention_id == Mention.id, MentionAspect.aspect.in_(field.values))
    if field.name == "author":
        col = Mention.author_handle
        return and_(col.is_not(None), func.lower(col).in_(field.values))
    col = _COLUMNS[field.name]
    return and_(col.is_not(None), col.in_(field.values))
