"""The resident's answer to "您或身边的人现在有危险吗？", and the pending question per sender."""
from datetime import timedelta

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bot.channels import danger_check, inbox
from bot.db.base import Base, utcnow


@pytest.mark.parametrize("text", ["有", "有危险", "有啊", "是", "是的 快点", "对", "嗯", "快来人啊", "俺妈不行了", "救命",
                                  "危险", "快", "赶紧来人", "有啊 快点", "有 俺爸倒地上了"])
def test_yes(text):
    assert danger_check.read_answer(text) is True


@pytest.mark.parametrize("text", ["没有", "没有危险", "没有啊", "没事", "没事儿", "没事 谢谢", "不是", "不", "不危险",
                                  "安全着呢", "不用担心", "没 俺就是问问", "俺没事", "没啥危险", "误会了"])
def test_no(text):
    assert danger_check.read_answer(text) is False


@pytest.mark.parametrize("text", ["", "😀", "你说啥呢", "俺叫老刘太太", "低保咋申请", "啥也没有", "有没有低保"])
def test_something_else(text):
    assert danger_check.read_answer(text) is None


def test_question_carries_the_numbers():
    text = danger_check.question("有危险打110，要救护车打120，着火打119。")
    assert "有危险吗" in text and "110" in text and "没有" in text


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s


def test_take_returns_the_held_message_once(session):
    held = inbox.record(session, "webchat", "web-abc", "俺家老头三天没动静了")
    danger_check.ask(session, "web-abc", held.id)
    assert danger_check.take(session, "web-other") is None
    assert danger_check.take(session, "web-abc").text == "俺家老头三天没动静了"
    assert danger_check.take(session, "web-abc") is None


def test_a_stale_question_is_forgotten(session):
    held = inbox.record(session, "webchat", "web-abc", "不太对劲")
    danger_check.ask(session, "web-abc", held.id)
    session.get(danger_check.DangerCheck, "web-abc").created_at = utcnow() - danger_check.TTL - timedelta(seconds=1)
    session.commit()
    assert danger_check.take(session, "web-abc") is None
    assert session.get(danger_check.DangerCheck, "web-abc") is None


def test_asking_again_replaces_the_held_message(session):
    first = inbox.record(session, "webchat", "web-abc", "一")
    second = inbox.record(session, "webchat", "web-abc", "二")
    danger_check.ask(session, "web-abc", first.id)
    danger_check.ask(session, "web-abc", second.id)
    assert danger_check.take(session, "web-abc").id == second.id
