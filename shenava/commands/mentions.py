"""``shenava mentions``: show one mention (the model's labels beside the team's), correct it."""

from __future__ import annotations

from typing import Annotated

import typer

from shenava.cli_support import ConfigOption, console, migrated_sessions_or_exit, print_error

mentions_app = typer.Typer(help="One mention: show what the model said and what counts now; correct it.")
MentionId = Annotated[int, typer.Argument(help="The mention's id (shenava search shows it).")]


def register(app: typer.Typer) -> None:
    app.add_typer(mentions_app, name="mentions")


@mentions_app.command("correct")
def correct(
    mention_id: MentionId,
    by: Annotated[str, typer.Option("--by", help="Who corrects (name of the agent or analyst).")],
    sentiment: Annotated[
        str | None, typer.Option("--sentiment", help="negative, neutral or positive.")
    ] = None,
    touchpoints: Annotated[
        str | None,
        typer.Option("--touchpoints", help="The whole set, comma-separated (delivery,support); '' for none."),
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (kept with the correction).")] = None,
    config: ConfigOption = None,
) -> None:
    """Correct a mention's sentiment and/or touchpoints; the correction wins everywhere it is counted."""
    from storage.corrections import CorrectionError, correct_mention

    names = None if touchpoints is None else [t.strip() for t in touchpoints.split(",") if t.strip()]
    with migrated_sessions_or_exit(config)[1]() as session:
        try:
            done = correct_mention(
                session, mention_id, sentiment=sentiment, touchpoints=names, by=by, reason=reason
            )
            session.commit()
        except CorrectionError as exc:
            print_error(exc)
            raise typer.Exit(1) from None
        parts = []
        if done.new_sentiment is not None:
            parts.append(f"sentiment {done.old_sentiment} → {done.new_sentiment}")
        if done.new_touchpoints is not None:
            parts.append(f"touchpoints {_list(done.old_touchpoints)} → {_list(done.new_touchpoints)}")
        console.print(
            f"mention {mention_id} corrected by {done.by}: " + "; ".join(parts), markup=False, soft_wrap=True
        )


def _list(values: list[str] | None) -> str:
    return ",".join(values or []) or "-"


@mentions_app.command("show")
def show(mention_id: MentionId, config: ConfigOption = None) -> None:
    """The mention's text, the model's labels beside the effective (corrected) ones, and its corrections."""
    from storage.corrections import MentionNotFoundError, mention_labels
    from storage.models import Mention

    with migrated_sessions_or_exit(config)[1]() as session:
        try:
            labels = mention_labels(session, mention_id)
        except MentionNotFoundError as exc:
            print_error(exc)
            raise typer.Exit(1) from None
        mention = session.get(Mention, mention_id)
        assert mention is not None
        model_sentiment = f"{labels.model_sentiment} ({labels.model_score:+.2f})"
        lines = [
            f"mention {mention.id}  {mention.source}  {mention.created_at.isoformat()}"
            f"  @{mention.author_handle or '-'}",
            f"text: {mention.text}",
            f"brands: {_list(mention.brands)}   lang: {mention.lang}   emotion: {labels.emotion or '-'}",
            f"scored by model: {labels.sentiment_model or 'unknown'}",
            f"{'':12}{'model':>24}  {'effective':>24}",
            f"{'sentiment':12}{model_sentiment:>24}  {labels.sentiment:>24}",
            f"{'touchpoints':12}{_list(labels.model_touchpoints):>24}  {_list(labels.touchpoints):>24}",
        ]
        if labels.corrections:
            lines.append("corrections:")
        for c in labels.corrections:
            what = []
            if c.new_sentiment is not None:
                what.append(f"sentiment {c.old_sentiment} → {c.new_sentiment}")
            if c.new_touchpoints is not None:
                what.append(f"touchpoints {_list(c.old_touchpoints)} → {_list(c.new_touchpoints)}")
            lines.append(
                f"  {c.at.isoformat(timespec='seconds')}  {c.by}: "
                + "; ".join(what)
                + (f"  ({c.reason})" if c.reason else "")
            )
        from shenava.terminal_text import terminal_safe

        console.print(terminal_safe("\n".join(lines)), markup=False, soft_wrap=True)
