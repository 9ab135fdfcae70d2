"""Every inbound resident message is written down before the engine sees it: nothing is lost. Staff read
these rows, so personal numbers are masked as they are written (the forms read the phone from the turn
itself, never from here)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base, utcnow
from bot.privacy.mask import mask


class InboundMessage(Base):
    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    channel: Mapped[str] = mapped_column(String(40))
    sender: Mapped[str] = mapped_column(String(200), index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)  # received|answered|failed
    note: Mapped[str | None] = mapped_column(String(200))


def record(session: Session, channel: str, sender: str, text: str) -> InboundMessage:
    message = InboundMessage(channel=channel, sender=sender, text=mask(text))
    session.add(message)
    session.commit()
    return message


def mark(session: Session, message: InboundMessage, status: str, note: str | None = None) -> None:
    message.status = status
    message.note = note
    session.commit()
