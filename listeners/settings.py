"""Settings of the ``sources`` section (owned by listeners/).

Every endpoint is configurable so the same code runs against proxies, regional mirrors and the
local wire-format servers of the tests. Secrets are never here: only the *names* of the
environment variables that hold them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

from pydantic import Field, field_validator, model_validator

from domain.brands import BrandSettings
from domain.settings_base import StrictModel


class ReplaySettings(StrictModel):
    enabled: str | bool = Field(
        default="auto",
        description="'auto' replays the file only when no API credentials are set; true/false force it.",
    )
    file: str = Field(default="data/sample/mentions.jsonl", description="JSONL or CSV file to replay.")
    speed: float = Field(
        default=5000.0,
        gt=0,
        le=1e9,
        allow_inf_nan=False,
        description="Replay speed-up over real time (5000: a week in about two minutes).",
    )
    interval_seconds: float = Field(
        default=2.0, gt=0, allow_inf_nan=False, description="How often the replay job runs."
    )


class HttpPolicy(StrictModel):
    """How hard a listener tries before it reports a source as unavailable."""

    timeout_seconds: float = Field(default=20.0, gt=0, description="Per-request timeout (connect and read).")
    retries: int = Field(default=3, ge=0, le=10, description="Retries of 5xx answers, timeouts and resets.")
    backoff_seconds: float = Field(
        default=2.0, ge=0, description="First retry delay; doubles on each retry (exponential backoff)."
    )


class XSettings(StrictModel):
    enabled: bool = Field(default=True, description="False turns the X listener off even with a token set.")
    base_url: str = Field(
        default="https://api.twitter.com", description="X API v2 host (a proxy or local server in tests)."
    )
    bearer_token_env: str = Field(
        default="SHENAVA_X_BEARER_TOKEN", description="Environment variable holding the app bearer token."
    )
    user_token_env: str = Field(
        default="SHENAVA_X_USER_TOKEN",
        description="Environment variable holding an OAuth 2.0 user token (mentions timelines).",
    )
    mentions_user_ids: list[str] = Field(
        default_factory=list,
        description="Numeric ids of brand accounts whose mentions are read (needs the user token).",
    )
    lang: str | None = Field(default=None, description="Search only one language, e.g. 'fa'.")
    exclude_retweets: bool = Field(default=True, description="Add -is:retweet to every search query.")
    max_query_length: int = Field(
        default=512, ge=64, le=4096, description="Longest query the API plan accepts; longer ones are split."
    )
    page_size: int = Field(default=100, ge=10, le=100, description="max_results per page (10-100).")
    max_pages: int = Field(
        default=20, ge=1, description="Pages read per run; an unfinished window resumes on the next run."
    )
    interval_seconds: float = Field(default=120.0, gt=0, description="How often the X jobs run.")
    http: HttpPolicy = Field(default_factory=HttpPolicy, description="Timeouts and retries.")


class InstagramSettings(StrictModel):
    enabled: bool = Field(default=True, description="False turns the Instagram listener off.")
    web_url: str = Field(
        default="https://www.instagram.com", description="Where instaloader's www.instagram.com requests go."
    )
    api_url: str = Field(
        default="https://i.instagram.com", description="Where instaloader's i.instagram.com requests go."
    )
    profiles: list[str] = Field(
        default_factory=list,
        description="Public profiles (no @) whose posts and comments are read.",
    )
    brand_handles: bool = Field(
        default=False, description="Also read the profiles named by every brand's handles."
    )
    hashtags: list[str] = Field(
        default_factory=list, description="Hashtags (without #) read when a session is configured."
    )
    session_file: str | None = Field(
        default=None, description="instaloader session file (made by `instaloader --login USER`)."
    )
    session_user: str | None = Field(default=None, description="Instagram user of the session file.")
    comments_for_posts: int = Field(
        default=6, ge=0, description="Comments are read under this many newest posts of each profile."
    )
    max_seen: int = Field(default=200, ge=10, description="Post ids remembered per profile checkpoint.")
    polite_sleep: bool = Field(
        default=True, description="instaloader's random pause before each request (off only in tests)."
    )
    interval_seconds: float = Field(default=900.0, gt=0, description="How often the Instagram jobs run.")
    http: HttpPolicy = Field(default_factory=HttpPolicy, description="Timeouts and retries.")


class Selectors(StrictModel):
    """CSS (default) or XPath (prefix ``xpath:``) selectors; fields are relative to ``item``."""

    item: str = Field(description="Selects each review/article/comment block on the page.")
    text: str = Field(description="The text of an item (all text nodes below it are joined).")
    url: str | None = Field(default=None, description="The item's link (href); relative links are resolved.")
    date: str | None = Field(default=None, description="The item's date (ISO 8601 or RFC 822).")
    author: str | None = Field(default=None, description="The item's author.")
    id: str | None = Field(default=None, description="A stable id; else derived from the content.")


class FeedSource(StrictModel):
    name: str = Field(description="Short unique name; the checkpoint is web:feed:<name>.")
    url: str = Field(description="RSS 2.0 or Atom feed URL.")


class PageSource(StrictModel):
    name: str = Field(description="Short unique name; the checkpoint is web:page:<name>.")
    url: str = Field(description="The news or review page URL.")
    selectors: Selectors = Field(description="Where items, text, link, date and author are on the page.")
    next_page: str | None = Field(default=None, description="Selector of the next page link, if paged.")


class TelegramSettings(StrictModel):
    base_url: str = Field(default="https://t.me", description="Host of channel previews (t.me/s/...).")
    channels: list[str] = Field(default_factory=list, description="Public channel usernames (without @).")


class WebSettings(StrictModel):
    enabled: bool = Field(default=True, description="False turns every web source off.")
    feeds: list[FeedSource] = Field(default_factory=list, description="RSS/Atom feeds.")
    pages: list[PageSource] = Field(default_factory=list, description="HTML pages read by selectors.")
    telegram: TelegramSettings = Field(
        default_factory=TelegramSettings, description="Public Telegram channels via t.me/s previews."
    )
    user_agent: str = Field(
        default="Shenava/0.1 (+https://github.com/shenava; social listening)",
        description="User-Agent of the crawler; robots.txt rules are matched against it.",
    )
    obey_robots: bool = Field(default=True, description="Obey robots.txt (keep on for anything public).")
    concurrency_per_domain: int = Field(default=2, ge=1, le=16, description="Parallel requests per domain.")
    autothrottle_target: float = Field(
        default=1.0, gt=0, description="AutoThrottle's target concurrency per remote site."
    )
    download_delay: float = Field(default=0.5, ge=0, description="Minimum delay between requests to a site.")
    max_pages: int = Field(default=5, ge=1, description="Pages followed per source per run.")
    max_seen: int = Field(default=500, ge=10, description="Item ids remembered per feed/page checkpoint.")
    crawl_timeout_seconds: float = Field(
        default=300.0, gt=0, description="The crawl subprocess is stopped after this long."
    )
    interval_seconds: float = Field(default=600.0, gt=0, description="How often the web jobs run.")
    http: HttpPolicy = Field(default_factory=HttpPolicy, description="Timeouts and retries.")

    @model_validator(mode="after")
    def _unique_names(self) -> WebSettings:
        names = [f.name for f in self.feeds] + [p.name for p in self.pages]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"feed/page names must be unique; repeated: {', '.join(dupes)}")
        return self


class SourcesSettings(StrictModel):
    replay: ReplaySettings = Field(default_factory=ReplaySettings, description="Replay of a mentions file.")
    x: XSettings = Field(default_factory=XSettings, description="X (Twitter) API v2 search and mentions.")
    instagram: InstagramSettings = Field(
        default_factory=InstagramSettings, description="Instagram profiles, comments and hashtags."
    )
    web: WebSettings = Field(
        default_factory=WebSettings, description="RSS/Atom feeds, HTML pages and Telegram channel previews."
    )
    disabled: list[Literal["x", "instagram", "web", "telegram", "replay"]] = Field(
        default_factory=list, description="Listener names to switch off regardless of configuration."
    )

    @field_validator("disabled")
    @classmethod
    def _no_repeats(cls, value: list[str]) -> list[str]:
        return sorted(set(value))


class ListenerSettingsView(Protocol):
    """What listeners read of the root settings: the brands, the time zone (of undated web
    pages) and the ``sources`` section.

    ``config.settings.Settings`` is one; listeners never import config (config imports them).
    """

    @property
    def brands(self) -> Sequence[BrandSettings]: ...

    @property
    def timezone(self) -> str: ...

    @property
    def sources(self) -> SourcesSettings: ...
