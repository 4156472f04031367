"""The embedded default channels: the console and a JSON-lines file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from alerts.notifiers.base import DeliveryError, Notifier
from alerts.render import render_text


class ConsoleNotifier(Notifier):
    type = "console"

    def __init__(self, name: str = "console", stream: TextIO | None = None) -> None:
        super().__init__(name)
        self.stream = stream

    def send(self, event: dict[str, Any], *, delivery_key: str) -> None:
        stream = self.stream or sys.stdout
        print(f"[shenava alert] {render_text(event)}", file=stream, flush=True)


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
            raise DeliveryError(f"cannot write {self.path}: {exc}", retryable=True) from None
