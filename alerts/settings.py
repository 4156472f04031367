"""Settings of the ``alerts``, ``notifications`` and ``digest`` sections (owned by alerts/)."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from alerts.detection.config import DetectorSettings
from alerts.severity import Severity
from domain.settings_base import StrictModel, known_timezone

_CHANNEL_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


class UrgencySettings(StrictModel):
    threshold: float = Field(
        default=0.8,
        ge=0.0,
        le=1.0,
        description="A mention with urgency score at or above this alerts at once.",
    )
    large_account_followers: int = Field(
        default=50_000,
        ge=0,
        description="A negative mention from an account with this many followers alerts.",
    )
    crisis_words: list[str] = Field(
        default_factory=lambda: [
            "شکایت",
            "کلاهبرداری",
            "کلاه‌برداری",
            "دزدی",
            "پلیس فتا",
            "هک شد",
            "خالی شد",
            "مسمومیت",
            "fraud",
            "scam",
            "hacked",
            "lawsuit",
        ],
        description="Words that make a mention urgent, whatever its sentiment (matched on normalised text).",
    )
    fold_into_incident: list[str] = Field(
        default_factory=lambda: ["unanswered_question", "urgency"],
        description="Reasons whose urgent alerts are recorded but not delivered while the brand has an open "
        "incident (the incident already pages); large_account and crisis_words always page.",
    )
    unanswered_question_minutes: int = Field(
        default=60,
        ge=1,
        description="A question to the brand with no reply from its handles after this long alerts.",
    )


class AlertsSettings(StrictModel):
    bucket_minutes: int = Field(default=5, ge=1, description="Width of a time bucket for spike detection.")
    min_volume: int = Field(
        default=5,
        ge=1,
        description="Fewest negative mentions in a bucket for a spike to open an incident (volume floor).",
    )
    touchpoint_series: bool = Field(
        default=True,
        description="Also watch per-(brand, touchpoint) series; their bursts join the brand's open incident.",
    )
    baseline_hours: int = Field(
        default=168,
        ge=1,
        description="Baseline period (hours before an incident) that explanations compare with.",
    )
    max_backfill_hours: int = Field(
        default=24 * 14,
        ge=1,
        description="On the first run, the detector starts at most this many hours before the watermark.",
    )
    representative_mentions: int = Field(
        default=4, ge=1, le=10, description="How many representative mentions an explanation quotes."
    )
    allowed_lateness_minutes: int = Field(
        default=5,
        ge=0,
        description="A bucket is judged once the watermark (newest mention time) is this far past its end, "
        "so mentions that arrive a little late still count.",
    )
    backfill_page_max_age_minutes: int = Field(
        default=60,
        ge=0,
        description="When detection runs over data from the past (`shenava import`, a live service "
        "catching up after a pause), an incident that ended, or an urgent mention written, more than "
        "this many minutes before the wall clock is recorded with `backfilled: true` (archive, digest, "
        "API, inbox) and sent to no channel. A replay (the sample) is not a backfill: it pages.",
    )
    watch_competitors: bool = Field(
        default=False, description="Also open incidents for competitor brands (off: support is not paged)."
    )
    touchpoints: list[str] = Field(
        default_factory=lambda: ["delivery", "price", "support", "quality", "app", "payment", "staff"],
        description="Touchpoints watched as their own (brand, touchpoint) series.",
    )
    escalate_at: Severity = Field(
        default="critical",
        description="An open incident pages once more when its severity reaches this level; smaller rises "
        "only update the incident (one burst, one page). Resolved by a person while its burst goes on, a "
        "bucket of the burst that reaches this level opens a new incident.",
    )
    urgent: UrgencySettings = Field(default_factory=UrgencySettings, description="Urgent single mentions.")
    detection: DetectorSettings = Field(
        default_factory=DetectorSettings,
        description="Spike detector knobs (bucket_minutes and timezone are taken from alerts/root settings).",
    )


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise ValueError(f"expected an http(s) URL, got {value!r}")
    return value


class _ChannelBase(StrictModel):
    name: str = Field(
        description="Unique channel name used by routing rules (letters, digits, _ . -; at most 32)."
    )
    enabled: bool = Field(default=True, description="Disabled channels receive nothing.")

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        if not _CHANNEL_NAME.match(value):
            raise ValueError("channel names use letters, digits, '_', '.', '-' (at most 32)")
        return value


class ConsoleChannel(_ChannelBase):
    type: Literal["console"] = Field(description="Print alerts on standard output.")


class FileChannel(_ChannelBase):
    type: Literal["file"] = Field(description="Append alerts as JSON lines to a file.")
    path: str = Field(default="var/alerts.jsonl", description="File the alerts are appended to.")


class TelegramChannel(_ChannelBase):
    type: Literal["telegram"] = Field(description="Telegram Bot API sendMessage.")
    chat_id: str = Field(description="Chat, group or channel id (e.g. -100123… or @channel).")
    bot_token_env: str = Field(
        default="SHENAVA_TELEGRAM_BOT_TOKEN",
        description="Environment variable holding the bot token (secret).",
    )
    base_url: str = Field(
        default="https://api.telegram.org", description="Bot API base URL (a local Bot API server)."
    )
    timeout_s: float = Field(default=10.0, gt=0, description="HTTP timeout in seconds.")

    _check_base_url = field_validator("base_url")(_http_url)


class SlackChannel(_ChannelBase):
    type: Literal["slack"] = Field(
        description="Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat)."
    )
    webhook_url_env: str = Field(
        default="SHENAVA_SLACK_WEBHOOK_URL",
        description="Environment variable holding the webhook URL (secret).",
    )
    flavor: Literal["slack", "mattermost", "rocketchat"] = Field(
        default="slack", description="Server flavour; Mattermost/Rocket.Chat get text plus attachments."
    )
    timeout_s: float = Field(default=10.0, gt=0, description="HTTP timeout in seconds.")


class EmailChannel(_ChannelBase):
    type: Literal["email"] = Field(description="E-mail over SMTP (HTML, right-to-left, with a text part).")
    host: str = Field(default="localhost", description="SMTP server host.")
    port: int = Field(default=587, ge=1, le=65535, description="SMTP server port.")
    security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls",
        description="starttls (port 587), ssl (implicit TLS, port 465) or none (local relay).",
    )
    username_env: str | None = Field(default=None, description="Environment variable holding the SMTP user.")
    password_env: str | None = Field(
        default=None, description="Environment variable holding the SMTP password (secret)."
    )
    sender: str = Field(description="From address, e.g. 'Shenava <alerts@example.com>'.")
    recipients: list[str] = Field(min_length=1, description="To addresses.")
    timeout_s: float = Field(default=15.0, gt=0, description="SMTP timeout in seconds.")
    ca_file: str | None = Field(
        default=None,
        description="CA bundle to verify the server's certificate (private CA); default: system.",
    )


class WebhookChannel(_ChannelBase):
    type: Literal["webhook"] = Field(description="Generic JSON POST signed with HMAC-SHA256.")
    url: str = Field(description="Endpoint the JSON is POSTed to.")
    secret_env: str = Field(
        default="SHENAVA_WEBHOOK_SECRET", description="Environment variable holding the HMAC key (secret)."
    )
    timeout_s: float = Field(default=10.0, gt=0, description="HTTP timeout in seconds.")

    _check_url = field_validator("url")(_http_url)


ChannelSettings = Annotated[
    ConsoleChannel | FileChannel | TelegramChannel | SlackChannel | EmailChannel | WebhookChannel,
    Field(discriminator="type"),
]


class RouteRule(StrictModel):
    channels: list[str] = Field(min_length=1, description="Channel names that receive matching alerts.")
    brands: list[str] = Field(default_factory=list, description="Brands this rule covers; empty: all brands.")
    min_severity: Severity = Field(default="low", description="Lowest severity this rule forwards.")
    events: list[str] = Field(
        default_factory=list,
        description="Event kinds (incident_opened/_grew/_resolved, urgent_mention); empty: all.",
    )

    @field_validator("events")
    @classmethod
    def _known_events(cls, value: list[str]) -> list[str]:
        from alerts.events import EVENT_KINDS  # late: events imports this module

        unknown = [kind for kind in value if kind not in EVENT_KINDS]
        if unknown:
            raise ValueError(f"unknown event kinds {unknown}; known: {', '.join(EVENT_KINDS)}")
        return value


class QuietHours(StrictModel):
    start: time = Field(description="Local start of quiet hours (HH:MM).")
    end: time = Field(description="Local end of quiet hours (HH:MM); may be past midnight.")
    timezone: str = Field(default="Asia/Tehran", description="Time zone of start/end.")
    channels: list[str] = Field(
        default_factory=list, description="Channels that keep quiet; empty: every channel."
    )
    bypass_severities: list[Severity] = Field(
        default_factory=lambda: ["critical"], description="Incident severities delivered even in quiet hours."
    )
    bypass_urgent: bool = Field(
        default=True, description="Urgent single mentions are delivered in quiet hours."
    )

    _known_zone = field_validator("timezone")(known_timezone)


class OutboxSettings(StrictModel):
    max_attempts: int = Field(default=12, ge=1, description="Attempts before a delivery is given up (dead).")
    base_delay_s: float = Field(default=30.0, gt=0, description="First retry delay; doubles on each attempt.")
    max_delay_s: float = Field(default=3600.0, gt=0, description="Upper bound of the retry delay.")
    claim_timeout_s: float = Field(
        default=300.0, gt=0, description="A claimed row not finished after this long is claimable again."
    )
    batch_size: int = Field(default=50, ge=1, description="Rows claimed per dispatch call.")


class NotificationsSettings(StrictModel):
    language: Literal["fa", "en"] = Field(
        default="fa",
        description="Language of alert messages on every channel: fa (Persian, Jalali dates in the root "
        "time zone) or en (English); also what `shenava import` says it detected.",
    )
    console: bool = Field(
        default=True, description="Add a console channel named 'console' when no channel is configured."
    )
    channels: list[ChannelSettings] = Field(default_factory=list, description="Delivery channels.")
    routes: list[RouteRule] = Field(
        default_factory=list, description="Routing rules; empty: every alert goes to every enabled channel."
    )
    quiet_hours: QuietHours | None = Field(default=None, description="Hours in which alerts wait.")
    outbox: OutboxSettings = Field(default_factory=OutboxSettings, description="Delivery retry policy.")

    @model_validator(mode="after")
    def _check_names(self) -> NotificationsSettings:
        names = [c.name for c in self.channels]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate channel names: {', '.join(duplicates)}")
        known = set(names) | ({"console"} if self.console and not self.channels else set())
        for index, rule in enumerate(self.routes):
            unknown = [c for c in rule.channels if c not in known]
            if unknown:
                raise ValueError(f"routes[{index}] names unknown channels: {', '.join(unknown)}")
        return self


_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
Weekday = Literal["saturday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday"]


class DigestSettings(StrictModel):
    """The marketing digest (owned by alerts/digest)."""

    enabled: bool = Field(default=True, description="Schedule the daily digest at `time` (local time).")
    time: str = Field(default="09:00", description="Local time (HH:MM) at which the daily digest is sent.")
    weekly: bool = Field(default=True, description="Also send a weekly digest (Saturday-to-Friday weeks).")
    weekly_day: Weekday = Field(
        default="saturday", description="Day on which the weekly digest of the week just ended is sent."
    )
    channel: str | None = Field(
        default=None, description="E-mail channel (notifications.channels) that sends it; none: the first."
    )
    recipients: list[str] = Field(
        default_factory=list, description="Digest recipients; empty: the e-mail channel's own recipients."
    )
    brands: list[str] = Field(
        default_factory=list, description="Brands with a section of their own; empty: all non-competitors."
    )
    out_dir: str | None = Field(
        default="var/digests", description="Directory each digest is also written to as HTML; none: not."
    )
    examples: int = Field(default=2, ge=0, le=10, description="Example mentions quoted per complaint theme.")
    keyphrases: int = Field(default=8, ge=0, le=30, description="Complaint keyphrases listed per brand.")
    language: Literal["fa", "en"] | None = Field(
        default=None,
        description="Language of the digest: fa (Persian, right to left) or en (English, left to right), "
        "both with Jalali dates in the root time zone; empty: notifications.language.",
    )

    @field_validator("time")
    @classmethod
    def _valid_time(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError("digest time must be HH:MM (24-hour), e.g. 09:00")
        return value
