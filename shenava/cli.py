"""The ``shenava`` command line. Commands live in ``shenava.commands``, one module each."""

from __future__ import annotations

import importlib
import pkgutil

import typer

from shenava import commands

app = typer.Typer(
    help="Shenava (شنوا): Persian-first social listening and sentiment monitoring.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
    importlib.import_module(f"{commands.__name__}.{_module.name}").register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
