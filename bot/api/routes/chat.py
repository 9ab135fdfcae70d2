"""The residents' web chat: a page and its JSON endpoint (same engine REST path as WeChat)."""
from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bot.api.deps import db_session, services

router = APIRouter(tags=["chat"])
PAGE = Path(__file__).resolve().parents[2] / "channels" / "webchat" / "chat.html"


class ChatRequest(BaseModel):
    sender: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    text: str = Field(max_length=20000)


class ChatChip(BaseModel):
    """A tap-to-answer chip under the last message. `send` is the text a tap sends, read as if typed;
    `multi` chips are options of a question that takes several: taps toggle them and the page's 确定 chip
    sends the chosen ones joined by spaces ("1 5")."""

    title: str
    send: str
    multi: bool = False


class ChatReply(BaseModel):
    messages: list[str]
    chips: list[ChatChip] = []  # empty: the page may still offer a numbered menu in the text as chips


@router.get("/chat", include_in_schema=False)
def page() -> FileResponse:
    return FileResponse(PAGE, media_type="text/html; charset=utf-8")


@router.post("/api/chat", response_model=ChatReply)
async def chat(body: ChatRequest, svc=Depends(services), session: Session = Depends(db_session)) -> ChatReply:
    reply = await svc.conversation.turn(session, "webchat", f"web-{body.sender}", body.text)
    return ChatReply(messages=reply.messages,
                     chips=[ChatChip(title=c.title, send=c.send, multi=c.multi) for c in reply.chips])
