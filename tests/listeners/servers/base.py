"""A real HTTP server on 127.0.0.1 (random port, own thread) with scriptable faults.

Each wire-format server subclasses :class:`WireServer` and implements ``route``. Tests queue faults
(``server.fail("429")``) that the next requests get instead of the normal answer, and read
``server.requests`` to see what the client really sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        body = json.dumps(payload, ensure_ascii=False)
        return cls(status, body, "application/json; charset=utf-8", headers or {})


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class WireServer:
    """Subclasses implement ``route(seen) -> Reply`` and ``fault(kind, seen) -> Reply``."""

    #: seconds a "timeout" fault stalls before answering (tests set client timeouts below it)
    stall_seconds = 2.0

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.faults: deque[str] = deque()
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(
                    self.command,
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                reply = owner._dispatch(seen)
                if reply is None:  # a stalled request: the client gave up; close without answering
                    self.close_connection = True
                    return
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            do_GET = _serve
            do_POST = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> WireServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail(self, *kinds: str) -> None:
        """Answer the next requests with these faults, in order."""
        with self._lock:
            self.faults.extend(kinds)

    def _dispatch(self, seen: Seen) -> Reply | None:
        with self._lock:
            self.requests.append(seen)
            kind = self.faults.popleft() if self.faults and self.takes_fault(seen) else None
        if kind == "timeout":
            time.sleep(self.stall_seconds)
            return None
        return self.fault(kind, seen) if kind else self.route(seen)

    def takes_fault(self, seen: Seen) -> bool:
        """Whether a queued fault applies to this request (e.g. not to robots.txt)."""
        return True

    def route(self, seen: Seen) -> Reply:
        raise NotImplementedError

    def fault(self, kind: str, seen: Seen) -> Reply:
        raise NotImplementedError

    def hits(self, path_part: str) -> list[Seen]:
        return [r for r in self.requests if path_part in r.path]
