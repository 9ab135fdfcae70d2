"""会话审阅 — the console's conversation review (`/console/review`); thin: the work is in bot/staff/review/.

- GET /console/review: conversations (up to 2,000 new SQL broker events are read in first; on RabbitMQ the
  consumer has landed them), filters, 50 a page.
- GET /console/review/insights?days=7: intents most often corrected, and most often below the fallback threshold.
- GET /console/review/{id}?page=n: one conversation, 20 turns a page; recorded in the audit log as a view.
- POST /console/review/{id}/turns/{seq}/intent, /reviewed, /tags, /tags/remove: CSRF-checked forms, audited.

Reviewers and admins only; anyone else gets the 403 page.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.api.deps import Db
from bot.staff import audit
from bot.staff.audit import CHINA
from bot.staff.review import domain
from bot.staff.review.models import ReviewTurn
from bot.staff.review.source import SQLBrokerSource
from bot.staff.review.store import TURNS_PAGE, Filters, ReviewStore, day_start
from bot.staff.roles import ADMIN, REVIEWER
from bot.staff.web import Staff, checked_form, client_address, form_day, render, require_role

logger = logging.getLogger(__name__)
router = APIRouter(tags=["console"])
STYLESHEET = Path(domain.__file__).resolve().parent.parent / "static" / "review.css"
may_review = require_role(REVIEWER, ADMIN)
CHANNELS = {"wechat": "微信", "web": "网页", "other": "其他"}
FLAGS = {"fallback": "没听懂", "emergency": "紧急", "handoff": "转人工", "complaint": "投诉", "abandoned": "表单中途放弃"}
MAX_TAG = 20
PAGE_SYNC = 2000  # broker events read in when the list opens (~1-2 s at most)


@router.get("/console/static/review.css", include_in_schema=False)
def stylesheet() -> Response:
    return Response(STYLESHEET.read_text(encoding="utf-8"), media_type="text/css",
                    headers={"cache-control": "no-cache"})


def source_of(request: Request) -> SQLBrokerSource | None:
    """The SQL broker to read in when the list opens; None on RabbitMQ, where `bot review consume` lands the
    events as they come."""
    state = request.app.state
    if getattr(state, "review_source", None) is None:
        settings = state.services.settings
        if settings.events_on_rabbitmq:
            return None
        state.review_source = SQLBrokerSource(settings.event_broker_url)
    return state.review_source



def _below(text: str, problems: list[str]) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1
    if not 0 < value <= 1:
        problems.append("置信度应为 0 到 1 之间的小数（如 0.5），已忽略")
        return None
    return value


def short_sender(sender: str) -> str:
    """Enough of the sender id to tell conversations apart, not a WeChat openid in full."""
    head, _, rest = sender.partition("-")
    return f"{head}-…{rest[-6:]}" if rest and len(rest) > 6 else sender


@router.get("/console/review", include_in_schema=False)
def review_list(request: Request, db: Db, staff: Staff = Depends(may_review), since: str = "", until: str = "",
                channel: str = "", intent: str = "", below: str = "", reviewed: str = "", tag: str = "",
                page: str = "1", fallback: str = "", emergency: str = "", handoff: str = "", complaint: str = "",
                abandoned: str = "") -> Response:
    store = ReviewStore(db)
    source = source_of(request)
    try:
        if source is not None:
            store.sync(source, batch=PAGE_SYNC, rounds=1)   # a backlog: `bot review sync`
            db.commit()
    except SQLAlchemyError as exc:   # another page read the same events first (SQLite), or the broker is down
        db.rollback()
        logger.warning("review: broker events not read in: %s", exc.__class__.__name__)
    problems: list[str] = []
    flags = {"fallback": fallback, "emergency": emergency, "handoff": handoff, "complaint": complaint,
             "abandoned": abandoned}
    filters = Filters(since=form_day(since, "起始日期", problems), until=form_day(until, "截止日期", problems),
                      channel=channel if channel in CHANNELS else "", intent=intent[:64], below=_below(below, problems),
                      reviewed=reviewed if reviewed in ("yes", "no") else "", tag=tag.strip()[:MAX_TAG],
                      **{name: bool(value) for name, value in flags.items()})
    found = store.search(filters, int(page) if page.isdigit() and len(page) < 7 else 1)
    query = {"since": since if filters.since else "", "until": until if filters.until else "",
             "channel": filters.channel, "intent": filters.intent, "below": below if filters.below else "",
             "reviewed": filters.reviewed, "tag": filters.tag, **{k: "1" for k, v in flags.items() if v}}
    query = {k: v for k, v in query.items() if v}

    def link(number: int) -> str:
        return "/console/review?" + urlencode({**query, "page": number})

    return render(request, "review_list.html", page=found, filters=filters, query=query, problems=problems,
                  channels=CHANNELS, flags=FLAGS, intents=sorted(set(domain.intents()) | set(store.intents_seen())),
                  tags=store.all_tags(), link=link, short_sender=short_sender)


@router.get("/console/review/insights", include_in_schema=False)
def review_insights(request: Request, db: Db, staff: Staff = Depends(may_review), days: str = "7") -> Response:
    span = int(days) if days.isdigit() and 0 < int(days) <= 366 else 7
    since_day = datetime.now(CHINA).date() - timedelta(days=span - 1)
    threshold = domain.fallback_threshold()
    confused, low = ReviewStore(db).insights(day_start(since_day), threshold)

    def link(intent: str | None, below: float | None = None) -> str:
        query = {"since": since_day.isoformat(), "intent": intent or "", **({"below": below} if below else {})}
        return "/console/review?" + urlencode({k: v for k, v in query.items() if v})

    return render(request, "review_insights.html", confused=confused, low=low, threshold=threshold, days=span,
                  since=since_day, link=link)


def _conversation_or_404(request: Request, store: ReviewStore, conversation_id: int):
    conversation = store.conversation(conversation_id)
    if conversation is None:
        return None, render(request, "review_missing.html", status=404)
    return conversation, None


@router.get("/console/review/{conversation_id}", include_in_schema=False)
def review_conversation(request: Request, conversation_id: int, db: Db, staff: Staff = Depends(may_review),
                        page: str = "1", done: str = "") -> Response:
    store = ReviewStore(db)
    conversation, missing = _conversation_or_404(request, store, conversation_id)
    if missing:
        return missing
    pages = max(1, -(-conversation.turns // TURNS_PAGE))
    number = min(max(int(page) if page.isdigit() and len(page) < 7 else 1, 1), pages)
    audit.record(db, staff, audit.VIEW, f"review:{conversation_id}", f"会话审阅：查看会话第 {number} 页",
                 address=client_address(request))
    db.commit()
    return render(request, "review_conversation.html", c=conversation, turns=store.turns(conversation_id, number),
                  page=number, pages=pages, tags=store.tags(conversation_id), intents=domain.intents(),
                  channels=CHANNELS, short_sender=short_sender, done=done[:40])


def _back(conversation_id: int, page: int, done: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/console/review/{conversation_id}?{urlencode({'page': page, 'done': done})}{anchor}",
                            status_code=303)


@router.post("/console/review/{conversation_id}/turns/{seq}/intent", include_in_schema=False)
def correct_intent(request: Request, conversation_id: int, seq: int, db: Db,
                   form: dict[str, str] = Depends(checked_form), staff: Staff = Depends(may_review)) -> Response:
    store = ReviewStore(db)
    turn = db.scalars(select(ReviewTurn).where(ReviewTurn.conversation_id == conversation_id,
                                               ReviewTurn.seq == seq)).first()
    intent = form.get("intent", "")
    if turn is None or intent not in domain.intents():
        return render(request, "review_missing.html", status=404 if turn is None else 400)
    before = turn.corrected_intent or turn.intent
    store.correct(turn, intent, staff.username)
    audit.record(db, staff, audit.STATUS_CHANGE, f"review:{conversation_id}",
                 f"会话审阅：第 {seq} 句意图 {before} → {intent}", address=client_address(request))
    db.commit()
    return _back(conversation_id, (seq - 1) // TURNS_PAGE + 1, "intent", f"#turn-{seq}")


@router.post("/console/review/{conversation_id}/reviewed", include_in_schema=False)
def mark_reviewed(request: Request, conversation_id: int, db: Db, form: dict[str, str] = Depends(checked_form),
                  staff: Staff = Depends(may_review)) -> Response:
    store = ReviewStore(db)
    conversation, missing = _conversation_or_404(request, store, conversation_id)
    if missing:
        return missing
    reviewed = form.get("reviewed") != "0"
    store.mark_reviewed(conversation, reviewed, staff.username)
    audit.record(db, staff, audit.STATUS_CHANGE, f"review:{conversation_id}",
                 "会话审阅：标为已审阅" if reviewed else "会话审阅：改回未审阅", address=client_address(request))
    db.commit()
    return _back(conversation_id, int(form.get("page", "1")) if form.get("page", "").isdigit() else 1,
                 "reviewed" if reviewed else "unreviewed")


@router.post("/console/review/{conversation_id}/tags", include_in_schema=False)
def add_tag(request: Request, conversation_id: int, db: Db, form: dict[str, str] = Depends(checked_form),
            staff: Staff = Depends(may_review)) -> Response:
    return _tagging(request, conversation_id, form, staff, db, remove=False)


@router.post("/console/review/{conversation_id}/tags/remove", include_in_schema=False)
def remove_tag(request: Request, conversation_id: int, db: Db, form: dict[str, str] = Depends(checked_form),
               staff: Staff = Depends(may_review)) -> Response:
    return _tagging(request, conversation_id, form, staff, db, remove=True)


def _tagging(request: Request, conversation_id: int, form: dict[str, str], staff: Staff, db: Session,
             remove: bool) -> Response:
    store = ReviewStore(db)
    conversation, missing = _conversation_or_404(request, store, conversation_id)
    if missing:
        return missing
    tag = " ".join(form.get("tag", "").split())[:MAX_TAG]
    page = int(form.get("page", "1")) if form.get("page", "").isdigit() else 1
    if not tag:
        return _back(conversation_id, page, "notag")
    (store.untag if remove else store.tag)(conversation, tag)
    audit.record(db, staff, audit.STATUS_CHANGE, f"review:{conversation_id}",
                 f"会话审阅：{'去掉' if remove else '加上'}标签 {tag}", address=client_address(request))
    db.commit()
    return _back(conversation_id, page, "untag" if remove else "tag")
