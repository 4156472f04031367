"""Make a digest from settings and the archive, write it to a file, send it by e-mail."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from alerts.digest.data import Digest, build_digest
from alerts.digest.period import DigestPeriod
from alerts.digest.render import render_html, render_text, subject
from alerts.messages import brand_display_names
from alerts.settings import DigestSettings, NotificationsSettings
from domain.brands import BrandSettings, competitors_of

log = logging.getLogger("shenava.digest")


class Settings(Protocol):
    """What the digest reads of the root settings (``config.settings.Settings`` is one)."""

    @property
    def timezone(self) -> str: ...

    @property
    def brands(self) -> Sequence[BrandSettings]: ...

    @property
    def digest(self) -> DigestSettings: ...

    @property
    def notifications(self) -> NotificationsSettings: ...


class DigestNotConfigured(Exception):
    """No e-mail channel (or no recipients) to send the digest through."""


@dataclass(frozen=True)
class RenderedDigest:
    digest: Digest
    subject: str
    html: str
    text: str


def digest_brands(settings: Settings) -> tuple[list[str], dict[str, list[str]]]:
    """(brands with a section, each one's competitors: ``domain.brands.competitors_of``)."""
    own = list(settings.digest.brands) or [b.name for b in settings.brands if not b.competitor]
    return own, {brand: competitors_of(settings.brands, brand) for brand in own}


def make_digest(settings: Settings, engine: Engine, period: DigestPeriod, *,
                now: datetime | None = None) -> RenderedDigest:  # fmt: skip
    brands, competitors = digest_brands(settings)
    with Session(engine) as session:
        digest = build_digest(
            session, period, brands, competitors, examples=settings.digest.examples,
            keyphrases=settings.digest.keyphrases, now=now or datetime.now(UTC), configured=settings.brands,
        )  # fmt: skip
    language = digest_language(settings)
    names = brand_display_names(settings.brands, language)
    return RenderedDigest(
        digest,
        subject(digest, language),
        render_html(digest, names, language),
        render_text(digest, names, language),
    )


def digest_language(settings: Settings) -> str:
    """``digest.language``, else the language alert messages are written in."""
    return settings.digest.language or settings.notifications.language


def write_digest(rendered: RenderedDigest, path: str | Path) -> Path:
    """Write the standalone HTML file (atomically: a reader never sees half a page)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_text(rendered.html, encoding="utf-8")
    partial.replace(target)
    return target


def send_digest(settings: Settings, rendered: RenderedDigest) -> list[str]:
    """Send through the configured e-mail channel (G's ``EmailNotifier``); returns the recipients.

    Raises ``DigestNotConfigured`` when no e-mail channel is set up and
    ``alerts.notifiers.DeliveryError`` when SMTP fails.
    """
    from alerts.notifiers import EmailNotifier, build_notifier
    from alerts.settings import EmailChannel
    from domain.errors import NotConfigured

    channels = [c for c in settings.notifications.channels if isinstance(c, EmailChannel) and c.enabled]
    wanted = settings.digest.channel
    if wanted:
        channels = [c for c in channels if c.name == wanted]
    if not channels:
        which = f"named {wanted!r} " if wanted else ""
        raise DigestNotConfigured(
            f"no enabled e-mail channel {which}in notifications.channels to send the digest"
        )
    try:
        notifier = build_notifier(channels[0])
    except NotConfigured as exc:
        raise DigestNotConfigured(str(exc)) from None
    assert isinstance(notifier, EmailNotifier)
    recipients = list(settings.digest.recipients) or list(notifier.recipients)
    slug = rendered.digest.period.slug()
    notifier.send_html(rendered.subject, rendered.html, rendered.text, recipients,
                       headers={"X-Shenava-Digest": slug})  # fmt: skip
    log.info("digest %s sent to %d recipient(s)", slug, len(recipients))
    return recipients


def run_digest(settings: Settings, engine: Engine, kind: str, *, now: datetime | None = None,
               send: bool = True) -> RenderedDigest:  # fmt: skip
    """The scheduled job: the last complete day (or week), written to ``out_dir`` and sent."""
    now = now or datetime.now(UTC)
    period = DigestPeriod.last_complete(now, kind, settings.timezone)  # type: ignore[arg-type]
    rendered = make_digest(settings, engine, period, now=now)
    if settings.digest.out_dir:
        write_digest(rendered, Path(settings.digest.out_dir) / f"{period.slug()}.html")
    if send:
        send_digest(settings, rendered)
    return rendered
