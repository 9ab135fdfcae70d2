"""Typed answers to buttons on channels without buttons."""
import pytest
from sqlalchemy.orm import Session

from bot.channels import quick_replies
from bot.db.base import Base
from bot.db.session import make_engine
from bot.engine.client import BotMessage

BUTTONS = [{"title": "是", "payload": "/ask_amount"}, {"title": "不是", "payload": "/out_of_scope"}]


@pytest.fixture
def session(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s


@pytest.mark.parametrize("text,payload", [("是", "/ask_amount"), ("嗯呐", "/ask_amount"), ("对！", "/ask_amount"),
                                          ("不是", "/out_of_scope"), ("不对。", "/out_of_scope"),
                                          ("低保多少钱", None)])
def test_typed_answer_picks_the_button(session, text, payload):
    quick_replies.remember(session, "u1", [BotMessage("您是想问…吗？", BUTTONS)])
    assert quick_replies.resolve(session, "u1", text) == payload


def test_buttons_are_forgotten_after_one_answer_and_are_per_sender(session):
    quick_replies.remember(session, "u1", [BotMessage("q", BUTTONS)])
    assert quick_replies.resolve(session, "u2", "是") is None
    assert quick_replies.resolve(session, "u1", "是") == "/ask_amount"
    assert quick_replies.resolve(session, "u1", "是") is None


def test_answer_without_buttons_leaves_nothing_pending(session):
    quick_replies.remember(session, "u1", [BotMessage("好的")])
    assert quick_replies.resolve(session, "u1", "是") is None
