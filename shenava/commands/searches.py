"""``shenava searches``: saved searches (list, add, rm), as the /searches page and the API keep them.

``add`` checks the query with the archive's boolean grammar (a mistake is printed with its column and
a caret) and can turn on the alert rule (``--per-hour N``, ``--min-followers X``); the service then
alerts into the support inbox once per hour of mention time that meets it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from shenava.cli_support import ConfigOption, console, err_console, migrated_sessions_or_exit


def _line(value: object) -> str:
    from shenava.terminal_text import one_line

    return one_line(value)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Saved searches and their alert rules: list, add, rm.", no_args_is_help=True)
    app.add_typer(group, name="searches")

    @group.command("list")
    def list_cmd(config: ConfigOption = None) -> None:
        """Every saved search, with its owner, sharing and alert rule."""
        from storage import saved_searches

        _, sessions = migrated_sessions_or_exit(config)
        with sessions() as session:
            rows = saved_searches.list_visible(session, None)
            if not rows:
                console.print("no saved searches yet: `shenava searches add NAME QUERY --owner NAME`")
                return
            for row in rows:
                rule = "off"
                if row.rule_enabled:
                    parts = [f">= {row.rule_per_hour}/hour"] if row.rule_per_hour else []
                    parts += (
                        [f"followers >= {row.rule_min_followers}"]
                        if row.rule_min_followers is not None
                        else []
                    )
                    rule = ", ".join(parts)
                shared = row.sharing + (f":{row.team}" if row.team else "")
                console.print(
                    f"#{row.id:<5} {_line(row.name)[:40]:<40} {_line(row.owner):<12} {shared:<16} "
                    f"rule: {rule}\n       {_line(row.query)}",
                    markup=False,
                    highlight=False,
                )

    @group.command("add")
    def add_cmd(
        name: Annotated[str, typer.Argument(help="The search's name.")],
        query: Annotated[str, typer.Argument(help="A boolean query (storage/boolean_query/grammar.md).")],
        owner: Annotated[str, typer.Option(help="The account that owns it.")] = "admin",
        share: Annotated[str, typer.Option(help="private, team or everyone.")] = "private",
        team: Annotated[str | None, typer.Option(help="The team's name (with --share team).")] = None,
        per_hour: Annotated[int | None, typer.Option(help="Alert at >= N matching mentions an hour.")] = None,
        min_followers: Annotated[
            int | None, typer.Option(help="Alert on any match by an author with >= X followers.")
        ] = None,
        config: ConfigOption = None,
    ) -> None:
        """Save a search; --per-hour and/or --min-followers turn its alert rule on."""
        from storage import saved_searches
        from storage.saved_searches import Fields, SavedSearchError

        settings, sessions = migrated_sessions_or_exit(config)
        fields = Fields(name=name, query=query, sharing=share, team=team,
                        rule_enabled=per_hour is not None or min_followers is not None,
                        rule_per_hour=per_hour, rule_min_followers=min_followers)  # fmt: skip
        with sessions() as session:
            try:
                row = saved_searches.add(session, owner, fields, tz=settings.timezone)
            except SavedSearchError as exc:
                err_console.print(f"{exc.field}: {_line(exc)}", markup=False, highlight=False)
                if exc.query_error is not None and exc.query_error.column is not None:
                    err_console.print(exc.query_error.caret(_line(query)), markup=False, highlight=False)
                raise typer.Exit(2) from None
            session.commit()
            console.print(f"✓ saved search #{row.id} {_line(row.name)}", markup=False, highlight=False)

    @group.command("rm")
    def rm_cmd(
        search_id: Annotated[int, typer.Argument(min=1, max=2**63 - 1, help="The search's number.")],
        config: ConfigOption = None,
    ) -> None:
        """Delete a saved search (the inbox keeps the alerts it raised)."""
        from storage import saved_searches

        _, sessions = migrated_sessions_or_exit(config)
        with sessions() as session:
            row = saved_searches.get_visible(session, search_id, None)
            if row is None:
                err_console.print(f"no saved search #{search_id}")
                raise typer.Exit(1)
            saved_searches.remove(session, row)
            session.commit()
        console.print(f"✓ saved search #{search_id} deleted")
