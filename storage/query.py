"""What an analyst asks the archive for, and what comes back: the query and result models.

One ``MentionQuery`` describes a question (filters, sort, paging, time zone); ``storage.search``
answers it with pages of ``MentionHit`` and ``storage.aggregates`` with counts. Dates are Jalali
or ISO; a bare date means the whole local day in ``tz`` (Asia/Tehran), so ``until=1403-09-07``
includes that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from domain.settings_base import known_timezone
from storage.models import Mention
from storage.search_dates import DEFAULT_TZ, parse_instant

Sort = Literal["newest", "oldest", "relevance", "reach", "urgency"]
SentimentName = Literal["negative", "neutral", "positive"]
SORTS: tuple[str, ...] = ("newest", "oldest", "relevance", "reach", "urgency")
MAX_LIMIT = 1000
#: the caps storage.limits documents: rows a page may skip, and the followers column's range (a
#: 32-bit INTEGER on PostgreSQL; the largest real audiences are near 10^9)
MAX_OFFSET = 100_000
MAX_FOLLOWERS = 2**31 - 1


class SearchError(ValueError):
    """A query that cannot be answered as asked (bad date, unknown sort, bad search text)."""


def _clean_list(value: Any) -> Any:
    if isinstance(value, str):
        value = value.split(",")
    if isinstance(value, list | tuple | set):
        return [str(v).strip() for v in value if str(v).strip()]
    return value


def _no_controls(value: str) -> str:
    """Filter values are compared, not searched: control characters (NUL, which PostgreSQL
    refuses outright) can only be mistakes or attacks."""
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in value):
        raise ValueError("must not contain control characters")
    return value


class MentionQuery(BaseModel):
    """What an analyst asks for. Empty lists mean "any"."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(
        default=None, max_length=1000, description="Full-text search (see storage.search_fts)."
    )
    brands: list[str] = Field(default_factory=list, description="Any of these brands.")
    sources: list[str] = Field(default_factory=list, description="Any of these sources (x, instagram, web…).")
    sentiments: list[SentimentName] = Field(
        default_factory=list, description="Any of these sentiment labels."
    )
    aspects: list[str] = Field(
        default_factory=list, description="Any of these touchpoints (delivery, price…)."
    )
    langs: list[str] = Field(
        default_factory=list, description="Any of these languages (fa, ar, en, finglish)."
    )
    author: str | None = Field(default=None, max_length=200, description="Author handle, with or without @.")
    since: datetime | None = Field(default=None, description="From this instant or local day (inclusive).")
    until: datetime | None = Field(
        default=None, description="Up to this instant (exclusive) or local day (inclusive)."
    )
    min_followers: int | None = Field(
        default=None, ge=0, le=MAX_FOLLOWERS, description="Minimum author followers (reach)."
    )
    sort: Sort = Field(default="newest", description="newest, oldest, relevance, reach or urgency.")
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT, description="Page size.")
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description="Rows to skip.")
    tz: str = Field(default=DEFAULT_TZ, description="Time zone of bare dates and of aggregate buckets.")

    @model_validator(mode="before")
    @classmethod
    def _dates(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        tz = known_timezone(data.get("tz") or DEFAULT_TZ)
        for key in ("since", "until"):
            value = data.get(key)
            if value in (None, ""):
                data[key] = None
            elif isinstance(value, str | date):
                data[key] = parse_instant(value, tz, end_of_day=key == "until")
        return data

    @field_validator("brands", "sources", "aspects", "langs", "sentiments", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        value = _clean_list(value)
        if isinstance(value, list):
            if len(value) > 50:
                raise ValueError("at most 50 values")
            for item in value:
                _no_controls(item)
        return value

    @field_validator("author")
    @classmethod
    def _handle(cls, value: str | None) -> str | None:
        value = _no_controls((value or "").strip().lstrip("@"))
        return value or None

    @model_validator(mode="after")
    def _order(self) -> MentionQuery:
        if self.since and self.until and self.since >= self.until:
            raise ValueError("'since' must be before 'until'")
        if self.sort == "relevance" and not (self.text or "").strip():
            raise ValueError("sort 'relevance' needs search text")
        return self


class MentionHit(BaseModel):
    """One mention as search returns it (plain data: JSON, CSV and templates take it as is)."""

    id: int
    source: str
    external_id: str
    url: str | None
    author_handle: str | None
    author_name: str | None
    author_followers: int | None
    text: str
    lang: str
    created_at: datetime
    brands: list[str]
    sentiment_label: str
    sentiment_score: float
    aspects: list[str]
    urgency: float

    @classmethod
    def from_row(cls, row: Mention) -> MentionHit:
        return cls(
            id=row.id,
            source=row.source,
            external_id=row.external_id,
            url=row.url,
            author_handle=row.author_handle,
            author_name=row.author_name,
            author_followers=row.author_followers,
            text=row.text,
            lang=row.lang,
            created_at=row.created_at,
            brands=sorted(row.brands or []),
            sentiment_label=row.sentiment_label,
            sentiment_score=row.sentiment_score,
            aspects=sorted(row.aspects or []),
            urgency=row.urgency,
        )


@dataclass(frozen=True)
class SearchPage:
    total: int
    items: list[MentionHit]
