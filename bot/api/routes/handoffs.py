"""Staff side of a human handoff for tools with the service token (the console's screen is
/console/handoffs): who is waiting, what they said, a reply (WeChat: the customer-service API through the
outbox; web chat: fetched by the resident's page), and handing the conversation back to the bot."""

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import select

from bot.api.deps import AppServices, Db, ServiceAuth
from bot.staff import handoff
from bot.channels.inbox import InboundMessage
from bot.privacy.mask import mask

router = APIRouter(prefix="/api/handoffs", tags=["handoff"], dependencies=[ServiceAuth])


class StaffReply(BaseModel):
    staff: str = Field(min_length=1, max_length=80)
    text: str = Field(min_length=1, max_length=600)


class StaffAction(BaseModel):
    staff: str = Field(min_length=1, max_length=80)


@router.get("")
def waiting(session: Db) -> list[dict]:
    return [{"sender": h.sender, "since": h.since, "reason": h.reason, "staff": h.staff}
            for h in handoff.waiting(session)]


@router.get("/{sender}/messages")
def messages(sender: str, session: Db) -> list[dict]:
    """What the resident said while waiting for a person (personal numbers masked): only while the handoff is
    open. Ending one deletes it, and a conversation back with the bot is no staff member's to read."""
    if handoff.active(session, sender) is None:
        raise HTTPException(status_code=404, detail="no handoff for this conversation")
    rows = session.scalars(select(InboundMessage).where(InboundMessage.sender == sender)
                           .order_by(InboundMessage.id.desc()).limit(50)).all()
    return [{"at": r.created_at, "text": mask(r.text), "status": r.status} for r in reversed(rows)]


@router.post("/{sender}/reply", status_code=202)
def reply(sender: str, body: StaffReply, session: Db, svc: AppServices) -> dict:
    taken = handoff.active(session, sender)
    if taken is None:
        raise HTTPException(status_code=409, detail="this conversation is not with a person")
    if taken.staff is None:  # the first to reply has taken the conversation
        handoff.claim(session, sender, body.staff)
    if handoff.deliver(session, sender, body.text, body.staff):
        svc.outbox.wake.set()
    return {"queued": True}


@router.post("/{sender}/end")
def end(sender: str, body: StaffAction, session: Db, svc: AppServices) -> dict:
    ended, wake = handoff.hand_back(session, sender, by=f"staff:{body.staff}")
    if not ended:
        raise HTTPException(status_code=404, detail="no handoff for this conversation")
    if wake:
        svc.outbox.wake.set()
    return {"ended": True}
