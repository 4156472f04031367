"""Which live listeners exist: source name → listener class.

An explicit dict, not dotted paths: we own every listener. Which of them the service runs, built
from the settings, is decided by ``shenava.service.sources`` (it adds the replay of a file, which
runs only when no live source is configured).
"""

from __future__ import annotations

from listeners.base import Listener
from listeners.instagram import InstagramListener
from listeners.twitter import TwitterListener
from listeners.web.sites import WebListener
from listeners.web.telegram import TelegramListener

#: name → listener class; the name is also what ``sources.disabled`` lists
LISTENERS: dict[str, type[Listener]] = {
    "x": TwitterListener,
    "instagram": InstagramListener,
    "web": WebListener,
    "telegram": TelegramListener,
}
