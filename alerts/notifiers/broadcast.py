"""Neutralise chat platforms' broadcast mentions in text quoted from mentions.

A mention's text or author handle is the public's words: ``@all`` in a tweet must not page a whole
Mattermost team. Per platform:

- Mattermost: ``@all``, ``@channel``, ``@here`` notify everyone (so does ``@everyone`` in some
  plugins); Rocket.Chat: ``@all``, ``@here``. A zero-width space after the ``@`` keeps the word
  readable and stops the match.
- Slack: only ``<!channel>``, ``<!here>``, ``<!everyone>`` (and ``<!subteam^…>``, ``<@U…>``) notify;
  ``alerts.render.slack_escape`` already turns ``<`` into ``&lt;``, and ``<!`` / ``<@`` left in any
  field (the plain-text header, say) get the zero-width space too.
- Telegram (HTML escaped, no broadcast mention), e-mail and the signed webhook (structured data
  for a program, not a chat) need nothing.
"""

from __future__ import annotations

import re
from typing import Any

ZWSP = "\u200b"
BROADCASTS = ("all", "channel", "here", "everyone")
_AT_BROADCAST = re.compile(rf"(?<!\w)@(?=(?:{'|'.join(BROADCASTS)})(?![\w-]))", re.IGNORECASE)
_SLACK_SPECIAL = re.compile(r"<(?=[!@#])")


def neutralise(text: str) -> str:
    """``text`` with every broadcast mention defused (one invisible character added)."""
    return _SLACK_SPECIAL.sub("<" + ZWSP, _AT_BROADCAST.sub("@" + ZWSP, text))


def neutralise_payload(value: Any) -> Any:
    """Every string in a JSON payload (dicts and lists walked), neutralised."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dict):
        return {k: neutralise_payload(v) for k, v in value.items()}
    if isinstance(value, list):
        return [neutralise_payload(v) for v in value]
    return value
