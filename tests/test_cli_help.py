"""Every command's ``--help`` shows its whole description, as filled paragraphs, and every option's help."""

from __future__ import annotations

import inspect
import re

import click
import pytest
import typer
from typer.testing import CliRunner

from shenava.cli import app

runner = CliRunner()
_BOX = re.compile(r"[│╭╮╰╯─]")


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append(((*path, name), command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*path, name)))
    return found


COMMANDS = _commands(typer.main.get_command(app))  # type: ignore[arg-type]


def _help(path: tuple[str, ...]) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert result.exit_code == 0, result.output
    return result.output


def _words(text: str) -> list[str]:
    return _BOX.sub(" ", text).split()


def _shows(shown: list[str], text: str) -> bool:
    # Word by word, in order: an option's help wraps beside a type column that can wrap too.
    rest = iter(shown)
    return all(word in rest for word in _words(text))


def test_every_command_is_walked() -> None:
    names = {path[0] for path, _ in COMMANDS}
    assert {"import", "detect", "run", "score", "search"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_description_is_shown_whole(path: tuple[str, ...], command: click.Command) -> None:
    # Markdown rendering would swallow anything that looks like an HTML tag (<pid>) or emphasis.
    shown = _words(_help(path))
    description = inspect.cleandoc(command.help or "").partition("\f")[0]
    assert " ".join(_words(description)) in " ".join(shown)
    for param in command.params:
        if getattr(param, "help", None):
            assert _shows(shown, param.help), f"{' '.join(path)} {param.name}"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_description_paragraphs_are_filled(path: tuple[str, ...], command: click.Command) -> None:
    # The docstring's own line breaks must not survive into the terminal: a line may end short
    # only where its paragraph ends.
    head = _help(path).split("╭", 1)[0]
    for block in re.split(r"\n\s*\n", head):
        lines = [line.strip() for line in block.strip("\n").splitlines() if line.strip()]
        for line in lines[:-1]:
            assert len(line) >= 55, f"{' '.join(path)}: short line {line!r} inside a paragraph"
