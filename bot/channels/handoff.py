"""Human handoff: while a person has a conversation, the resident's messages go to staff, not the engine.

The bot says only that the message was passed on: to the first message of the handoff, and again once the
resident has waited ACK_AGAIN_AFTER since the last time it said so. When it last said so is kept on the
handoff row, and claimed by one conditional UPDATE, so any app replica (and two messages at once) agree.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from sqlalchemy import String, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base, UtcDateTime, utcnow

logger = logging.getLogger(__name__)
END_WORDS = {"结束人工", "退出人工", "不用人工了", "结束对话", "回到机器人", "找小助手"}
STAFF_SENDERS = ("wx-",)  # channels where staff can write back (WeChat customer-service messages)
ACKNOWLEDGEMENT = "已转给工作人员，请稍等；着急请打12345。"
ACK_AGAIN_AFTER = timedelta(minutes=10)  # a resident still waiting this long after the last one hears it again


class Handoff(Base):
    __tablename__ = "handoffs"

    sender: Mapped[str] = mapped_column(String(200), primary_key=True)
    since: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(40))
    staff: Mapped[str | None] = mapped_column(String(80))  # who took it, once someone has
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the bot last said "已转给工作人员"


def active(session: Session, sender: str) -> Handoff | None:
    return session.get(Handoff, sender)


def start(session: Session, sender: str, reason: str) -> None:
    if session.get(Handoff, sender) is None:
        session.add(Handoff(sender=sender, reason=reason))
        session.commit()
        logger.info("handoff started for a %s conversation (%s)", sender.split("-", 1)[0], reason)


def acknowledge(session: Session, sender: str, now: datetime | None = None) -> bool:
    """Whether this message gets ACKNOWLEDGEMENT: the first of the handoff, or the wait since the last one
    has reached ACK_AGAIN_AFTER. Claims it (records the time) in the same step; commits."""
    now = (now or utcnow()).astimezone(timezone.utc)  # SQLite compares the stored UTC text
    claimed = session.execute(
        update(Handoff).where(Handoff.sender == sender,
                              or_(Handoff.acknowledged_at.is_(None), Handoff.acknowledged_at <= now - ACK_AGAIN_AFTER))
        .values(acknowledged_at=now).execution_options(synchronize_session=False)).rowcount
    session.commit()
    return claimed == 1


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
