"""The ``shenava`` command line. Commands live in ``shenava.commands``, one module each."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys

import typer

from shenava import commands

app = typer.Typer(
    help="Shenava (شنوا): Persian-first social listening and sentiment monitoring.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)

for _module in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
    importlib.import_module(f"{commands.__name__}.{_module.name}").register(app)


def main() -> None:
    """Run the CLI; an error no command handled is one line (traceback in the log at DEBUG)."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt as exc:
        _answer(exc, 130)
    except Exception as exc:
        from shenava.cli_errors import UNEXPECTED

        _answer(exc, UNEXPECTED)


def _answer(exc: BaseException, code: int) -> None:
    from shenava.cli_errors import message_for
    from shenava.terminal_text import one_line

    logging.getLogger("shenava.cli").debug("command failed", exc_info=exc)
    try:
        message = message_for(exc)
    except Exception:  # the message itself must never be what fails
        message = type(exc).__name__
    sys.stderr.write(one_line(message) + "\n")
    sys.exit(code)


if __name__ == "__main__":
    main()
