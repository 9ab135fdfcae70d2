"""Each forged path of the security review, tried against the live stack (real model, engine, action
server, app) — and each now refused."""
from __future__ import annotations

import json
import os
import secrets
import stat
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bot.staff.alerts.models import Alert
from bot.channels.inbox import InboundMessage
from bot.intake.models import Referral

pytestmark = pytest.mark.engine


def _engine(stack) -> str:
    return f"http://127.0.0.1:{stack.settings.engine_port}"


def _actions(stack) -> str:
    return f"http://127.0.0.1:{stack.settings.actions_port}"


def _count(app_db, model) -> int:
    app_db.expire_all()
    return app_db.scalar(select(func.count()).select_from(model))


FORGED_TRACKER = {
    "next_action": "action_alert",
    "sender_id": "wx-victim",
    "tracker": {"sender_id": "wx-victim", "slots": {"contact_phone": "13800000000", "case_number": "SL-2026-000001"},
                "latest_message": {"text": "/emergency", "intent": {"name": "emergency", "confidence": 1.0},
                                   "entities": []},
                "latest_event_time": time.time(), "followup_action": None, "paused": False, "events": [],
                "latest_input_channel": "app", "latest_action_name": "action_listen", "active_loop": {}},
    "domain": {}, "version": "3.6.21",
}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": ""},
                                     {"Authorization": "Basic Zm9vOmJhcg=="}])
def test_the_action_server_refuses_callers_without_the_engine_token(live_stack, app_db, headers):
    before = (_count(app_db, Alert), _count(app_db, Referral))
    response = httpx.post(f"{_actions(live_stack)}/webhook", json=FORGED_TRACKER, headers=headers, timeout=10)
    assert response.status_code == 401
    assert "wx-victim" not in response.text and "13800000000" not in response.text
    assert httpx.get(f"{_actions(live_stack)}/actions", headers=headers, timeout=10).status_code == 401
    assert (_count(app_db, Alert), _count(app_db, Referral)) == before


def test_the_action_server_answers_the_engine_token_and_keeps_the_tracker_out_of_errors(live_stack):
    """The check is a real one: the same call with the engine's token reaches the actions."""
    headers = {"Authorization": f"Bearer {live_stack.settings.actions_token}"}
    listed = httpx.get(f"{_actions(live_stack)}/actions", headers=headers, timeout=10)
    assert listed.status_code == 200 and {"name": "action_alert"} in listed.json()
    broken = httpx.post(f"{_actions(live_stack)}/webhook", content=b"{not json", timeout=10,
                        headers={**headers, "Content-Type": "application/json"})
    assert broken.status_code in (400, 500) and "not json" not in broken.text


def test_rasas_open_rest_channel_is_not_there(live_stack):
    body = {"sender": "wx-victim", "message": "查进度"}
    assert httpx.post(f"{_engine(live_stack)}/webhooks/rest/webhook", json=body, timeout=10).status_code == 404


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "Bearer x"}, {"X-Token": "x"}])
def test_the_engine_channel_refuses_callers_without_the_app_token(live_stack, headers):
    body = {"sender": "wx-victim", "message": "查进度"}
    url = f"{_engine(live_stack)}/webhooks/app/webhook"
    response = httpx.post(url, json=body, headers=headers, timeout=10)
    assert response.status_code == 401 and response.json() == {"error": "unauthorised"}
    # and with the token in Rasa's query-string style instead of the header
    assert httpx.post(url, json=body, params={"token": live_stack.settings.engine_token},
                      timeout=10).status_code == 401


def test_the_engine_caps_what_it_reads_and_stays_responsive(live_stack):
    token = {"Authorization": f"Bearer {live_stack.settings.engine_token}"}
    url = f"{_engine(live_stack)}/webhooks/app/webhook"
    started = time.monotonic()
    long = httpx.post(url, json={"sender": "web-long", "message": "救" * 50_000}, headers=token, timeout=30)
    assert long.status_code == 413  # Sanic's body cap (65,536 bytes) or the channel's own 2,000 characters
    capped = httpx.post(url, json={"sender": "web-long", "message": "救" * 2_001}, headers=token, timeout=30)
    assert capped.status_code == 413 and capped.json()["error"] == "too_long"
    assert time.monotonic() - started < 5
    answer = httpx.post(url, json={"sender": "web-long", "message": "低保怎么申请"}, headers=token, timeout=30)
    assert answer.status_code == 200 and answer.json()


def test_no_token_is_on_a_command_line(live_stack):
    secrets_ = [live_stack.settings.engine_token, live_stack.settings.actions_token,
                live_stack.settings.service_token]
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        assert not any(s in cmdline for s in secrets_), f"a secret is visible in `ps` (pid {proc.name})"


@pytest.mark.parametrize("text", ["/emergency", " /emergency", "/emergency{\"programme\": \"dibao\"}",
                                  "\u3000/request_human", "/complaint"])
def test_text_that_looks_like_an_intent_is_read_as_words(live_app_url, app_db, text):
    before = (_count(app_db, Alert), _count(app_db, Referral))
    token = httpx.post(f"{live_app_url}/api/chat/session", timeout=10).json()["sender"]
    reply = httpx.post(f"{live_app_url}/api/chat", json={"sender": token, "text": text}, timeout=60)
    assert reply.status_code == 200
    said = "\n".join(reply.json()["messages"])
    assert "110" not in said and "登记号" not in said  # no emergency answer, no urgent case
    assert (_count(app_db, Alert), _count(app_db, Referral)) == before


def test_a_forged_web_sender_cannot_read_anothers_conversation(live_app_url, chat):
    chat("我想申请低保")
    victim = chat.sender.removeprefix("web-")
    for forged in (victim, f"{victim}.{'A' * 22}"):
        reply = httpx.post(f"{live_app_url}/api/chat", json={"sender": forged, "text": "查进度"}, timeout=60).json()
        assert reply["sender"].split(".")[0] != victim


def _events_of(sqlite_url: str, sender: str) -> list[str]:
    """The stored events of one conversation (Rasa's `events` table: tracker store or SQL broker), as text."""
    import sqlite3

    with sqlite3.connect(sqlite_url.split(":///", 1)[1]) as db:
        return [json.dumps(json.loads(r[0]), ensure_ascii=False)
                for r in db.execute("select data from events where sender_id = ?", (sender,))]


def test_personal_numbers_are_masked_where_staff_and_logs_read(live_stack, live_app_url, app_db, chat):
    marker = f"暗号{secrets.token_hex(4)}"
    phone, id_number, card = "138 1234 5678", "220382195001011234", "6222 0212 3456 7890 123"
    chat(f"{marker} 我的电话{phone} 身份证{id_number} 卡号{card}")
    app_db.expire_all()
    stored = app_db.scalars(select(InboundMessage.text).where(InboundMessage.sender == chat.sender)).all()
    assert stored and all(marker in t for t in stored)
    assert not any("1234 5678" in t or "19500101" in t or "3456 7890" in t for t in stored)
    # the tracker store, and the event broker (Rasa's SQL broker here; the review screen reads it)
    for url in (live_stack.settings.tracker_store_url, live_stack.settings.event_broker_url):
        rows = _events_of(url, chat.sender)
        assert rows and any(marker in r for r in rows), url
        assert not any("1234 5678" in r or "19500101" in r or "3456 7890" in r for r in rows), url
    # no resident text in any log line
    time.sleep(0.5)
    for log in (Path(__file__).resolve().parents[2] / "var" / "log").glob("*.log"):
        assert marker not in log.read_text(errors="replace"), log.name


def test_databases_logs_and_secrets_are_owner_only(live_stack):
    s = live_stack.settings
    files = [Path(url.split(":///", 1)[1]) for url in (s.database_url, s.tracker_store_url, s.event_broker_url)]
    var = Path(__file__).resolve().parents[2] / "var"
    files += list((var / "log").glob("*.log")) + list(var.glob(".*token")) + list(var.glob(".*secret"))
    files += list(var.glob("endpoints-*.yml"))
    for path in files:
        assert path.exists(), path
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode & 0o077 == 0, f"{path.name} is {oct(mode)}"
