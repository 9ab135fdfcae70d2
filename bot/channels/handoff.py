"""Human handoff: while a person has a conversation, the resident's messages go to staff, not the engine."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base, UtcDateTime, utcnow

logger = logging.getLogger(__name__)
END_WORDS = {"结束人工", "退出人工", "不用人工了", "结束对话", "回到机器人", "找小助手"}
STAFF_SENDERS = ("wx-",)  # channels where staff can write back (WeChat customer-service messages)


class Handoff(Base):
    __tablename__ = "handoffs"

    sender: Mapped[str] = mapped_column(String(200), primary_key=True)
    since: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(40))
    staff: Mapped[str | None] = mapped_column(String(80))  # who took it, once someone has


def active(session: Session, sender: str) -> Handoff | None:
    return session.get(Handoff, sender)


def start(session: Session, sender: str, reason: str) -> None:
    if session.get(Handoff, sender) is None:
        session.add(Handoff(sender=sender, reason=reason))
        session.commit()
        logger.info("handoff started for a %s conversation (%s)", sender.split("-", 1)[0], reason)


def end(session: Session, sender: str, by: str) -> bool:
    handoff = session.get(Handoff, sender)
    if handoff is None:
        return False
    session.delete(handoff)
    session.commit()
    logger.info("handoff ended by %s", by)
    return True


def waiting(session: Session) -> list[Handoff]:
    return list(session.scalars(select(Handoff).order_by(Handoff.since)))
