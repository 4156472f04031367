"""Notifiers, one module per channel type, built from the ``notifications`` settings.

``build_notifiers`` returns the usable channels by name and, for each channel that cannot run
(a secret missing from the environment), the reason — said once by the caller, never the secret.
"""

from __future__ import annotations

from alerts.notifiers.base import DeliveryError, Notifier
from alerts.notifiers.console import ConsoleNotifier
from alerts.notifiers.email import EmailNotifier
from alerts.notifiers.file import FileNotifier
from alerts.notifiers.slack import SlackNotifier
from alerts.notifiers.telegram import TelegramNotifier
from alerts.notifiers.webhook import WebhookNotifier
from alerts.settings import (
    ChannelSettings,
    ConsoleChannel,
    EmailChannel,
    FileChannel,
    NotificationsSettings,
    SlackChannel,
    TelegramChannel,
    WebhookChannel,
)
from domain.errors import NotConfigured
from domain.secrets import secret

__all__ = [
    "ConsoleNotifier",
    "DeliveryError",
    "EmailNotifier",
    "FileNotifier",
    "Notifier",
    "SlackNotifier",
    "TelegramNotifier",
    "WebhookNotifier",
    "build_notifier",
    "build_notifiers",
    "channel_settings",
]


def _required(name: str, channel: str) -> str:
    value = secret(name)
    if not value:
        raise NotConfigured(f"channel {channel!r} is off: environment variable {name} is not set")
    return value


def build_notifier(channel: ChannelSettings) -> Notifier:
    """One notifier from its settings; raises ``NotConfigured`` when a secret is missing."""
    if isinstance(channel, ConsoleChannel):
        return ConsoleNotifier(channel.name)
    if isinstance(channel, FileChannel):
        return FileNotifier(channel.name, channel.path)
    if isinstance(channel, TelegramChannel):
        return TelegramNotifier(
            channel.name,
            token=_required(channel.bot_token_env, channel.name),
            chat_id=channel.chat_id,
            base_url=channel.base_url,
            timeout_s=channel.timeout_s,
        )
    if isinstance(channel, SlackChannel):
        return SlackNotifier(
            channel.name,
            webhook_url=_required(channel.webhook_url_env, channel.name),
            flavor=channel.flavor,
            timeout_s=channel.timeout_s,
        )
    if isinstance(channel, EmailChannel):
        return EmailNotifier(
            channel.name,
            host=channel.host,
            port=channel.port,
            sender=channel.sender,
            recipients=channel.recipients,
            security=channel.security,
            username=secret(channel.username_env) if channel.username_env else None,
            password=secret(channel.password_env) if channel.password_env else None,
            timeout_s=channel.timeout_s,
            ca_file=channel.ca_file,
        )
    if isinstance(channel, WebhookChannel):
        return WebhookNotifier(
            channel.name,
            url=channel.url,
            secret=_required(channel.secret_env, channel.name),
            timeout_s=channel.timeout_s,
        )
    raise TypeError(f"unknown channel type {type(channel).__name__}")


def channel_settings(settings: NotificationsSettings) -> list[ChannelSettings]:
    """The configured channels; with none configured and ``console`` on, one console channel."""
    if settings.channels:
        return [c for c in settings.channels if c.enabled]
    return [ConsoleChannel(type="console", name="console")] if settings.console else []


def build_notifiers(settings: NotificationsSettings) -> tuple[dict[str, Notifier], dict[str, str]]:
    """(usable notifiers by channel name, reason by channel name for those that are off)."""
    notifiers: dict[str, Notifier] = {}
    off: dict[str, str] = {}
    for channel in channel_settings(settings):
        try:
            notifiers[channel.name] = build_notifier(channel)
        except NotConfigured as exc:
            off[channel.name] = str(exc)
    return notifiers, off
