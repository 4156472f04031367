"""The embedded default channel: alerts printed on the console (standard output)."""

from __future__ import annotations

import sys
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
        try:
            print(f"[shenava alert] {render_text(event)}", file=stream, flush=True)
        except OSError as exc:  # a closed pipe or a full disk behind the redirection
            raise DeliveryError(f"console unwritable: {exc}", retryable=True, unreachable=True) from None
