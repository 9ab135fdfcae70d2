"""News for a web-chat resident that staff left while they were away (a referral's status changed): shown
when the chat page opens again (POST /api/chat/notices), or else first in their next turn; once either way.
WeChat residents get theirs through the outbox instead.

Texts are written by the staff side (bot.staff.notify) and carry no more than the resident's own case
number, its status and the office's address.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base, UtcDateTime, utcnow

MAX_SHOWN = 5  # at most this many at once (the newest); older ones are marked shown too


class ResidentNotice(Base):
    __tablename__ = "resident_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender: Mapped[str] = mapped_column(String(200), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    shown_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)


def leave(session: Session, sender: str, text: str) -> ResidentNotice:
    """Add a notice (in the caller's transaction)."""
    notice = ResidentNotice(sender=sender, text=text, created_at=utcnow())
    session.add(notice)
    session.flush()
    return notice


def take(session: Session, sender: str) -> list[str]:
    """The sender's notices not yet shown, oldest first, marked shown."""
    waiting = list(session.scalars(select(ResidentNotice).where(ResidentNotice.sender == sender,
                                                                ResidentNotice.shown_at.is_(None))
                                   .order_by(ResidentNotice.id)))
    if not waiting:
        return []
    now = utcnow()
    for notice in waiting:
        notice.shown_at = now
    session.commit()
    return [notice.text for notice in waiting[-MAX_SHOWN:]]
