"""What a turn returns for the web chat: the messages and the chips under the last one. A form's chips send
their payload as typed words; a button whose payload names an intent (the fallback ladder's 是 / 不是) sends
its title, which quick_replies maps back to the payload on the next turn; the danger question has 有 / 没有."""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bot.channels.conversation import Chip, Conversation, Reply, chips_of
from bot.staff.alerts.service import Alerts
from bot.staff.desk import Desk
from bot.db import models  # noqa: F401  (every table registered on Base.metadata)
from bot.db.base import Base
from bot.engine.client import BotMessage
from bot.safety.tiers import CHECK

SENDER = "web-chipsresident0001"
LADDER = [{"title": "是", "payload": '/ask_policy{"programme": "dibao"}'}, {"title": "不是", "payload": "/out_of_scope"}]
MEMBERS = [{"title": "60岁以上老人", "payload": "1", "multi": True}, {"title": "重病、大病病人", "payload": "5", "multi": True},
           {"title": "都没有", "payload": "都没有"}]
DESK = Desk(Alerts(None, None))  # no emergency here: alerts never raised


def test_form_chips_send_their_payload_and_keep_multi():
    assert chips_of([BotMessage("家里有没有下面这些人？", MEMBERS)]) == [
        Chip("60岁以上老人", "1", True), Chip("重病、大病病人", "5", True), Chip("都没有", "都没有", False)]


def test_intent_buttons_send_their_title():
    assert chips_of([BotMessage("您是想问“低保”吗？", LADDER)]) == [Chip("是", "是"), Chip("不是", "不是")]


def test_only_the_last_message_chips_count():
    assert chips_of([BotMessage("一", MEMBERS), BotMessage("二")]) == []
    assert chips_of([BotMessage("一"), BotMessage("二", LADDER)])[0].title == "是"
    assert chips_of([]) == []


def test_notes_go_before_and_the_chips_stay():
    reply = Reply(["问题"], [Chip("对", "对")])
    assert reply.after(["先说一句"]) == Reply(["先说一句", "问题"], [Chip("对", "对")])
    assert reply.after([]) is reply


class Engine:
    def __init__(self, answers, danger=None):
        self.answers, self.danger, self.sent = list(answers), danger, []

    async def send(self, sender, text, metadata=None):
        self.sent.append(text)
        return self.answers.pop(0)

    command = send  # an intent the app chose ("/affirm" for a typed 是)

    async def parse(self, text):
        return {"danger": {"tier": self.danger}} if self.danger else {}


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s


def turn(conversation, session, text) -> Reply:
    return asyncio.run(conversation.turn(session, "webchat", SENDER, text))


def test_a_form_question_comes_with_its_chips(session, kb):
    bot = Conversation(Engine([[BotMessage("家里有没有下面这些人？\n1 60岁以上老人\n5 重病、大病病人", MEMBERS)]]),
                       kb, None, 500, desk=DESK)
    reply = turn(bot, session, "一千来块")
    assert reply.messages == ["家里有没有下面这些人？\n1 60岁以上老人\n5 重病、大病病人"]
    assert [(c.title, c.send, c.multi) for c in reply.chips] == [
        ("60岁以上老人", "1", True), ("重病、大病病人", "5", True), ("都没有", "都没有", False)]


def test_the_ladder_chip_still_reaches_the_engine_as_its_payload(session, kb):
    engine = Engine([[BotMessage("我没太听明白。您是想问“低保的申请条件”吗？", LADDER)], [BotMessage("【低保·申请条件】…")]])
    bot = Conversation(engine, kb, None, 500, desk=DESK)
    first = turn(bot, session, "那个钱咋整")
    assert [c.send for c in first.chips] == ["是", "不是"]
    second = turn(bot, session, first.chips[0].send)  # the page sends what the chip says
    assert engine.sent == ["那个钱咋整", LADDER[0]["payload"]] and second.chips == []


def test_the_danger_question_has_two_chips(session, kb):
    bot = Conversation(Engine([], danger=CHECK), kb, None, 500, desk=DESK)
    reply = turn(bot, session, "俺家老头三天没动静了")
    assert "有危险吗" in reply.messages[-1]
    assert [(c.title, c.send) for c in reply.chips] == [("有", "有"), ("没有", "没有")]
