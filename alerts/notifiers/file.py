"""Alerts appended to a file as JSON lines (one object per delivery)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alerts.notifiers.base import DeliveryError, Notifier
from alerts.render import render_text


class FileNotifier(Notifier):
    """Appends one JSON object per delivery; ``delivery_key`` lets readers spot a repeat."""

    type = "file"

    def __init__(self, name: str, path: str | Path) -> None:
        super().__init__(name)
        self.path = Path(path)

    def send(self, event: dict[str, Any], *, delivery_key: str) -> None:
        line = json.dumps(
            {"delivery_key": delivery_key, "event": event, "text": render_text(event)}, ensure_ascii=False
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError as exc:
            # The file's other deliveries would fail the same way in this pass: they wait too.
            message = f"cannot write {self.path}: {exc}"
            raise DeliveryError(message, retryable=True, unreachable=True) from None
