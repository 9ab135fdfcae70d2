"""A web-chat resident's next turn says the news staff left first (their referral moved), once, with the
bot's own answer and its chips after it."""
from __future__ import annotations

import asyncio

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bot.channels import notices
from bot.channels.conversation import Chip, Conversation
from bot.staff.alerts.service import Alerts
from bot.staff.desk import Desk
from bot.db import models  # noqa: F401  (every table registered on Base.metadata)
from bot.db.base import Base
from bot.engine.client import BotMessage

SENDER = "web-noticeresident001"


class Engine:
    async def send(self, sender, text, metadata=None):
        return [BotMessage("您好，请问想问什么？", [{"title": "低保", "payload": "低保"}])]

    async def parse(self, text):
        return {}


def test_pending_notices_come_first_once_then_the_answer(kb):
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    bot = Conversation(Engine(), kb, None, 500, desk=Desk(Alerts(kb, None)))
    with Session(engine) as session:
        notices.leave(session, SENDER, "您的救助转介单SL-2026-000001有新进展：已受理。")
        notices.leave(session, "web-someoneelse00001", "别人的消息")
        session.commit()
        first = asyncio.run(bot.turn(session, "webchat", SENDER, "你好"))
        assert first.messages == ["您的救助转介单SL-2026-000001有新进展：已受理。", "您好，请问想问什么？"]
        assert first.chips == [Chip("低保", "低保")]
        again = asyncio.run(bot.turn(session, "webchat", SENDER, "你好"))
        assert again.messages == ["您好，请问想问什么？"]
