"""Staff side of a human handoff (the console issue builds the screens): who is waiting, what they said,
a reply (sent through WeChat's customer-service API), and handing the conversation back to the bot."""
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.api.deps import ServiceAuth, db_session, services
from bot.channels import handoff
from bot.channels.inbox import InboundMessage
from bot.privacy.mask import mask
from bot.channels.wechat import outbox

router = APIRouter(prefix="/api/handoffs", tags=["handoff"], dependencies=[ServiceAuth])
Db = Annotated[Session, Depends(db_session)]
BACK_TO_BOT = "工作人员已结束这次对话。有别的事，接着问小助手就行。"


class StaffReply(BaseModel):
    staff: str = Field(min_length=1, max_length=80)
    text: str = Field(min_length=1, max_length=600)


class StaffAction(BaseModel):
    staff: str = Field(min_length=1, max_length=80)


def _wechat_openid(sender: str) -> str:
    if not sender.startswith("wx-"):
        raise HTTPException(status_code=409, detail="only WeChat conversations can be answered by staff")
    return sender.removeprefix("wx-")


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
def reply(sender: str, body: StaffReply, session: Db, svc=Depends(services)) -> dict:
    taken = handoff.active(session, sender)
    if taken is None:
        raise HTTPException(status_code=409, detail="this conversation is not with a person")
    taken.staff = taken.staff or body.staff  # the first to reply has taken the conversation
    outbox.enqueue(session, _wechat_openid(sender), [body.text], source="staff")
    svc.outbox.wake.set()
    return {"queued": True}


@router.post("/{sender}/end")
def end(sender: str, body: StaffAction, session: Db, svc=Depends(services)) -> dict:
    if not handoff.end(session, sender, by=f"staff:{body.staff}"):
        raise HTTPException(status_code=404, detail="no handoff for this conversation")
    if sender.startswith("wx-"):
        outbox.enqueue(session, _wechat_openid(sender), [BACK_TO_BOT], source="staff")
        svc.outbox.wake.set()
    return {"ended": True}
