"""Local servers speaking the real wire formats: Telegram Bot API, Slack-style webhooks, SMTP.

Each HTTP server records what it received and answers from a script of responses (then from its
default), so a test can stage an outage, a 429 or a bad request and watch the outbox react.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from tests.ports import free_port


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Reply = tuple[int, dict[str, str], bytes]


@dataclass
class ScriptedServer:
    """A real HTTP server on 127.0.0.1; ``respond`` builds the default reply for a request."""

    respond: Callable[[Received], Reply]
    script: deque[Reply | Callable[[Received], Reply]] = field(default_factory=deque)
    received: list[Received] = field(default_factory=list)
    accepted: list[Received] = field(default_factory=list)  # requests answered with 2xx

    def __post_init__(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Received(
                    "POST",
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                owner.received.append(request)
                reply = owner.script.popleft() if owner.script else owner.respond
                status, headers, body = reply(request) if callable(reply) else reply
                if 200 <= status < 300:
                    owner.accepted.append(request)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    return status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(payload).encode()


def text_reply(status: int, text: str, headers: dict[str, str] | None = None) -> Reply:
    return status, {"Content-Type": "text/plain", **(headers or {})}, text.encode()


def telegram_bot_api(token: str) -> Callable[[Received], Reply]:
    """sendMessage as the Bot API answers it: 401 for a wrong token, 400 for bad input."""
    counter = iter(range(1, 10**6))

    def respond(request: Received) -> Reply:
        if request.path != f"/bot{token}/sendMessage":
            return json_reply(
                401 if "/bot" in request.path else 404,
                {"ok": False, "error_code": 401, "description": "Unauthorized"},
            )
        body = request.json()
        if not body.get("chat_id") or not body.get("text"):
            return json_reply(
                400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
            )
        return json_reply(
            200,
            {
                "ok": True,
                "result": {
                    "message_id": next(counter),
                    "date": 1_700_000_000,
                    "text": body["text"],
                    "chat": {"id": body["chat_id"], "type": "supergroup", "title": "support"},
                },
            },
        )

    return respond


def telegram_too_many_requests(retry_after: int) -> Reply:
    return json_reply(
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        },
    )


def slack_webhook(request: Received) -> Reply:
    try:
        body = request.json()
    except ValueError:
        return text_reply(400, "invalid_payload")
    if not body.get("text"):
        return text_reply(400, "no_text")
    return text_reply(200, "ok")


def self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """(certificate, key) for 127.0.0.1/localhost, written as PEM files."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def closed_port() -> int:
    """A local port nothing listens on (a channel that is down)."""
    return free_port()


class SmtpInbox:
    """An aiosmtpd handler that keeps every message; ``rcpt_reply`` refuses recipients with that reply."""

    def __init__(self, rcpt_reply: str | None = None) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.rcpt_reply = rcpt_reply

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def smtp_server(handler: SmtpInbox, **kwargs: Any) -> Controller:
    """A real SMTP server (aiosmtpd) on 127.0.0.1, started; stop it with ``.stop()``."""
    controller = Controller(handler, hostname="127.0.0.1", port=closed_port(), **kwargs)
    controller.start()
    return controller
