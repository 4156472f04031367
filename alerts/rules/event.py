"""The event a saved search's alert rule emits, and what its message says beyond the title.

It points at the row it raised in the support inbox (an ``UrgentAlert`` whose reason is
``saved_search``), so ``MessageContext.link`` links the message to that row's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from alerts.events import AlertEvent
from alerts.messages import Words

SAVED_SEARCH_ALERT = "saved_search_alert"
PER_HOUR, FOLLOWERS = "per_hour", "followers"


@dataclass(frozen=True)
class SavedSearchAlert(AlertEvent):
    kind: ClassVar[str] = SAVED_SEARCH_ALERT
    key_template: ClassVar[str] = "saved-search:{e.search_id}:{e.rule}:{e.window_key}"
    title_template: ClassVar[str] = "Saved search “{e.search_name}”: {e.rule} rule fired"
    search_id: int
    search_name: str
    rule: str  # PER_HOUR | FOLLOWERS
    window_start: datetime  # the local clock hour of mention time it fired for
    count: int  # matching mentions in that hour when it fired
    threshold: int  # the rule's N (mentions per hour) or X (followers)
    urgent_id: int
    mention_id: int
    text: str = ""
    url: str | None = None
    author: str | None = None
    followers: int | None = None
    source: str = ""
    #: the mention the message quotes (``alerts.render`` reads an event's ``explanation.mentions``)
    explanation: dict[str, Any] | None = None

    @property
    def window_key(self) -> str:
        return self.window_start.strftime("%Y%m%dT%H%MZ")


def summary_lines(event: dict[str, Any], words: Words) -> list[str]:
    """The lines after the title: when, which rule and its figures, the source."""
    lines = [words.t("line.when", when=words.when(event.get("at")))]
    threshold = words.number(int(event.get("threshold") or 0))
    if event.get("rule") == FOLLOWERS:
        followers = words.number(int(event.get("followers") or 0))
        lines.append(words.t("line.saved_search_followers", followers=followers, threshold=threshold))
    else:
        lines.append(
            words.t("line.saved_search_per_hour", count=words.number(int(event.get("count") or 0)),
                    hour=words.when(event.get("window_start")), threshold=threshold)
        )  # fmt: skip
    lines.append(words.t("line.source", source=words.label("source", event.get("source"))))
    return lines
