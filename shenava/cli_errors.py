"""The CLI's last word on an error nobody handled: one line, never a traceback.

``shenava.cli.main`` passes any exception a command lets through to ``message_for``; the person
reads one sentence in the CLI's language (``web.language`` of the loaded settings, or
``SHENAVA_LANG``), the log gets the traceback at DEBUG (``-v`` shows it). SQLAlchemy errors are
summarised without their statement and parameters (``storage.errors.summarise``).
"""

from __future__ import annotations

import errno
import os

from storage.errors import summarise

#: exit code of an unexpected error (1 is a command's own "did not work", 2 usage/config)
UNEXPECTED = 1

#: set by ``cli_support.load_settings_or_exit`` once the settings are read
language: str | None = None

_TEXT = {
    "fa": {
        "readonly": "پایگاه داده نوشتنی نیست ({detail}). دسترسی پرونده یا پوشه را بررسی کنید.",
        "full": "فضای دیسک پر است ({detail}). جا باز کنید و دوباره اجرا کنید.",
        "db": "پایگاه داده در دسترس نیست ({detail}).",
        "file": "نوشتن/خواندن «{path}» ممکن نیست: {detail}",
        "value": "مقدار نامعتبر: {detail}",
        "port": "درگاه {detail} را برنامهٔ دیگری گرفته است؛ آن را متوقف کنید یا درگاه دیگری بگذارید.",
        "other": "خطای پیش‌بینی‌نشده: {detail} (برای جزئیات با -v اجرا کنید)",
        "interrupted": "متوقف شد.",
    },
    "en": {
        "readonly": "the database cannot be written ({detail}); check the file's and folder's permissions.",
        "full": "the disk is full ({detail}); free some space and run again.",
        "db": "the database is unavailable ({detail}).",
        "file": "cannot use {path!s}: {detail}",
        "value": "invalid value: {detail}",
        "port": "port {detail} is taken by another program; stop it or choose another port.",
        "other": "unexpected error: {detail} (run with -v for details)",
        "interrupted": "interrupted.",
    },
}


def current_language() -> str:
    lang = language or os.environ.get("SHENAVA_LANG", "fa")
    return lang if lang in _TEXT else "fa"


def message_for(exc: BaseException, lang: str | None = None) -> str:
    """One line saying what went wrong with ``exc`` and what to do."""
    text = _TEXT[lang or current_language()]
    if isinstance(exc, KeyboardInterrupt):
        return text["interrupted"]
    detail = summarise(exc, limit=200)
    lowered = detail.lower()
    if "readonly" in lowered or "read-only" in lowered or "unable to open database" in lowered:
        return text["readonly"].format(detail=detail)
    if (
        "disk is full" in lowered
        or "database or disk is full" in lowered
        or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC)
    ):
        return text["full"].format(detail=detail)
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        return text["port"].format(detail=exc.strerror or detail)
    if isinstance(exc, OSError) and exc.filename is not None:
        return text["file"].format(path=exc.filename, detail=exc.strerror or detail)
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, SQLAlchemyError):
        return text["db"].format(detail=detail)
    if isinstance(exc, ValueError | OverflowError):
        return text["value"].format(detail=detail)
    return text["other"].format(detail=detail)
