"""A seeded SQLite database shaped as Rasa's SQL event broker writes it (`events(id, sender_id, data)`)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from tests.staff.conftest import _clear

T0 = 1_795_917_600.0   # 2026-11-29 02:00 UTC, 10:00 China time


def user(text: str, intent: str, confidence: float, t: float, **parse) -> dict:
    return {"event": "user", "timestamp": t, "text": text,
            "parse_data": {"text": text, "intent": {"name": intent, "confidence": confidence},
                           "entities": parse.pop("entities", []), **parse}}


def bot(text: str, t: float) -> dict:
    return {"event": "bot", "timestamp": t, "text": text}


def action(name: str, t: float) -> dict:
    return {"event": "action", "timestamp": t, "name": name}


def slot(name: str, value, t: float) -> dict:
    return {"event": "slot", "timestamp": t, "name": name, "value": value}


def loop(name: str | None, t: float) -> dict:
    return {"event": "active_loop", "timestamp": t, "name": name}


CONVERSATIONS = {
    "web-a": [{"event": "session_started", "timestamp": T0},
              user("低保怎么申请", "dibao_apply", 0.93, T0 + 1, entities=[{"entity": "programme", "value": "低保",
                                                                                  "start": 0, "end": 2}]),
              bot("低保申请要……", T0 + 2),
              user("我电话139****5678", "inform", 0.41, T0 + 3), bot("好的", T0 + 4)],
    "wx-b": [user("活不下去了", "emergency", 0.99, T0 + 10, rule_override="danger: confirmed",
                  danger={"tier": "confirmed"}), bot("请马上拨打 110", T0 + 11)],
    "web-c": [user("嗯嗯那个", "nlu_fallback", 0.2, T0 + 20), action("action_default_fallback", T0 + 21),
              bot("没听懂", T0 + 22), user("找人工", "request_human", 0.88, T0 + 23), bot("正在转人工", T0 + 24)],
    "web-d": [user("我想申请", "seek_help", 0.9, T0 + 30), loop("prescreen_form", T0 + 31),
              slot("requested_slot", "household_size", T0 + 32), bot("家里几口人？", T0 + 33),
              user("算了不办了", "stop", 0.7, T0 + 34), loop(None, T0 + 35), slot("requested_slot", None, T0 + 36)],
    "web-e": [user("我想申请", "seek_help", 0.9, T0 + 40), loop("prescreen_form", T0 + 41),
              slot("requested_slot", "household_size", T0 + 42), user("三口人", "inform", 0.8, T0 + 43),
              slot("household_size", "3", T0 + 44), slot("requested_slot", None, T0 + 45), loop(None, T0 + 46),
              bot("可以去申请", T0 + 47)],
}


def write_events(path: Path, conversations: dict[str, list[dict]]) -> None:
    """Interleaved the way a busy engine publishes: one event of each conversation in turn."""
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), data TEXT)")
    queues = {sender: list(events) for sender, events in conversations.items()}
    while any(queues.values()):
        for sender, events in queues.items():
            if events:
                event = events.pop(0)
                connection.execute("INSERT INTO events (sender_id, data) VALUES (?, ?)",
                                   (sender, json.dumps({"sender_id": sender, **event}, ensure_ascii=False)))
    connection.commit()
    connection.close()


@pytest.fixture
def events_db(tmp_path) -> Path:
    path = tmp_path / "events.db"
    write_events(path, CONVERSATIONS)
    return path


@pytest.fixture
def review_app(app, events_db):
    """The console app reading the seeded broker database (what EVENT_BROKER_URL names in production)."""
    from bot.staff.review.source import SQLBrokerSource

    app.state.review_source = SQLBrokerSource(f"sqlite:///{events_db}")
    return app


def run_bot(monkeypatch: pytest.MonkeyPatch, db_url: str, *argv: str, **env: str) -> None:
    """`bot …` against this test's database (and any other settings given), read fresh before and after."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _clear()
    try:
        assert main(list(argv)) == 0
    finally:
        _clear()
