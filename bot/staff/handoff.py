"""Human handoff: while a person has a conversation, the resident's messages go to staff, not the engine.

The bot says only that the message was passed on: to the first message of the handoff, and again once the
resident has waited ACK_AGAIN_AFTER since the last time it said so. When it last said so is kept on the
handoff row, and claimed by one conditional UPDATE, so any app replica (and two messages at once) agree.

Staff write back on both channels: WeChat through the outbox, the web chat through `handoff_messages`, which
the resident's page polls (`GET /api/chat/staff`). One staff member owns (claims) a handoff at a time; their
private notes sit in the same table and never reach the resident.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from sqlalchemy import Integer, String, Text, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base, UtcDateTime, utcnow
from bot.channels.wechat import outbox
from bot.privacy.mask import mask
from bot.channels.sender import Sender

logger = logging.getLogger(__name__)
END_WORDS = {"结束人工", "退出人工", "不用人工了", "结束对话", "回到机器人", "找小助手"}
ACKNOWLEDGEMENT = "已转给工作人员，请稍等；着急请打12345。"
BACK_TO_BOT = "工作人员已结束这次对话。有别的事，接着问小助手就行。"
ACK_AGAIN_AFTER = timedelta(minutes=10)  # a resident still waiting this long after the last one hears it again


class Handoff(Base):
    __tablename__ = "handoffs"

    sender: Mapped[str] = mapped_column(String(200), primary_key=True)
    since: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(40))
    staff: Mapped[str | None] = mapped_column(String(80))  # who took it, once someone has
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the bot last said "已转给工作人员"
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # when `staff` took it


REPLY, NOTE, BACK = "reply", "note", "back"  # to the resident; private to staff; the hand-back notice


class HandoffMessage(Base):
    """What staff wrote in a handed-over conversation: replies (kept as sent: the web chat's page fetches
    them), private notes (masked at write, never sent) and the notice that the bot is back."""

    __tablename__ = "handoff_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sender: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    staff: Mapped[str | None] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def active(session: Session, sender: str) -> Handoff | None:
    return session.get(Handoff, sender)


def start(session: Session, sender: str, reason: str) -> None:
    if session.get(Handoff, sender) is None:
        session.add(Handoff(sender=sender, reason=reason))
        session.commit()
        logger.info("handoff started for a %s conversation (%s)", Sender.parse(sender).channel, reason)


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


def claim(session: Session, sender: str, staff: str) -> bool:
    """`staff` owns the handoff unless someone else already does (one conditional UPDATE, so two staff
    clicking at once cannot both win). True if `staff` owns it now. Commits."""
    now = utcnow().astimezone(timezone.utc)
    won = session.execute(
        update(Handoff).where(Handoff.sender == sender, or_(Handoff.staff.is_(None), Handoff.staff == staff))
        .values(staff=staff, claimed_at=func.coalesce(Handoff.claimed_at, now))
        .execution_options(synchronize_session=False)).rowcount
    session.commit()
    session.expire_all()
    return won == 1


def release(session: Session, sender: str, staff: str | None = None) -> bool:
    """Nobody owns it any more (the owner gives it up; `staff` None: whoever owned it). Commits."""
    query = update(Handoff).where(Handoff.sender == sender)
    if staff is not None:
        query = query.where(Handoff.staff == staff)
    done = session.execute(query.values(staff=None, claimed_at=None).execution_options(synchronize_session=False))
    session.commit()
    session.expire_all()
    return done.rowcount == 1


def write(session: Session, sender: str, kind: str, text: str, staff: str | None) -> HandoffMessage:
    """A staff message of this conversation (not committed: the caller commits it with its audit entry)."""
    message = HandoffMessage(sender=sender, kind=kind, staff=staff, text=mask(text) if kind == NOTE else text)
    session.add(message)
    session.flush()
    return message


def written(session: Session, sender: str, kinds: tuple[str, ...] = (REPLY, NOTE, BACK),
            after: int = 0, limit: int = 200) -> list[HandoffMessage]:
    """Staff messages of this conversation with an id above `after`, oldest first."""
    rows = session.scalars(select(HandoffMessage).where(HandoffMessage.sender == sender, HandoffMessage.id > after,
                                                        HandoffMessage.kind.in_(kinds))
                           .order_by(HandoffMessage.id.desc()).limit(limit)).all()
    return list(reversed(rows))


def cursor_before(session: Session, sender: str, since: datetime) -> int:
    """The newest staff message id written before a handoff began (what the resident has seen already)."""
    return session.scalar(select(func.max(HandoffMessage.id)).where(
        HandoffMessage.sender == sender, HandoffMessage.created_at < since.astimezone(timezone.utc))) or 0


def deliver(session: Session, sender: str, text: str, staff: str | None, kind: str = REPLY) -> bool:
    """Send a staff message to the resident: kept in handoff_messages (the transcript; the web chat's page
    fetches it from there), and on WeChat queued in the outbox too. Commits. True when the outbox has new
    work (the caller wakes its worker)."""
    write(session, sender, kind, text, staff)
    openid = Sender.parse(sender).openid
    if openid is not None:
        outbox.enqueue(session, openid, [text], source="staff")  # commits
        return True
    session.commit()
    return False


def hand_back(session: Session, sender: str, by: str) -> tuple[bool, bool]:
    """Staff end the handoff: the bot answers again, and the resident is told so. (ended, outbox woken?)"""
    if active(session, sender) is None:
        return False, False
    wake = deliver(session, sender, BACK_TO_BOT, None, kind=BACK)
    end(session, sender, by=by)
    return True, wake
