"""The residents' web chat: a page and its JSON endpoint (same engine REST path as WeChat), the staff
replies of a handoff, which the page fetches every few seconds while a person has the conversation, and the
news staff left while the resident was away (her referral moved), which the page fetches when it opens."""
from pathlib import Path

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from bot.api.deps import AppServices, Db
from bot.security import senders
from bot.staff import handoff
from bot.security.limits import NEW_WEB_SENDERS_PER_CLIENT, STAFF_POLLS_PER_SENDER, RateLimited
from bot.channels.sender import Sender
from bot.services import Services

router = APIRouter(tags=["chat"])
PAGE = Path(__file__).resolve().parents[2] / "channels" / "webchat" / "chat.html"


class ChatRequest(BaseModel):
    # the token /api/chat/session or an earlier answer issued; missing, old or forged: a new conversation
    sender: str | None = Field(default=None, max_length=100)
    text: str = Field(max_length=20000)


class ChatSession(BaseModel):
    sender: str  # send it with every message of this conversation


class ChatChip(BaseModel):
    """A tap-to-answer chip under the last message. `send` is the text a tap sends, read as if typed;
    `multi` chips are options of a question that takes several: taps toggle them and the page's 确定 chip
    sends the chosen ones joined by spaces ("1 5")."""

    title: str
    send: str
    multi: bool = False


class ChatReply(BaseModel):
    sender: str  # the conversation's sender token: keep it and send it with the next message
    messages: list[str]
    chips: list[ChatChip] = []  # empty: the page may still offer a numbered menu in the text as chips
    staff: bool = False  # a person has the conversation now: fetch their replies from /api/chat/staff


class SenderToken(BaseModel):
    sender: str = Field(max_length=100)  # the token /api/chat/session or an answer issued


class ChatNotices(BaseModel):
    messages: list[str]  # news left while the resident was away, oldest first; empty when there is none


class StaffMessage(BaseModel):
    id: int
    text: str


class StaffMessages(BaseModel):
    open: bool  # a person still has the conversation: ask again in a few seconds
    messages: list[StaffMessage]  # staff replies (and the notice that the bot is back), oldest first
    after: int  # send it as `after` next time


@router.get("/chat", include_in_schema=False)
def page() -> FileResponse:
    return FileResponse(PAGE, media_type="text/html; charset=utf-8")


SLOW_DOWN = "新开的对话太多了，请过一会儿再试。有危险请马上打110、120、119。"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _issue(request: Request, svc: Services) -> str:
    """A new conversation for this caller, within the limit of new conversations per address."""
    if not svc.limiter.allow(NEW_WEB_SENDERS_PER_CLIENT, _client(request)):
        raise RateLimited(NEW_WEB_SENDERS_PER_CLIENT, SLOW_DOWN)
    return senders.issue(svc.settings.webchat_secret)


@router.post("/api/chat/session", response_model=ChatSession)
def new_session(request: Request, svc: AppServices) -> ChatSession:
    """A new conversation's sender token, issued (signed) by the app."""
    return ChatSession(sender=_issue(request, svc))


@router.post("/api/chat", response_model=ChatReply)
async def chat(body: ChatRequest, request: Request, svc: AppServices, session: Db) -> ChatReply:
    token = body.sender
    sender_id = senders.verified(svc.settings.webchat_secret, token)
    if sender_id is None:
        token = _issue(request, svc)
        sender_id = senders.verified(svc.settings.webchat_secret, token)
    conversation = Sender.web(sender_id).conversation_id
    reply = await svc.conversation.turn(session, "webchat", conversation, body.text, client=_client(request))
    return ChatReply(sender=token, messages=reply.messages,
                     chips=[ChatChip(title=c.title, send=c.send, multi=c.multi) for c in reply.chips],
                     staff=handoff.active(session, conversation) is not None)


@router.get("/api/chat/staff", response_model=StaffMessages)
def staff_messages(svc: AppServices, session: Db, sender: str = Query(max_length=100),
                   after: int | None = Query(default=None, ge=0, le=2**53)) -> StaffMessages:
    """What staff wrote to this resident after message `after`; without `after`, everything of the handoff
    open now. Only for the conversation the signed sender token names (a forged or copied id reads nothing)."""
    conversation = _polled_conversation(svc, sender)
    taken = handoff.active(session, conversation)
    if after is None:
        if taken is None:
            return StaffMessages(open=False, messages=[], after=0)
        after = handoff.cursor_before(session, conversation, taken.since)
    rows = handoff.written(session, conversation, kinds=(handoff.REPLY, handoff.BACK), after=after, limit=50)
    return StaffMessages(open=taken is not None, messages=[StaffMessage(id=r.id, text=r.text) for r in rows],
                         after=max([after] + [r.id for r in rows]))


def _polled_conversation(svc: Services, token: str) -> str:
    """The conversation a signed sender token names, within the page's per-sender budget for reads of what staff
    left (their replies, news); a forged or copied id is refused."""
    sender_id = senders.verified(svc.settings.webchat_secret, token)
    if sender_id is None:
        raise HTTPException(status_code=403, detail="not a sender token this app issued")
    if not svc.limiter.allow(STAFF_POLLS_PER_SENDER, sender_id):
        raise RateLimited(STAFF_POLLS_PER_SENDER, "刷新太频繁了，请稍等。有危险请马上打110、120、119。")
    return Sender.web(sender_id).conversation_id


@router.post("/api/chat/notices", response_model=ChatNotices)
def chat_notices(body: SenderToken, svc: AppServices, session: Db) -> ChatNotices:
    """News staff left for this resident while she was away (her referral's status changed), when the page
    opens: shown once, so her next message does not repeat it."""
    return ChatNotices(messages=svc.conversation.news(session, _polled_conversation(svc, body.sender)))
