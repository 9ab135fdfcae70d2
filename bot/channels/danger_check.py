"""The danger question: for wording that may mean danger, ask before anything else, then resume.

The engine reports `danger.tier == "check"` for a message (bot/safety/tiers.py). The app then holds the
message back from the conversation, asks one short question with the emergency numbers, and
remembers which inbound message it was about (per sender, in the database, so any replica can take
the answer). The answer decides how the held message is replayed to the engine: "yes" as confirmed
danger (alert, urgent referral), "no" as an ordinary message, so a form or a question goes on where it
was. Anything else is taken as "no" too, and the new message is then handled on its own: nothing the
resident typed is lost.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.channels.inbox import InboundMessage
from bot.db.base import Base, UtcDateTime, utcnow
from bot.text.answers import yes_no
from bot.text.normalize import fold

TTL = timedelta(minutes=30)
QUESTION = "先问您一句：您或身边的人现在有危险吗？"
HOW_TO_ANSWER = "有危险请回复“有”，没有请回复“没有”。"
RESUMED = "好的，没事就好。"

_PARTICLES = re.compile(r"(?:啊|呀|吧|呢|哦|噢|哈|嘛|啦|了|的|儿)+$")
_NO = re.compile(r"(?:没|没有|没事|没啥事|没危险|没有危险|不危险|安全|放心|挺好|都挺好|都好|好着|误会|不是|不用)+")
_NO_PHRASE = re.compile(r"没有?(?:什么|啥)?危险|没(?:什么|啥)?事|不危险|不用(?:担心|害怕|报警)|误会|说错|安全|"
                        r"(?:就是|只是|随便)问问")
_YES = re.compile(r"(?:有|有的|是|是的|对|危险|有危险|快|快点|快来|急|很急)+")
_YES_PHRASE = re.compile(r"^有(?!没有)|(?<!没)有危险|快来人|救命|救救|快来|赶紧来|不行|出人命")


class DangerCheck(Base):
    __tablename__ = "danger_checks"

    sender: Mapped[str] = mapped_column(String(200), primary_key=True)
    inbound_id: Mapped[int] = mapped_column(Integer)  # the held message (its text stays in the inbox)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def read_answer(text: str) -> bool | None:
    """True: in danger; False: not; None: the resident said something else."""
    key = _PARTICLES.sub("", re.sub(r"^[我俺嗯呃额]+", "", fold(text)))
    if not key:
        return yes_no(text)
    if _NO.fullmatch(key) or _NO_PHRASE.search(key):  # before yes: 没有危险 contains 有危险
        return False
    if _YES.fullmatch(key) or _YES_PHRASE.search(key):
        return True
    return yes_no(text)


def question(numbers: str) -> str:
    """The one message: the question, the emergency numbers (from policies/emergency.yml), how to answer."""
    return f"{QUESTION}\n{numbers}\n{HOW_TO_ANSWER}"


def ask(session: Session, sender: str, inbound_id: int) -> None:
    session.merge(DangerCheck(sender=sender, inbound_id=inbound_id, created_at=utcnow()))
    session.commit()


def take(session: Session, sender: str) -> InboundMessage | None:
    """The inbound message a fresh question was about, if one is pending; forgets the question."""
    pending = session.get(DangerCheck, sender)
    if pending is None:
        return None
    session.delete(pending)
    session.commit()
    return session.get(InboundMessage, pending.inbound_id) if utcnow() - pending.created_at < TTL else None
