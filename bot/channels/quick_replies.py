"""Buttons on channels that have none (WeChat, plain text): the resident types the answer.

When the bot's last answer carried buttons (the fallback ladder's "您是想问…吗？" has 是 / 不是),
they are remembered per sender in the database (so any app replica sees them). A next message that
says yes or no, or repeats a button's title, is sent to the engine as that button's payload.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base, utcnow
from bot.engine.client import BotMessage
from bot.text.normalize import fold

YES = {"是", "是的", "是滴", "对", "对的", "对对", "对对对", "嗯", "嗯嗯", "嗯呐", "没错", "对头", "好", "好的",
       "行", "可以", "中", "是啊", "对呀", "yes", "y", "ok"}
NO = {"不是", "不是的", "不对", "不", "错了", "没有", "不是啊", "都不是", "no", "n"}
TTL = timedelta(minutes=30)


class PendingButtons(Base):
    __tablename__ = "pending_buttons"

    sender: Mapped[str] = mapped_column(String(200), primary_key=True)
    buttons: Mapped[str] = mapped_column(Text)  # JSON list of {"title", "payload"}
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def _fresh(created_at: datetime) -> bool:
    if created_at.tzinfo is None:  # SQLite returns naive datetimes
        created_at = created_at.replace(tzinfo=timezone.utc)
    return utcnow() - created_at < TTL


def resolve(session: Session, sender: str, text: str) -> str | None:
    """The payload the resident's text chooses, if the last answer had buttons; forgets them."""
    pending = session.get(PendingButtons, sender)
    if pending is None:
        return None
    buttons = json.loads(pending.buttons)
    session.delete(pending)
    session.commit()
    if not _fresh(pending.created_at):
        return None
    key = fold(text)
    for button in buttons:
        if key == fold(button["title"]):
            return button["payload"]
    if key in YES:
        return buttons[0]["payload"]
    if key in NO and len(buttons) > 1:
        return buttons[-1]["payload"]
    return None


def remember(session: Session, sender: str, answers: list[BotMessage]) -> None:
    buttons = next((a.buttons for a in reversed(answers) if a.buttons), None)
    # Chips whose payload is plain words (a form's 同意 / 都没有) are read by the form itself, as typed.
    if buttons and all(str(b.get("payload", "")).startswith("/") for b in buttons):
        session.merge(PendingButtons(sender=sender, buttons=json.dumps(buttons, ensure_ascii=False),
                                     created_at=utcnow()))
        session.commit()
