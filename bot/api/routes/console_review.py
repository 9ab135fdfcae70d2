"""会话审阅 — the console's conversation review (`/console/review`); thin: the work is in bot/staff/review/.

- GET /console/review: conversations (up to 2,000 new SQL broker events are read in first; on RabbitMQ the
  consumer has landed them), filters, 50 a page.
- GET /console/review/insights?days=7: intents most often corrected (by reviewers, and by 12345 agents in their
  wrap-ups), and most often below the fallback threshold; each row links to its turns.
- GET /console/review/turns?since=D&intent=X&corrected=Y (or &below=T): those turns, 50 a page, each linking to its
  place in its conversation (and, for a corrected pair, the calls 12345 agents corrected the same way).
- GET /console/review/{id}?page=n: one conversation, 20 turns a page; recorded in the audit log as a view.
- POST /console/review/{id}/turns/{seq}/intent, /reviewed, /tags, /tags/remove: CSRF-checked forms, audited.
- POST /console/review/{id}/turns/{seq}/entities (add a span), /entities/remove, /entities/reset (the model's
  again): the turn's entities as the reviewer sets them; audited.
- POST /console/review/{id}/story: save the conversation as a Rasa test story (`saved=0`: no longer);
  GET /console/review/{id}/story.yml: that story to download (audited as an export). `bot review stories` writes
  the saved ones to tests/stories/review/.

Reviewers and admins only; anyone else gets the 403 page.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.api.deps import AppServices, Db
from bot.services import Services
from bot.staff import audit, wrapups
from bot.staff.audit import CHINA
from bot.staff.review import domain
from bot.staff.review import stories as story_file
from bot.staff.review.events import FALLBACK_INTENTS
from bot.staff.review.entities import PROBLEMS, EntityError, add, effective, remove
from bot.staff.review.models import ReviewTurn
from bot.staff.review.source import SQLBrokerSource
from bot.staff.review.store import TURNS_PAGE, Filters, ReviewStore, day_start, turn_link
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


def _form_page(form: dict[str, str]) -> int:
    """The page of turns a form was posted from (1 if absent or not a number)."""
    page = form.get("page", "")
    return int(page) if page.isdigit() and len(page) <= 6 else 1  # a forged 5,000-digit page is no ValueError


@router.get("/console/static/review.css", include_in_schema=False)
def stylesheet() -> Response:
    return Response(STYLESHEET.read_text(encoding="utf-8"), media_type="text/css",
                    headers={"cache-control": "no-cache"})


def source_of(request: Request, svc: Services) -> SQLBrokerSource | None:
    """The SQL broker to read in when the list opens, one per app (kept on its state); None on RabbitMQ, where
    `bot review consume` lands the events as they come."""
    state = request.app.state
    if getattr(state, "review_source", None) is None:
        if svc.settings.events_on_rabbitmq:
            return None
        state.review_source = SQLBrokerSource(svc.settings.event_broker_url)
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


def townships(svc: Services) -> dict[str, str]:
    """Gazetteer code → name, the townships and streets of 双辽 in the gazetteer's order."""
    return {d.code: d.name for d in svc.gazetteer.divisions}


def short_sender(sender: str) -> str:
    """Enough of the sender id to tell conversations apart, not a WeChat openid in full."""
    head, _, rest = sender.partition("-")
    return f"{head}-…{rest[-6:]}" if rest and len(rest) > 6 else sender


@router.get("/console/review", include_in_schema=False)
def review_list(request: Request, db: Db, svc: AppServices, staff: Staff = Depends(may_review), since: str = "",
                until: str = "", channel: str = "", intent: str = "", below: str = "", reviewed: str = "",
                tag: str = "", page: str = "1", fallback: str = "", emergency: str = "", handoff: str = "", complaint: str = "",
                abandoned: str = "", township: str = "") -> Response:
    store = ReviewStore(db)
    source = source_of(request, svc)
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
                      township=township if township in townships(svc) else "",
                      **{name: bool(value) for name, value in flags.items()})
    found = store.search(filters, int(page) if page.isdigit() and len(page) < 7 else 1)
    query = {"since": since if filters.since else "", "until": until if filters.until else "",
             "channel": filters.channel, "intent": filters.intent, "below": below if filters.below else "",
             "reviewed": filters.reviewed, "tag": filters.tag, "township": filters.township,
             **{k: "1" for k, v in flags.items() if v}}
    query = {k: v for k, v in query.items() if v}

    def link(number: int) -> str:
        return "/console/review?" + urlencode({**query, "page": number})

    return render(request, "review_list.html", page=found, filters=filters, query=query, problems=problems,
                  channels=CHANNELS, flags=FLAGS, intents=sorted({*domain.intents(), *FALLBACK_INTENTS}),
                  tags=store.all_tags(), townships=townships(svc), link=link, short_sender=short_sender)


def _span(days: str) -> tuple[int, date]:
    """The insights' span in days (7 unless 1–366 is asked) and its first China-time day."""
    span = int(days) if days.isdigit() and 0 < int(days) <= 366 else 7
    return span, datetime.now(CHINA).date() - timedelta(days=span - 1)


def turns_link(since: date, intent: str, corrected: str = "", below: float | None = None) -> str:
    """The turns behind a row of the insights; `intent` "" is a turn the model gave no intent."""
    query = {"since": since.isoformat(), "intent": intent,
             **({"corrected": corrected} if corrected else {}), **({"below": below} if below else {})}
    return "/console/review/turns?" + urlencode(query)


@router.get("/console/review/insights", include_in_schema=False)
def review_insights(request: Request, db: Db, staff: Staff = Depends(may_review), days: str = "7") -> Response:
    span, since_day = _span(days)
    threshold = domain.fallback_threshold()
    confused, low = ReviewStore(db).insights(day_start(since_day), threshold)

    def link(intent: str | None, corrected: str = "", below: float | None = None) -> str:
        return turns_link(since_day, intent or "", corrected, below)

    return render(request, "review_insights.html", confused=confused, low=low, threshold=threshold, days=span,
                  since=since_day, link=link)


@router.get("/console/review/turns", include_in_schema=False)
def review_turns(request: Request, db: Db, staff: Staff = Depends(may_review), since: str = "", intent: str = "",
                 corrected: str = "", below: str = "", page: str = "1") -> Response:
    """The turns of one row of the insights: a confused pair (intent → corrected) or an intent below a threshold."""
    problems: list[str] = []
    since_day = form_day(since, "起始日期", problems) or _span("7")[1]
    threshold = _below(below, problems) if below else None
    intent, corrected = intent[:64], corrected[:64]
    if not corrected and threshold is None:
        threshold = domain.fallback_threshold()
    found = ReviewStore(db).insight_turns(day_start(since_day), intent, corrected or None, threshold,
                                          int(page) if page.isdigit() and len(page) < 7 else 1)
    calls = wrapups.corrected_calls(db, day_start(since_day), intent, corrected) if corrected else []
    audit.record(db, staff, audit.VIEW, "review:turns",
                 f"会话审阅：查看易错句子 {intent or '—'} → {corrected}" if corrected else
                 f"会话审阅：查看置信度低于 {threshold} 的句子 {intent or '—'}", address=client_address(request))
    db.commit()

    def link(number: int) -> str:
        return turns_link(since_day, intent, corrected, threshold if below else None) + f"&page={number}"

    return render(request, "review_turns.html", page=found, calls=calls, intent=intent, corrected=corrected,
                  threshold=threshold, since=since_day, problems=problems, link=link, turn_link=turn_link)


def _conversation_or_404(request: Request, store: ReviewStore, conversation_id: int):
    conversation = store.conversation(conversation_id)
    if conversation is None:
        return None, render(request, "review_missing.html", status=404)
    return conversation, None


@router.get("/console/review/{conversation_id}", include_in_schema=False)
def review_conversation(request: Request, conversation_id: int, db: Db, svc: AppServices,
                        staff: Staff = Depends(may_review), page: str = "1", done: str = "") -> Response:
    store = ReviewStore(db)
    conversation, missing = _conversation_or_404(request, store, conversation_id)
    if missing:
        return missing
    pages = max(1, -(-conversation.turns // TURNS_PAGE))
    number = min(max(int(page) if page.isdigit() and len(page) < 7 else 1, 1), pages)
    audit.record(db, staff, audit.VIEW, f"review:{conversation_id}", f"会话审阅：查看会话第 {number} 页",
                 address=client_address(request))
    db.commit()
    turns = store.turns(conversation_id, number)
    problems = (story_file.check(store.all_turns(conversation_id), domain.intents()) if done == "nostory" else [])
    return render(request, "review_conversation.html", c=conversation, turns=turns,
                  page=number, pages=pages, tags=store.tags(conversation_id), intents=domain.intents(),
                  channels=CHANNELS, short_sender=short_sender, done=done[:40],
                  entities={t.seq: effective(t.entities, t.corrected_entities) for t in turns},
                  entity_names=domain.entities(), entity_values=domain.entity_values(),
                  story=store.story(conversation_id), story_problems=problems, entity_problems=PROBLEMS,
                  township=townships(svc).get(conversation.township or "", ""))


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
    return _back(conversation_id, _form_page(form),
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
    page = _form_page(form)
    if not tag:
        return _back(conversation_id, page, "notag")
    (store.untag if remove else store.tag)(conversation, tag)
    audit.record(db, staff, audit.STATUS_CHANGE, f"review:{conversation_id}",
                 f"会话审阅：{'去掉' if remove else '加上'}标签 {tag}", address=client_address(request))
    db.commit()
    return _back(conversation_id, page, "untag" if remove else "tag")


def _turn(db: Session, conversation_id: int, seq: int) -> ReviewTurn | None:
    return db.scalars(select(ReviewTurn).where(ReviewTurn.conversation_id == conversation_id,
                                               ReviewTurn.seq == seq)).first()


def _entities_saved(request: Request, db: Session, staff: Staff, turn: ReviewTurn, found: list[dict] | None,
                    what: str) -> Response:
    ReviewStore(db).correct_entities(turn, found, staff.username)
    audit.record(db, staff, audit.STATUS_CHANGE, f"review:{turn.conversation_id}",
                 f"会话审阅：第 {turn.seq} 句实体{what}", address=client_address(request))
    db.commit()
    return _back(turn.conversation_id, (turn.seq - 1) // TURNS_PAGE + 1, "entity", f"#turn-{turn.seq}")


@router.post("/console/review/{conversation_id}/turns/{seq}/entities", include_in_schema=False)
def add_entity(request: Request, conversation_id: int, seq: int, db: Db,
               form: dict[str, str] = Depends(checked_form), staff: Staff = Depends(may_review)) -> Response:
    turn, entity = _turn(db, conversation_id, seq), form.get("entity", "")
    allowed = domain.entity_values().get(entity)
    value = form.get("value", "").strip()
    if turn is None or entity not in domain.entities():
        return render(request, "review_missing.html", status=404 if turn is None else 400)
    span = form.get("span", "")
    try:
        if allowed is not None and value not in allowed:
            raise EntityError("value")
        found = add(turn.text, effective(turn.entities, turn.corrected_entities), entity, span, value)
    except EntityError as problem:
        return _back(conversation_id, (seq - 1) // TURNS_PAGE + 1, f"entity-{problem.code}", f"#turn-{seq}")
    return _entities_saved(request, db, staff, turn, found, f"加上 {span.strip()} → {entity}={value or span.strip()}")


@router.post("/console/review/{conversation_id}/turns/{seq}/entities/remove", include_in_schema=False)
def remove_entity(request: Request, conversation_id: int, seq: int, db: Db,
                  form: dict[str, str] = Depends(checked_form), staff: Staff = Depends(may_review)) -> Response:
    turn, index = _turn(db, conversation_id, seq), form.get("index", "")
    if turn is None:
        return render(request, "review_missing.html", status=404)
    current = effective(turn.entities, turn.corrected_entities)
    try:
        found = remove(current, int(index) if index.isdigit() else -1)
    except EntityError:
        return render(request, "review_missing.html", status=400)
    gone = current[int(index)]
    return _entities_saved(request, db, staff, turn, found, f"去掉 {gone['entity']}={gone['value']}")


@router.post("/console/review/{conversation_id}/turns/{seq}/entities/reset", include_in_schema=False)
def reset_entities(request: Request, conversation_id: int, seq: int, db: Db,
                   form: dict[str, str] = Depends(checked_form), staff: Staff = Depends(may_review)) -> Response:
    turn = _turn(db, conversation_id, seq)
    if turn is None:
        return render(request, "review_missing.html", status=404)
    return _entities_saved(request, db, staff, turn, None, "恢复为模型识别的结果")


@router.post("/console/review/{conversation_id}/story", include_in_schema=False)
def save_story(request: Request, conversation_id: int, db: Db, form: dict[str, str] = Depends(checked_form),
               staff: Staff = Depends(may_review)) -> Response:
    store = ReviewStore(db)
    conversation, missing = _conversation_or_404(request, store, conversation_id)
    if missing:
        return missing
    page = _form_page(form)
    if form.get("saved") == "0":
        store.drop_story(conversation)
        detail, done = "会话审阅：不再作为测试故事", "unstory"
    elif story_file.check(store.all_turns(conversation_id), domain.intents()):
        return _back(conversation_id, page, "nostory", "#story")
    else:
        store.save_story(conversation, staff.username)
        detail, done = "会话审阅：存为测试故事", "story"
    audit.record(db, staff, audit.STATUS_CHANGE, f"review:{conversation_id}", detail, address=client_address(request))
    db.commit()
    return _back(conversation_id, page, done, "#story")


@router.get("/console/review/{conversation_id}/story.yml", include_in_schema=False)
def download_story(request: Request, conversation_id: int, db: Db, staff: Staff = Depends(may_review)) -> Response:
    store = ReviewStore(db)
    conversation, missing = _conversation_or_404(request, store, conversation_id)
    if missing:
        return missing
    turns = store.all_turns(conversation_id)
    if store.story(conversation_id) is None or story_file.check(turns, domain.intents()):
        return render(request, "review_missing.html", status=404)
    audit.record(db, staff, audit.EXPORT, f"review:{conversation_id}", "会话审阅：下载测试故事",
                 address=client_address(request))
    db.commit()
    return PlainTextResponse(story_file.render([(conversation, turns)]), media_type="application/x-yaml",
                             headers={"content-disposition": f'attachment; filename="review-{conversation_id}.yml"',
                                      "cache-control": "no-store"})
