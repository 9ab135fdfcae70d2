"""转人工 (/console/handoffs): the console's handoff inbox; thin, the work is in bot/staff/handoffs.py and
bot/staff/handoff.py. Server-rendered, no script (the console's strict policy); the list refreshes itself.

Roles: agent and admin. A reviewer may not read it: the inbox is live work with residents (claim, reply,
private notes) and shows what they wrote minutes ago; reviewers read finished conversations in 会话审阅,
and a reviewer here would widen who sees fresh personal data for no service to the resident.

- GET  /console/handoffs                     open handoffs, oldest first, waiting time, owner
- GET  /console/handoffs/{key}               transcript (masked), form answers, reply/note forms (recorded view)
- POST /console/handoffs/{key}/claim         take it (one owner at a time)
- POST /console/handoffs/{key}/release       give it up (its owner; an admin for anyone)
- POST /console/handoffs/{key}/reply         reply to the resident (its owner only)
- POST /console/handoffs/{key}/note          a private note (never sent)
- POST /console/handoffs/{key}/back          hand back to the bot (its owner, an admin, or anyone if unowned)
"""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from bot.api.deps import AppServices
from bot.services import Services
from bot.staff import handoff
from bot.db.session import Database
from bot.engine.client import EngineUnavailable
from bot.knowledge.loader import KnowledgeBase
from bot.staff import audit
from bot.staff import handoffs as inbox
from bot.staff.roles import ADMIN, AGENT
from bot.staff.web import HERE, Staff, checked_form, client_address, render, require_role, static_file

router = APIRouter(tags=["console"])
Agent = Depends(require_role(AGENT, ADMIN))
LIST = "/console/handoffs"
NOTICES = {
    "claimed": "已接手。居民会看到您的回复；小助手在这期间不说话。",
    "taken": "这个会话已经有人接手了。",
    "released": "已放弃接手，其他同事可以接手。",
    "replied": "已发送。",
    "noted": "备注已保存（居民看不到）。",
    "back": "已交回机器人，居民会收到“工作人员已结束这次对话”。",
    "empty": "内容是空的，没有发送。",
    "not_owner": "请先接手这个会话，再回复。",
    "gone": "这个会话已经不在转人工列表里了（已交回机器人或居民已结束）。",
}


_CANNED: dict[int, list[inbox.Canned]] = {}


def _canned(kb: KnowledgeBase) -> list[inbox.Canned]:
    """Built once per knowledge base (the app loads one at start)."""
    if id(kb) not in _CANNED:
        _CANNED.clear()
        _CANNED[id(kb)] = inbox.canned_replies(kb)
    return _CANNED[id(kb)]


@router.get("/console/static/handoffs.css", include_in_schema=False)
def stylesheet() -> Response:
    return static_file(HERE / "static" / "handoffs.css", "text/css")


@router.get(LIST, include_in_schema=False)
def waiting(request: Request, svc: AppServices, staff: Staff = Agent, done: str = "") -> Response:
    with svc.db.scope() as db:
        rows = inbox.inbox(db, svc.net)
    return render(request, "handoffs.html", rows=rows, notice=NOTICES.get(done, ""), refresh=True)


def _sender_of(database: Database, conversation: str) -> str | None:
    with database.scope() as db:
        found = inbox.find(db, conversation)
        return found.sender if found else None


async def _from_engine(svc: Services, sender: str) -> tuple[list[tuple[str, str]], list[inbox.Line], bool]:
    """The form's answers and what the bot said, from the engine's tracker; ([], [], False) when the engine
    does not answer (the page shows the rest)."""
    try:
        tracker = await svc.engine.tracker(sender)
    except EngineUnavailable:
        return [], [], False
    slots, events = tracker.get("slots"), tracker.get("events")
    return (inbox.form_answers(slots if isinstance(slots, dict) else {}, svc.kb, svc.forms.standard),
            inbox.bot_lines(events if isinstance(events, list) else []), True)


def _conversation_page(request: Request, svc: Services, staff: Staff, conversation: str, sender: str,
                       answers: list[tuple[str, str]], said_by_bot: list[inbox.Line], engine_up: bool, canned_key: str,
                       done: str) -> Response:
    kb, net = svc.kb, svc.net
    with svc.db.scope() as db:
        taken = handoff.active(db, sender)
        if taken is None:
            return RedirectResponse(f"{LIST}?done=gone", status_code=303)
        lines = inbox.transcript(db, sender, said_by_bot)
        audit.record(db, staff, audit.VIEW, inbox.subject(sender), "查看转人工会话记录（已遮挡）",
                     address=client_address(request))
        db.commit()
        canned = _canned(kb)
        chosen = next((c for c in canned if c.key == canned_key), None)
        return render(request, "handoff.html", key=conversation, channel=inbox.channel_of(sender), handoff=taken,
                      waited=inbox.waited(taken.since), lines=lines,
                      window_closed=inbox.wechat_window_closed(db, sender),
                      danger=any(line.who == "resident" and net.match(line.text) for line in lines), answers=answers, engine_up=engine_up,
                      canned=canned, chosen=chosen, notice=NOTICES.get(done, ""),
                      mine=taken.staff == staff.username, may_back=taken.staff in (None, staff.username)
                      or staff.role == ADMIN, reply_max=inbox.REPLY_MAX, note_max=inbox.NOTE_MAX)


@router.get(LIST + "/{conversation}", include_in_schema=False)
async def conversation_page(request: Request, conversation: str, svc: AppServices, staff: Staff = Agent, canned: str = "",
                      done: str = "") -> Response:
    sender = await run_in_threadpool(_sender_of, svc.db, conversation[:32])
    if sender is None:
        return RedirectResponse(f"{LIST}?done=gone", status_code=303)
    answers, said_by_bot, engine_up = await _from_engine(svc, sender)
    return await run_in_threadpool(_conversation_page, request, svc, staff, conversation, sender, answers, said_by_bot,
                                   engine_up, canned[:40], done[:20])


def _back_to(conversation: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"{LIST}/{quote(conversation)}?done={done}", status_code=303)


def _act(request: Request, database: Database, staff: Staff, conversation: str, form: dict[str, str],
         action: str) -> Response:
    with database.scope() as db:
        taken = inbox.find(db, conversation[:32])
        if taken is None:
            return RedirectResponse(f"{LIST}?done=gone", status_code=303)
        sender, address = taken.sender, client_address(request)
        if action == "claim":
            if not handoff.claim(db, sender, staff.username):
                return _back_to(conversation, "taken")
            audit.record(db, staff, audit.STATUS_CHANGE, inbox.subject(sender), "接手转人工会话", address=address)
            db.commit()
            return _back_to(conversation, "claimed")
        if action == "release":
            if not handoff.release(db, sender, None if staff.role == ADMIN else staff.username):
                return _back_to(conversation, "taken")
            audit.record(db, staff, audit.STATUS_CHANGE, inbox.subject(sender), "放弃接手转人工会话", address=address)
            db.commit()
            return _back_to(conversation, "released")
        text = (form.get("text") or "").strip()
        if action == "note":
            if not text:
                return _back_to(conversation, "empty")
            handoff.write(db, sender, handoff.NOTE, text[:inbox.NOTE_MAX], staff.username)
            db.commit()
            return _back_to(conversation, "noted")
        if action == "reply":
            if taken.staff != staff.username:
                return _back_to(conversation, "not_owner")
            if not text:
                return _back_to(conversation, "empty")
            if handoff.deliver(db, sender, text[:inbox.REPLY_MAX], staff.username):
                request.state.wake_outbox = True
            return _back_to(conversation, "replied")
        # back to the bot
        if taken.staff not in (None, staff.username) and staff.role != ADMIN:
            return _back_to(conversation, "taken")
        audit.record(db, staff, audit.STATUS_CHANGE, inbox.subject(sender), "交回机器人", address=address)
        _, request.state.wake_outbox = handoff.hand_back(db, sender, by=f"staff:{staff.username}")
        return RedirectResponse(f"{LIST}?done=back", status_code=303)


def _action(name: str):
    async def endpoint(request: Request, conversation: str, svc: AppServices, form: dict[str, str] = Depends(checked_form),
             staff: Staff = Agent) -> Response:
        response = await run_in_threadpool(_act, request, svc.db, staff, conversation, form, name)
        if getattr(request.state, "wake_outbox", False):  # on the event loop: asyncio.Event is not thread-safe
            svc.outbox.wake.set()
        return response

    endpoint.__name__ = f"handoff_{name}"
    return endpoint


for _name in ("claim", "release", "reply", "note", "back"):
    router.add_api_route(f"{LIST}/{{conversation}}/{_name}", _action(_name), methods=["POST"], include_in_schema=False)
