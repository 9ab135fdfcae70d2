"""During a handoff the bot says only "已转给工作人员…": to the first message, and again once the resident has
waited ACK_AGAIN_AFTER (10 minutes) since the last time; every message is kept for staff, none reaches the
engine. The time of the last acknowledgement lives in the database (migrated schema, SQLite and
PostgreSQL), so two app replicas, and two messages at once, agree."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.staff import handoff
from bot.channels.conversation import HANDED_BACK, Conversation
from bot.staff.alerts.service import Alerts
from bot.staff.desk import Desk
from bot.channels.inbox import InboundMessage
from bot.db.base import utcnow
from bot.db.migrate import upgrade
from bot.db.session import make_engine
from bot.engine.client import BotMessage
from tests.intake.conftest import postgres_database

RESIDENT = "wx-oResidentWaiting0001"
ACK = [handoff.ACKNOWLEDGEMENT]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """A database at the newest migration (the column comes from the migration, not from create_all)."""
    def made(url: str):
        upgrade(url)
        return make_engine(url)

    if request.param == "sqlite":
        eng = made(f"sqlite:///{tmp_path / 'app.db'}")
        yield eng
        eng.dispose()
        return
    with postgres_database() as url:
        eng = made(url)
        yield eng
        eng.dispose()


@pytest.fixture
def session(engine):
    with Session(engine) as s:
        yield s


class Engine:
    """Stands in for the Rasa engine: during a handoff it must never be asked anything."""

    def __init__(self):
        self.sent: list[str] = []

    async def send(self, sender, text, metadata=None):
        self.sent.append(text)
        return [BotMessage("小助手的回答")]

    async def parse(self, text):
        return {}


def replica() -> Conversation:
    return Conversation(engine=Engine(), kb=None, net=None, max_chars=500, desk=Desk(Alerts(None, None)))


def said(conversation: Conversation, session: Session, text: str, sender: str = RESIDENT) -> list[str]:
    import asyncio

    return asyncio.run(conversation.turn(session, "wechat", sender, text)).messages


def waited(session: Session, minutes: float, sender: str = RESIDENT) -> None:
    """As if the last acknowledgement was said `minutes` ago."""
    row = session.get(handoff.Handoff, sender)
    row.acknowledged_at = utcnow() - timedelta(minutes=minutes)
    session.commit()


# -- the rule itself, with the clock given -------------------------------------------------------

def test_first_message_then_quiet_for_ten_minutes_then_again(session):
    handoff.start(session, RESIDENT, reason="requested")
    t0 = utcnow()
    assert handoff.acknowledge(session, RESIDENT, now=t0) is True                                 # first message
    assert handoff.acknowledge(session, RESIDENT, now=t0 + timedelta(seconds=5)) is False
    assert handoff.acknowledge(session, RESIDENT, now=t0 + timedelta(minutes=9, seconds=59)) is False
    assert handoff.acknowledge(session, RESIDENT, now=t0 + timedelta(minutes=10)) is True          # the wait passed
    t1 = t0 + timedelta(minutes=10)
    assert handoff.acknowledge(session, RESIDENT, now=t1 + timedelta(minutes=3)) is False          # counted anew
    assert handoff.acknowledge(session, RESIDENT, now=t1 + timedelta(minutes=47)) is True


def test_no_handoff_no_acknowledgement_and_each_resident_has_their_own_clock(session):
    assert handoff.acknowledge(session, RESIDENT) is False
    handoff.start(session, RESIDENT, reason="requested")
    handoff.start(session, "wx-oSomeoneElse000000001", reason="requested")
    assert handoff.acknowledge(session, RESIDENT) is True
    assert handoff.acknowledge(session, "wx-oSomeoneElse000000001") is True
    assert handoff.acknowledge(session, RESIDENT) is False


def test_a_new_handoff_starts_with_an_acknowledgement(session):
    handoff.start(session, RESIDENT, reason="requested")
    assert handoff.acknowledge(session, RESIDENT) is True
    handoff.end(session, RESIDENT, by="resident")
    handoff.start(session, RESIDENT, reason="requested")
    assert handoff.acknowledge(session, RESIDENT) is True


def test_the_interval_is_one_constant(session, monkeypatch):
    monkeypatch.setattr(handoff, "ACK_AGAIN_AFTER", timedelta(minutes=30))
    handoff.start(session, RESIDENT, reason="requested")
    t0 = utcnow()
    assert handoff.acknowledge(session, RESIDENT, now=t0)
    assert not handoff.acknowledge(session, RESIDENT, now=t0 + timedelta(minutes=20))
    assert handoff.acknowledge(session, RESIDENT, now=t0 + timedelta(minutes=30))


def test_two_messages_at_once_on_two_replicas_get_one_acknowledgement(engine):
    with Session(engine) as s:
        handoff.start(s, RESIDENT, reason="requested")
    barrier = Barrier(6)

    def message_on_its_own_replica(_):
        with Session(engine) as s:
            barrier.wait()
            return handoff.acknowledge(s, RESIDENT)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(message_on_its_own_replica, range(6)))
    assert answers.count(True) == 1


# -- through the conversation turn (what the resident sees) ---------------------------------------

def test_turn_during_handoff(session):
    bot = replica()
    handoff.start(session, RESIDENT, reason="requested")
    assert said(bot, session, "我家低保停了怎么回事") == ACK
    assert said(bot, session, "有人吗") == []
    assert said(bot, session, "还在等") == []
    waited(session, minutes=9)
    assert said(bot, session, "怎么还没人") == []
    waited(session, minutes=10.5)
    assert said(bot, session, "等半天了") == ACK
    assert said(bot, session, "喂") == []
    assert said(bot, session, "结束人工") == [HANDED_BACK]
    assert bot.engine.sent == []  # nothing went to the engine
    statuses = session.scalars(select(InboundMessage.status).order_by(InboundMessage.id)).all()
    assert statuses == ["for_staff"] * 6 + ["answered"]
    assert said(bot, session, "低保要啥材料") == ["小助手的回答"]  # the bot is back


def test_another_replica_knows_the_acknowledgement_was_said(engine):
    first, second = replica(), replica()
    with Session(engine) as s:
        handoff.start(s, RESIDENT, reason="requested")
    with Session(engine) as s:
        assert said(first, s, "有人吗") == ACK
    with Session(engine) as s:
        assert said(second, s, "在吗") == []
        waited(s, minutes=11)
    with Session(engine) as s:
        assert said(second, s, "等了好久") == ACK
    with Session(engine) as s:
        assert said(first, s, "喂") == []


def test_danger_words_during_a_handoff_still_get_the_numbers_and_alert_staff(session, kb):
    """A person has the conversation, but danger does not wait for them."""
    from bot.staff.alerts.models import Alert
    from bot.safety.net import SafetyNet
    from bot.settings import ROOT

    engine = Engine()
    net = SafetyNet.from_file(ROOT / "policies" / "emergency.yml")
    bot = Conversation(engine=engine, kb=kb, net=net, max_chars=500, desk=Desk(Alerts(kb, net)))
    handoff.start(session, RESIDENT, reason="requested")
    said(bot, session, "你好")  # the acknowledgement
    answer = "\n".join(said(bot, session, "我不想活了"))
    assert "120" in answer and "110" in answer
    [alert] = session.scalars(select(Alert)).all()
    assert alert.kind == "emergency" and alert.sender == RESIDENT
    assert said(bot, session, "啥时候有人回我") == []  # otherwise the bot stays quiet
    assert engine.sent == []  # and the engine is never asked while a person has it
