"""The inbox pages: the queue (full page and htmx partial), the live stream, the detail page and
the actions. Reading needs any role; acting needs support (as with API keys)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlalchemy import select

from alerts import sla_view, workflow
from alerts.workflow import WorkflowError
from nlp.language import detect_language
from shenava.replies import outbox as reply_outbox
from shenava.replies.senders import LocalReplySender, channel_for
from shenava.replies.suggest import Suggestion, suggest
from shenava.replies.templates import cached_templates
from shenava.web import actions, detail, queue
from shenava.web.deps import AnyUser, Db, PostedForm, SupportUser
from shenava.web.errors import Conflict, NotFound
from shenava.web.formatting import Formatter
from shenava.web.messages import label, translator
from shenava.web.security import client_ip
from shenava.web.sessions import current
from shenava.web.templating import render
from storage import audit
from storage import team_store as teams
from storage.corrections import CorrectionError, MentionNotFoundError, correct_mention
from storage.models import Mention

router = APIRouter(include_in_schema=False)
Kind = Annotated[str, Path(pattern="^(incident|urgent)$")]
#: touchpoints offered in the correction form (the detector's set; the labels are in messages.py)
TOUCHPOINTS = ("delivery", "price", "support", "quality", "app", "payment", "staff")
ItemId = Annotated[int, Path(ge=1, le=2**62)]


def _queue_context(request: Request, session: Db, login: AnyUser) -> dict[str, object]:
    web = request.app.state.web
    filters = queue.Filters.from_query(request.query_params)
    items, matched = queue.load(session, filters, login.user.name)
    return {
        "login": login,
        "filters": filters,
        "items": items,
        "matched": matched,
        "choices": queue.choices(session, web.brands),
        "team_names": teams.display_names(session),
        "active": "inbox",
        "sla": sla_view.panel(session, request.app.state.settings, web.settings.language),  # issue 12 item 6
    }


@router.get("/inbox")
def inbox(request: Request, session: Db, login: AnyUser) -> Response:
    return render(request, "inbox.html", **_queue_context(request, session, login))


@router.get("/inbox/queue")
def inbox_queue(request: Request, session: Db, login: AnyUser) -> Response:
    """Only the queue (what live updates and the filter form swap in)."""
    context = _queue_context(request, session, login)
    response = render(request, "_queue.html", **context)
    query = context["filters"].query_string()  # type: ignore[attr-defined]
    response.headers["HX-Push-Url"] = "/inbox" + (f"?{query}" if query else "")
    return response


@router.get("/inbox/events")
async def inbox_events(request: Request) -> Response:
    """Server-sent events: ``change`` whenever the inbox changed, in any process."""
    web = request.app.state.web

    def logged_in() -> bool:  # its own short session: a stream must not hold a pooled connection
        with request.app.state.sessions() as session:
            return current(session, request, web.settings) is not None

    import anyio

    if not await anyio.to_thread.run_sync(logged_in):
        return Response(status_code=401)
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(web.watcher.stream(), media_type="text/event-stream", headers=headers)


@router.get("/inbox/{kind}/{item_id}")
def item_page(request: Request, kind: Kind, item_id: ItemId, session: Db, login: AnyUser) -> Response:
    web = request.app.state.web
    language = web.settings.language
    t = translator(language)

    def chart_title(touchpoint: str | None) -> str:  # the burst chart of the incident's own series
        if touchpoint is None:
            return t("detail.chart_title")
        return t("detail.chart_title_about", touchpoint=label(language, "touchpoint", touchpoint))

    try:
        item = detail.load(session, kind, item_id, Formatter(language, web.tz), chart_title, web.own_handles)
    except WorkflowError:
        raise NotFound() from None
    _enrich(session, item.mentions)
    reply_channel = None
    if kind == "urgent":
        mention = workflow.get_item(session, "urgent", item_id).mention
        reply_channel = channel_for(mention.source, mention.external_id) if mention else None
    brand = item.item.brand

    def replies_for(text: str, touchpoints: list[str], handle: str | None) -> list[Suggestion]:
        """Suggested replies to one mention, signed by this agent in the brand's tone and in the
        customer's language: English to a mention written in English, Persian to the rest."""
        reply_language = "en" if detect_language(text) == "en" else "fa"
        names = web.reply_brand_names.get(reply_language, {})
        return suggest(
            cached_templates(web.settings.reply_templates or None),
            text=text,
            touchpoints=touchpoints,
            sentiment=item.sentiment,
            brand=brand,
            brand_name=names.get(brand, brand),
            handle=handle,
            agent=login.user.display_name,
            tone=web.settings.reply_tone.get(brand, "formal"),
            language=reply_language,
        )

    if item.item.kind == "incident":
        # each answerable mention's reply starts from its own suggestion: its author, its order
        # number, its touchpoints (one shared draft would greet every customer by the first's handle)
        for m in item.mentions:
            if not m.get("channel"):
                continue
            touchpoints = list(m.get("touchpoints") or m.get("aspects") or item.item.touchpoints)
            found = replies_for(str(m.get("text") or ""), touchpoints, str(m.get("author") or "") or None)
            m["reply"] = found[0].text if found else ""
    if item.item.kind == "urgent" and item.item.text:
        item.replies = replies_for(item.item.text, item.item.touchpoints, item.item.author)
    item.sent_replies = reply_outbox.for_item(session, kind, item_id)
    sla = sla_view.clock(request.app.state.settings, web.settings.language)
    if sla is not None:
        sla_view.annotate(session, [item.item])  # the same deadline and state as the inbox row
    done = request.query_params.get("done")
    standin = {name for name, sender in web.reply_senders.items() if isinstance(sender, LocalReplySender)}
    return render(
        request, "item.html", login=login, d=item, active="inbox", done=done, standin=standin,
        standin_file=web.settings.reply_standin_file, reply_channel=reply_channel,
        touchpoint_names=TOUCHPOINTS,
        team_names=teams.display_names(session), sla=sla,
    )  # fmt: skip


@router.post("/inbox/{kind}/{item_id}/correct")
def correct(
    request: Request, kind: Kind, item_id: ItemId, session: Db, login: SupportUser, form: PostedForm
) -> Response:
    """Correct a shown mention's sentiment and touchpoints (``storage.corrections``, audited there)."""
    try:
        workflow.get_item(session, kind, item_id)  # type: ignore[arg-type]
        mention_id = int(str(form.get("mention_id") or 0))
        touchpoints = [str(v) for v in form.getlist("touchpoints") if str(v) in TOUCHPOINTS]
        sentiment = str(form.get("sentiment") or "") or None
        correct_mention(session, mention_id, sentiment=sentiment, touchpoints=touchpoints,
                        by=login.user.name, ip=client_ip(request))  # fmt: skip
        session.commit()
    except (WorkflowError, MentionNotFoundError):
        session.rollback()
        raise NotFound() from None
    except (CorrectionError, ValueError) as exc:
        session.rollback()
        raise Conflict(str(exc)) from None
    return RedirectResponse(f"/inbox/{kind}/{item_id}?done=correct#mentions", status_code=303)


def _enrich(session: Db, mentions: list[dict[str, object]]) -> None:
    """The shown mentions' current labels (a correction wins) and ``channel`` when an API answers them
    (an incident's representative mentions are stored with it, so their labels are read here)."""
    ids = [m["id"] for m in mentions if isinstance(m.get("id"), int)]
    columns = (Mention.id, Mention.source, Mention.external_id, Mention.sentiment_label, Mention.aspects,
               Mention.corrected_at)  # fmt: skip
    found = {row.id: row for row in session.execute(select(*columns).where(Mention.id.in_(ids)))}
    for m in mentions:
        row = found.get(m.get("id"))  # type: ignore[arg-type]
        if row is None:
            continue
        m["channel"] = channel_for(row.source, row.external_id)
        m["sentiment"], m["touchpoints"] = row.sentiment_label, list(row.aspects or [])
        m["corrected"] = row.corrected_at is not None


@router.post("/inbox/{kind}/{item_id}/send_reply")
def send_reply(
    request: Request, kind: Kind, item_id: ItemId, session: Db, login: SupportUser, form: PostedForm
) -> Response:
    """Store the reply in the outbox (audited), commit, then try it at once; the scheduler retries."""
    web = request.app.state.web
    text = str(form.get("text") or "")[:1000]
    try:
        item = workflow.get_item(session, kind, item_id)  # type: ignore[arg-type]
        mention_id = int(str(form.get("mention_id") or 0)) or getattr(item, "mention_id", 0)
        row = reply_outbox.enqueue(
            session, kind, item_id, mention_id, text, by=login.user.name, now=datetime.now(UTC)
        )
        audit.record(session, actor=login.user.name, action="reply_queued", target=f"{kind}:{item_id}",
                     new={"text": text, "channel": row.channel}, ip=client_ip(request))  # fmt: skip
        session.commit()
    except WorkflowError:
        session.rollback()
        raise NotFound() from None
    except (reply_outbox.ReplyError, ValueError) as exc:
        session.rollback()
        raise Conflict(str(exc)) from None
    report = reply_outbox.send_due(
        session.get_bind(), web.reply_senders, max_attempts=web.settings.reply_max_attempts, only=row.id
    )  # type: ignore[arg-type]
    done = "reply_sent" if row.id in report.sent else "reply_queued"
    return RedirectResponse(f"/inbox/{kind}/{item_id}?done={done}#replies", status_code=303)


@router.post("/inbox/{kind}/{item_id}/{action}")
def act(
    request: Request,
    kind: Kind,
    item_id: ItemId,
    action: str,
    session: Db,
    login: SupportUser,
    form: PostedForm,
) -> Response:
    try:
        actions.perform(session, kind, item_id, action, form, actor=login.user.name, ip=client_ip(request))
        session.commit()
    except actions.ActionError as exc:
        session.rollback()
        if "does not exist" in str(exc):
            raise NotFound() from None
        raise Conflict(str(exc)) from None
    back = form.get("back")
    if isinstance(back, str) and back.startswith("/inbox") and not back.startswith("//"):
        return RedirectResponse(back, status_code=303)
    return RedirectResponse(f"/inbox/{kind}/{item_id}?done={action}", status_code=303)
