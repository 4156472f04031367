"""``shenava run``: the service. Listeners on their schedules → NLP → store → alerts."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from shenava.cli_support import (
    ConfigOption,
    LogJsonOption,
    VerboseOption,
    console,
    load_settings_or_exit,
    local_minute,
    setup_logging,
)
from shenava.terminal_text import markup_literal

if TYPE_CHECKING:
    import threading

    from alerts.engine import AlertEngine
    from config.settings import Settings
    from shenava.service.scheduler import Service

log = logging.getLogger("shenava.run")

#: the exit code of a run that stored what it could but rejected some lines (as ``shenava import``)
LINES_REJECTED = 3


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run(
        config: ConfigOption = None,
        until_idle: Annotated[
            bool,
            typer.Option("--until-idle", help="Stop once every listener is idle (the replay at its end)."),
        ] = False,
        max_seconds: Annotated[
            float | None, typer.Option("--max-seconds", help="Stop after this many seconds.", min=0)
        ] = None,
        replay: Annotated[
            Path | None,
            typer.Option(
                "--replay", help="Replay this JSONL/CSV file (overrides sources.replay.file; forces it on)."
            ),
        ] = None,
        speed: Annotated[
            float | None,
            typer.Option(
                "--speed",
                help="Replay speed-up over real time, > 0 (overrides the config).",
                min=0.001,
                max=1e9,
            ),
        ] = None,
        log_json: LogJsonOption = False,
        verbose: VerboseOption = False,
    ) -> None:
        """Run the service: every configured listener on its interval, spike detection and alert delivery.

        With no API credentials it replays the bundled sample. SIGTERM or Ctrl-C finishes the
        current batch and exits cleanly.
        """
        settings = load_settings_or_exit(config)
        setup_logging(settings, log_json=log_json, verbose=verbose)
        settings = _with_replay_overrides(settings, replay, speed)

        import threading

        from shenava.service.scheduler import stop_on_signals

        # a signal during start-up (migrations, model loading) also ends the run cleanly
        stop = threading.Event()
        with stop_on_signals(stop):
            code = _serve(settings, stop, until_idle=until_idle, max_seconds=max_seconds)
        raise typer.Exit(code)


def _serve(settings: Settings, stop: threading.Event, *, until_idle: bool, max_seconds: float | None) -> int:
    from listeners.replay import ReplayListener
    from shenava.service.pipeline import Pipeline
    from shenava.service.scheduler import Service
    from shenava.service.sources import build_service_listeners
    from storage.db import init_db

    init_db(settings.storage.url)  # idempotent: a run never meets an old schema
    listeners, notes = build_service_listeners(settings)
    for note in notes:
        console.print(f"[dim]· {markup_literal(note)}[/]")
    if not listeners:
        console.print("[yellow]no listener is configured: set API credentials or enable the replay[/]")
        return 1
    with console.status("loading the NLP models…"):
        started = time.perf_counter()
        pipeline = Pipeline.from_settings(settings)
    console.print(
        f"[green]✓[/] models ready in {time.perf_counter() - started:.1f} s "
        f"(sentiment: {pipeline.analyzer.sentiment_model.name})"
    )
    replaying = any(isinstance(lst, ReplayListener) for lst in listeners)
    if not replaying:
        pipeline.clock_mode = "wall"
        if pipeline.alerts is not None:  # catching up after a pause records the past, pages only the present
            pipeline.alerts.backfill_guard = True
    for lst in listeners:
        # the replay's speed is its settings' (after any --speed override)
        speed = settings.sources.replay.speed if isinstance(lst, ReplayListener) else None
        console.print(
            f"[green]▶[/] listening: {markup_literal(lst.key)}" + (f" at {speed:g}× speed" if speed else "")
        )
    service = Service(
        settings,
        pipeline,
        listeners,
        # a replay moves mention time fast; live mention time moves with the clock
        detect_interval=2.0 if replaying else 30.0,
        on_tick=_Progress(already_stored=pipeline.store.count_mentions()),
        stop=stop,
    )
    code = service.run(until_idle=until_idle, max_seconds=max_seconds)
    urgent, incident = alert_counts(service)
    console.print(
        f"[bold]stopped[/]: {pipeline.store.count_mentions()} mentions stored; this run alerted "
        f"{urgent} urgent mention(s) and {incident} incident update(s){_held_back(pipeline.alerts)}"
    )
    bad_lines = sum(len(getattr(lst, "bad_lines", ())) for lst in listeners)
    if bad_lines or pipeline.rejected_total:
        console.print(
            f"[yellow]rejected: {bad_lines} unreadable line(s) (see the log), "
            f"{pipeline.rejected_total} mention(s) that could not be stored (shenava deadletter list)[/]"
        )
        return code or LINES_REJECTED
    return code


def _with_replay_overrides(settings, replay: Path | None, speed: float | None):  # type: ignore[no-untyped-def]
    if replay is None and speed is None:
        return settings
    update: dict[str, object] = {}
    if replay is not None:
        update.update(file=str(replay.resolve()), enabled=True)
    if speed is not None:
        update["speed"] = speed
    cfg = settings.sources.replay.model_copy(update=update)
    sources = settings.sources.model_copy(update={"replay": cfg})
    return settings.model_copy(update={"sources": sources})


def alert_counts(service: Service) -> tuple[int, int]:
    """(urgent mentions, incident updates) alerted since start. Urgent mentions are alerted as their
    batch is stored, and a detection pass may find one too (a question left unanswered past its
    deadline); every other event a detection pass returns is an incident's."""
    from alerts.events import UrgentMention

    found_by_detection = sum(isinstance(event, UrgentMention) for event in service.stats.alerts)
    urgent = service.pipeline.urgent_total + found_by_detection
    return urgent, len(service.stats.alerts) - found_by_detection


def _held_back(engine: AlertEngine | None) -> str:
    """What the inbox holds beyond the pages: urgent mentions an open incident already covered, and
    alerts about the past a catch-up only recorded."""
    if engine is None:
        return ""
    said = []
    if engine.folded:
        said.append(f"{engine.folded} more urgent mention(s) went into an open incident, not paged")
    if engine.backfilled:
        said.append(f"{engine.backfilled} of these about the past: recorded, not paged")
    return f" ({'; '.join(said)})" if said else ""


class _Progress:
    """Every few seconds, one console line saying what changed; quiet while nothing does."""

    def __init__(self, already_stored: int = 0) -> None:
        self.last_count = already_stored
        self.shown_alerts = 0
        self.said_finished: set[str] = set()

    def __call__(self, service: Service) -> None:
        pipeline = service.pipeline
        count = pipeline.store.count_mentions()
        alerts = service.stats.alerts
        if count != self.last_count or len(alerts) != self.shown_alerts:
            watermark = pipeline.watermark.value
            at = local_minute(watermark, service.settings.timezone) if watermark else "—"
            urgent, incident = alert_counts(service)
            console.print(
                f"[cyan]{time.strftime('%H:%M:%S')}[/] stored {count} mentions "
                f"(+{count - self.last_count}) · mention time {at}"
                f" · alerts: {urgent} urgent, {incident} incident"
            )
        self.last_count = count
        for event in alerts[self.shown_alerts :]:
            # the title people read, in notifications.language, as the channels say it
            from rich.markup import escape

            engine = pipeline.alerts
            title = engine.messages.extras(event.to_json())["title"] if engine else event.title
            console.print(f"[bold red]ALERT[/] {escape(title)}")
        self.shown_alerts = len(alerts)
        for job in service.jobs:
            if job.listener.exhausted and job.key not in self.said_finished:
                self.said_finished.add(job.key)
                console.print(
                    f"[green]✓[/] {job.key}: the whole file is replayed; still listening "
                    "(Ctrl-C to stop; `shenava status` shows what was stored)"
                )
