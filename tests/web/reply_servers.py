"""Local servers that answer replies as X API v2 (POST /2/tweets) and the Instagram Graph API
(POST /{comment-id}/replies) do, recording every request; ``fail_with`` queues error statuses."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class ReplyServer:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    fail_with: list[int] = field(default_factory=list)


@contextmanager
def reply_server() -> Iterator[ReplyServer]:
    state = ReplyServer()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw.strip().startswith(b"{") else {}
            state.received.append(Received(parts.path, parse_qs(parts.query), dict(self.headers), body))
            if state.fail_with:
                self._answer(state.fail_with.pop(0), {"title": "error", "status": 0, "detail": "failed"})
            elif parts.path == "/2/tweets":
                self._answer(201, {"data": {"id": str(1900 + len(state.received)), "text": body.get("text")}})
            else:
                self._answer(200, {"id": f"1790{len(state.received)}"})

        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
