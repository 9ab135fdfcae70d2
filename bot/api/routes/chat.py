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


class ChatReply(BaseModel):
    messages: list[str]


@router.get("/chat", include_in_schema=False)
def page() -> FileResponse:
    return FileResponse(PAGE, media_type="text/html; charset=utf-8")


@router.post("/api/chat", response_model=ChatReply)
async def chat(body: ChatRequest, svc=Depends(services), session: Session = Depends(db_session)) -> ChatReply:
    return ChatReply(messages=await svc.conversation.turn(session, "webchat", f"web-{body.sender}", body.text))
