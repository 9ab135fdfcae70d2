"""The app with its engine down: bad input and a dead component get a polite answer and lose nothing."""
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.staff.alerts.models import Alert
from bot.app import create_app
from bot.channels.inbox import InboundMessage
from bot.db import session as db
from bot.settings import get_settings
from tests.conftest import free_port


@pytest.fixture
def client(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ENGINE_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    for cached in (get_settings, db.get_engine, db.get_sessionmaker):
        cached.cache_clear()
    settings = replace(get_settings(), engine_timeout_s=1.0)
    with TestClient(create_app(settings)) as c:
        c.settings = settings
        yield c
    for cached in (get_settings, db.get_engine, db.get_sessionmaker):
        cached.cache_clear()


def rows(model):
    with db.get_sessionmaker()() as session:
        return list(session.scalars(select(model)))


def send(client, text, sender=None):
    return client.post("/api/chat", json={"sender": sender, "text": text})


def test_health_reports_engine_down(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["engine"] == "down" and body["programmes"] == 11


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u0000\u0007"])
def test_empty_message_gets_a_polite_prompt_without_engine_call(client, text):
    response = send(client, text)
    assert response.status_code == 200
    assert "没有输入文字" in response.json()["messages"][0]
    assert rows(InboundMessage) == []


def test_engine_down_keeps_the_message_and_says_so(client):
    response = send(client, "低保怎么申请😀 mixed English 123")
    assert response.status_code == 200
    assert "已经记下来" in response.json()["messages"][0]
    [message] = rows(InboundMessage)
    assert message.status == "failed" and message.text == "低保怎么申请😀 mixed English 123"


def test_engine_down_still_answers_an_emergency_and_alerts_staff(client):
    response = send(client, "我不想活了，电话13912345678")
    text = "\n".join(response.json()["messages"])
    assert "120" in text and "110" in text
    [alert] = rows(Alert)
    assert alert.kind == "emergency" and alert.category == "suicide"
    assert "13912345678" not in alert.text_masked and "139****5678" in alert.text_masked


def test_huge_message_is_kept_whole(client):
    text = "救" * 10_000
    response = send(client, text)
    assert response.status_code == 200
    assert rows(InboundMessage)[0].text == text


def test_oversized_or_malformed_request_gets_a_clear_chinese_error(client):
    too_big = send(client, "救" * 20_001)
    assert too_big.status_code == 422 and "太长" in too_big.json()["message"]
    huge_sender = send(client, "你好", sender="a" * 101)
    assert huge_sender.status_code == 422 and huge_sender.json()["fields"] == ["sender"]
    not_json = client.post("/api/chat", content=b"<xml/>", headers={"content-type": "application/json"})
    assert not_json.status_code == 422


def test_internal_api_needs_the_service_token(client):
    assert client.post("/api/triage", json={"text": "低保"}).status_code == 401
    assert client.post("/api/answers", json={"text": "低保"},
                       headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_triage_with_engine_down_is_503_not_a_crash(client):
    headers = {"Authorization": f"Bearer {client.settings.service_token}"}
    response = client.post("/api/triage", json={"text": "低保"}, headers=headers)
    assert response.status_code == 503


def test_openapi_documents_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/chat", "/api/triage", "/api/answers", "/api/alerts"} <= set(paths)


def test_web_senders_are_issued_and_signed_by_the_app(client):
    """Nobody names a web chat conversation: an invented, copied or altered sender gets a new one."""
    issued = client.post("/api/chat/session").json()["sender"]
    first = send(client, "你好", sender=issued)
    assert first.status_code == 200 and first.json()["sender"] == issued
    sender_id, signature = issued.split(".")
    forged = [None, "resident0001", "../../etc", sender_id, f"{sender_id}.{'A' * 22}",
              f"{'x' * 24}.{signature}", issued + "A", issued.upper()]
    for token in forged:
        answer = send(client, "你好", sender=token).json()
        assert answer["sender"] != issued and answer["sender"].count(".") == 1, token
    stored = {m.sender for m in rows(InboundMessage)}
    assert f"web-{sender_id}" in stored and len(stored) == 1 + len(forged)
