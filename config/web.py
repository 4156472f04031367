"""Settings of the ``web`` section, read by shenava/web/ (the support inbox in the browser).

Kept in config, like ``logging``: config assembles the settings and must not import the wiring.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from domain.settings_base import StrictModel


class WebSettings(StrictModel):
    language: Literal["fa", "en"] = Field(
        default="fa", description="Language of the web pages: fa (Persian, right to left) or en (English)."
    )
    public_url: str = Field(
        default="http://127.0.0.1:8080",
        max_length=300,
        description="Address people open the web app at; printed on first start and used in alert links.",
    )
    session_hours: float = Field(
        default=12.0, gt=0, le=24 * 30, description="Hours a login lasts without activity before it expires."
    )
    secure_cookies: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="Mark session cookies Secure: auto (when the request came over HTTPS), always or never.",
    )
    login_attempts: int = Field(
        default=5, ge=1, le=1000, description="Failed logins allowed per account and per address per window."
    )
    login_window_minutes: float = Field(
        default=15.0, gt=0, le=24 * 60, description="Window (minutes) in which failed logins are counted."
    )
    api_rate_per_key: float = Field(
        default=20.0,
        gt=0,
        le=100_000,
        description="API requests per second allowed per API key (token bucket, per server process).",
    )
    api_burst_per_key: int = Field(
        default=200, ge=1, le=1_000_000, description="API requests one key may send at once above its rate."
    )
    api_rate_per_ip: float = Field(
        default=40.0,
        gt=0,
        le=100_000,
        description="API requests per second allowed per client address (its keys and no key together).",
    )
    api_burst_per_ip: int = Field(
        default=400, ge=1, le=1_000_000, description="API requests an address may send at once over its rate."
    )
    live_poll_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="How often the server looks for new alerts and colleagues' actions to push to pages.",
    )
    reply_templates: str | None = Field(
        default=None,
        max_length=500,
        description="YAML file of quick-reply templates; empty: the bundled Persian and English sets "
        "(shenava/replies/; a mention written in English is offered the English ones).",
    )
    reply_tone: dict[str, Literal["formal", "friendly"]] = Field(
        default_factory=dict,
        description="Tone of suggested replies per brand name (formal or friendly); unlisted brands: formal.",
    )
    instagram_graph_url: str = Field(
        default="https://graph.facebook.com/v21.0",
        max_length=500,
        description="Instagram Graph API base URL for comment replies (a local server in tests).",
    )
    instagram_token_env: str = Field(
        default="SHENAVA_INSTAGRAM_GRAPH_TOKEN",
        max_length=128,
        description="Environment variable holding the Instagram business account's Graph API access token.",
    )
    reply_standin_file: str = Field(
        default="var/replies-outbox.jsonl",
        max_length=500,
        description="Where replies are written instead of sent when a source's credentials are not set.",
    )
    reply_max_attempts: int = Field(
        default=5, ge=1, le=20, description="Tries of a reply send before it shows as failed."
    )
