"""The HTTP API: ``create_app(settings, engine, keys)``; served by ``shenava serve``."""

from shenava.api.app import create_app

__all__ = ["create_app"]
