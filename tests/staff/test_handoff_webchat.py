"""A web chat resident handed to a person: the handoff opens for web senders too, the bot keeps quiet (the
engine is never asked) while it is open, staff replies reach the resident's page through /api/chat/staff
(only with the resident's own signed sender token; private notes never), and after the hand-back the bot
answers again. The engine is a stand-in that records what it was asked."""
from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

import bot.app
import bot.services
from bot.staff.alerts.service import HANDOFF_TO_STAFF
from bot.staff import handoff
from bot.engine.client import BotMessage
from bot.settings import get_settings
from tests.staff.conftest import _clear
from tests.conftest import free_port


class RecordingEngine:
    """Answers every message with one line and remembers what it was asked (same constructor as EngineClient)."""

    asked: list[str] = []

    def __init__(self, base_url: str, token: str, timeout_s: float):
        RecordingEngine.asked = []

    async def parse(self, text):
        return {"text": text, "intent": {"name": "greet", "confidence": 0.9}, "entities": [], "danger": None}

    async def send(self, sender, text, metadata=None):
        RecordingEngine.asked.append(text)
        return [BotMessage("小助手：" + text)]

    async def command(self, sender, payload, metadata=None):
        return await self.send(sender, payload, metadata)

    async def active_loop(self, sender):
        return None

    async def set_slot(self, sender, name, value):
        return None

    async def tracker(self, sender, events=True):
        return {"slots": {}, "events": []}

    async def ready(self):
        return True

    async def close(self):
        return None


@pytest.fixture
def app(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("ENGINE_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setattr(bot.services, "EngineClient", RecordingEngine)
    _clear()
    yield bot.app.create_app(replace(get_settings(), rate_limit_factor=1.0))
    _clear()


@pytest.fixture
def client(app):
    with TestClient(app) as test_client:
        test_client.service = {"Authorization": f"Bearer {get_settings().service_token}"}
        yield test_client


def say(client: TestClient, token: str | None, text: str) -> dict:
    response = client.post("/api/chat", json={"sender": token, "text": text})
    assert response.status_code == 200, response.text
    return response.json()


def ask_for_a_person(client: TestClient, token: str, sender: str) -> list[str]:
    """What the action server does when the engine reads request_human."""
    answer = client.post("/api/alerts", headers=client.service,
                         json={"sender": sender, "channel": "webchat", "text": "我要找人工", "intent": "request_human"})
    assert answer.status_code == 200, answer.text
    return answer.json()["messages"]


def poll(client: TestClient, token: str, after: int | None = None):
    query = {"sender": token} | ({} if after is None else {"after": after})
    return client.get("/api/chat/staff", params=query)


def test_a_web_resident_is_handed_over_answered_by_staff_and_handed_back(client, db):
    first = say(client, None, "你好")
    token, sender = first["sender"], "web-" + first["sender"].split(".")[0]
    assert first["staff"] is False and RecordingEngine.asked == ["你好"]
    assert ask_for_a_person(client, token, sender) == [HANDOFF_TO_STAFF]  # "工作人员会在这里回复您…"
    assert handoff.active(db, sender) is not None

    quiet = say(client, token, "低保停了怎么办")
    assert quiet["staff"] is True and quiet["messages"] == [handoff.ACKNOWLEDGEMENT]
    assert say(client, token, "有人吗")["messages"] == []
    assert RecordingEngine.asked == ["你好"]  # the bot never answered while a person had the conversation

    empty = poll(client, token).json()
    assert empty["open"] is True and empty["messages"] == []
    reply = client.post(f"/api/handoffs/{sender}/reply", headers=client.service,
                        json={"staff": "agent1", "text": "您好，我是民政局的小王，请说说情况。"})
    assert reply.status_code == 202
    handoff.write(db, sender, handoff.NOTE, "私下备注：电话13812345678", "agent1")
    db.commit()
    got = poll(client, token, empty["after"]).json()
    assert [m["text"] for m in got["messages"]] == ["您好，我是民政局的小王，请说说情况。"]  # the note never
    assert got["open"] is True and poll(client, token, got["after"]).json()["messages"] == []
    assert [m["text"] for m in poll(client, token).json()["messages"]] == ["您好，我是民政局的小王，请说说情况。"]

    assert client.post(f"/api/handoffs/{sender}/end", headers=client.service, json={"staff": "agent1"}).status_code == 200
    last = poll(client, token, got["after"]).json()
    assert last["open"] is False and [m["text"] for m in last["messages"]] == [handoff.BACK_TO_BOT]
    back = say(client, token, "低保要啥材料")
    assert back["staff"] is False and back["messages"] == ["小助手：低保要啥材料"]


def test_only_the_residents_own_token_reads_the_replies(client, db):
    token = say(client, None, "你好")["sender"]
    sender = "web-" + token.split(".")[0]
    ask_for_a_person(client, token, sender)
    handoff.deliver(db, sender, "只给这位居民", "agent1")
    assert [m["text"] for m in poll(client, token).json()["messages"]] == ["只给这位居民"]
    sender_id, signature = token.split(".")
    forged = f"{sender_id}.{'A' * 22}"
    assert poll(client, forged).status_code == 403
    assert poll(client, sender_id).status_code == 403
    other = say(client, None, "你好")["sender"]
    assert poll(client, other).json() == {"open": False, "messages": [], "after": 0}
    assert poll(client, other, 0).json()["messages"] == []


def test_a_new_handoff_does_not_show_the_last_ones_replies_again(client, db):
    token = say(client, None, "你好")["sender"]
    sender = "web-" + token.split(".")[0]
    ask_for_a_person(client, token, sender)
    handoff.deliver(db, sender, "第一次的回复", "agent1")
    handoff.hand_back(db, sender, by="staff:agent1")
    assert say(client, token, "结束了吗")["staff"] is False
    ask_for_a_person(client, token, sender)
    assert poll(client, token).json()["messages"] == []  # a reloaded page starts at this handoff
    handoff.deliver(db, sender, "第二次的回复", "agent1")
    assert [m["text"] for m in poll(client, token).json()["messages"]] == ["第二次的回复"]


def test_the_resident_can_leave_the_handoff_and_polling_stops(client, db):
    token = say(client, None, "你好")["sender"]
    sender = "web-" + token.split(".")[0]
    ask_for_a_person(client, token, sender)
    left = say(client, token, "结束人工")
    assert left["staff"] is False and handoff.active(db, sender) is None
    assert poll(client, token).json()["open"] is False
