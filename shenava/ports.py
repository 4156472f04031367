"""A TCP port another program holds, named in the error: the bare OSError says only "Address already in
use", and uvicorn logs even that in English and exits 3. ``shenava.cli_errors`` turns the named error
into one line in the settings' language."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def taken(host: str, port: int) -> OSError:
    return OSError(errno.EADDRINUSE, f"{host}:{port}")


def require_free(host: str, port: int) -> None:
    """Raise :func:`taken` now if ``(host, port)`` cannot be bound, before a server tries it.

    Binds the way uvicorn does (``SO_REUSEADDR``), so a port left in TIME_WAIT still counts as free."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bind_or_name(host, port, lambda: probe.bind((host, port)))


def bind_or_name(host: str, port: int, start: Callable[[], T]) -> T:
    """``start()`` a server on ``(host, port)``; a taken port becomes :func:`taken`."""
    try:
        return start()
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise taken(host, port) from exc
