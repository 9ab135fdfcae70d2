"""The web chat shows a resident's pending status notice when the page opens (POST /api/chat/notices), once:
not again on the next open, not again in her next turn; only to the conversation her signed token names."""
from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.channels import notices
from bot.channels.sender import Sender
from bot.db import session as db
from bot.security import senders
from bot.settings import get_settings
from tests.conftest import free_port

CACHED = (get_settings, db.get_engine, db.get_sessionmaker)
NEWS = "您的救助转介单SL-2026-000007有新进展：已受理。"


@pytest.fixture
def client(tmp_path):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
        env.setenv("ENGINE_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens: turns get ENGINE_DOWN
        for cached in CACHED:
            cached.cache_clear()
        with TestClient(create_app(replace(get_settings(), engine_timeout_s=1.0))) as c:
            yield c
    for cached in CACHED:
        cached.cache_clear()


def conversation_of(client: TestClient, token: str) -> str:
    return Sender.web(senders.verified(client.app.state.services.settings.webchat_secret, token)).conversation_id


def leave(client: TestClient, conversation: str, text: str) -> None:
    with client.app.state.services.db.scope() as session:
        notices.leave(session, conversation, text)


def test_the_news_is_shown_when_the_page_opens_once_and_not_in_the_next_turn(client):
    token = client.post("/api/chat/session").json()["sender"]
    other = client.post("/api/chat/session").json()["sender"]
    leave(client, conversation_of(client, token), NEWS)
    leave(client, conversation_of(client, other), "别人的进展")
    opened = client.post("/api/chat/notices", json={"sender": token})
    assert opened.status_code == 200 and opened.json() == {"messages": [NEWS]}
    assert client.post("/api/chat/notices", json={"sender": token}).json() == {"messages": []}
    turn = client.post("/api/chat", json={"sender": token, "text": "你好"}).json()
    assert NEWS not in turn["messages"]
    assert client.post("/api/chat/notices", json={"sender": other}).json() == {"messages": ["别人的进展"]}


def test_without_opening_the_page_the_next_turn_still_says_it_first(client):
    token = client.post("/api/chat/session").json()["sender"]
    leave(client, conversation_of(client, token), NEWS)
    turn = client.post("/api/chat", json={"sender": token, "text": "你好"}).json()
    assert turn["messages"][0] == NEWS
    assert client.post("/api/chat/notices", json={"sender": token}).json() == {"messages": []}


def test_a_forged_token_reads_nothing_and_leaves_the_news_waiting(client):
    token = client.post("/api/chat/session").json()["sender"]
    leave(client, conversation_of(client, token), NEWS)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert client.post("/api/chat/notices", json={"sender": forged}).status_code == 403
    assert client.post("/api/chat/notices", json={"sender": token}).json() == {"messages": [NEWS]}


def test_the_page_asks_for_the_news_when_it_opens(client):
    page = client.get("/chat").text
    assert '"/api/chat/notices"' in page and "showNotices();" in page.split("// ---- start")[1]
