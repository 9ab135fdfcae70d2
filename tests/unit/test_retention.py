"""Retention: old conversations go from every store; open cases, handed-over conversations and the audit log stay."""
from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.staff.alerts.models import Alert
from bot.staff.handoff import Handoff, HandoffMessage
from bot.channels.inbox import InboundMessage
from bot.db.base import Base, utcnow
from bot.intake.models import Referral
from bot.retention import purge, purge_broker

NOW = utcnow()
OLD, RECENT = NOW - timedelta(days=200), NOW - timedelta(days=10)


@pytest.fixture
def stores(tmp_path):
    app = create_engine(f"sqlite:///{tmp_path / 'app.db'}")
    Base.metadata.create_all(app)
    tracker, broker = tmp_path / "tracker.db", tmp_path / "events.db"
    with sqlite3.connect(tracker) as db:
        db.execute("create table events (id integer primary key, sender_id text, type_name text, "
                   "timestamp real, intent_name text, action_name text, data text)")
        db.executemany("insert into events (sender_id, timestamp, data) values (?, ?, '{}')",
                       [("a", OLD.timestamp()), ("a", RECENT.timestamp()), ("b", OLD.timestamp())])
    with sqlite3.connect(broker) as db:
        db.execute("create table events (id integer primary key, sender_id text, data text)")
        times = [OLD, OLD + timedelta(days=1), RECENT, RECENT + timedelta(days=1)]
        db.executemany("insert into events (sender_id, data) values ('a', ?)",
                       [(json.dumps({"timestamp": t.timestamp()}),) for t in times])
    with Session(app) as session:
        session.add_all([
            InboundMessage(channel="webchat", sender="web-old", text="旧的", created_at=OLD),
            InboundMessage(channel="webchat", sender="web-new", text="新的", created_at=RECENT),
            InboundMessage(channel="wechat", sender="wx-held", text="人工在看", created_at=OLD),
            Handoff(sender="wx-held", reason="requested"),
            HandoffMessage(sender="web-old", kind="reply", staff="agent1", text="旧回复", created_at=OLD),
            HandoffMessage(sender="wx-held", kind="note", staff="agent1", text="人工在看的备注", created_at=OLD),
            Alert(kind="emergency", sender="web-old", text_masked="旧", created_at=OLD),
            Referral(case_number="SL-2025-000001", idempotency_key="k1", kind="apply", channel="webchat",
                     status="closed", summary="", updated_at=OLD, created_at=OLD),
            Referral(case_number="SL-2025-000002", idempotency_key="k2", kind="apply", channel="webchat",
                     status="pending", summary="", updated_at=OLD, created_at=OLD),
        ])
        session.commit()
    yield app, f"sqlite:///{tracker}", f"sqlite:///{broker}"
    app.dispose()


def counts(path: str) -> int:
    with sqlite3.connect(path.split(":///", 1)[1]) as db:
        return db.execute("select count(*) from events").fetchone()[0]


def test_old_conversations_go_from_every_store(stores):
    app, tracker, broker = stores
    with Session(app) as session:
        purged = {p.store: p.rows for p in purge(session, tracker_url=tracker, broker_url=broker, days=180,
                                                 referral_days=0, now=NOW)}
        texts = set(session.scalars(select(InboundMessage.text)))
        assert texts == {"新的", "人工在看"}  # a conversation a person has open keeps its messages
        assert set(session.scalars(select(HandoffMessage.text))) == {"人工在看的备注"}  # staff's words alike
        assert session.scalars(select(Alert)).all() == []
        assert len(session.scalars(select(Referral)).all()) == 2  # referrals: their own rule (0 = kept)
    assert purged["inbound_messages"] == 1 and purged["alerts"] == 1 and purged["handoff_messages"] == 1
    assert purged["tracker events"] == 2 and counts(tracker) == 1
    assert purged["broker events"] == 2 and counts(broker) == 2


def test_closed_referrals_follow_their_own_period_and_open_ones_stay(stores):
    app, tracker, broker = stores
    with Session(app) as session:
        purge(session, tracker_url=tracker, broker_url=broker, days=365, referral_days=100, now=NOW)
        assert [r.case_number for r in session.scalars(select(Referral))] == ["SL-2025-000002"]
        assert len(session.scalars(select(InboundMessage)).all()) == 3  # 200 days < 365


@pytest.mark.parametrize("kept_from,expected", [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)])
def test_the_broker_keeps_everything_from_the_first_recent_event(tmp_path, kept_from, expected):
    path = tmp_path / "events.db"
    with sqlite3.connect(path) as db:
        db.execute("create table events (id integer primary key, sender_id text, data text)")
        for n in range(4):
            stamp = (NOW if n >= kept_from else OLD).timestamp()
            db.execute("insert into events (id, sender_id, data) values (?, 'a', ?)",
                       (n * 3 + 1, json.dumps({"timestamp": stamp})))  # ids with gaps, as after earlier purges
    assert purge_broker(f"sqlite:///{path}", NOW - timedelta(days=1)).rows == expected
    assert counts(f"sqlite:///{path}") == 4 - expected


def test_stores_that_do_not_exist_yet_or_rabbitmq_are_fine(tmp_path):
    assert purge_broker("amqp://guest:guest@127.0.0.1:5672/", NOW).rows == 0
    assert purge_broker(f"sqlite:///{tmp_path / 'none.db'}", NOW).rows == 0
    with pytest.raises(ValueError):
        purge(None, tracker_url="", broker_url="", days=0, referral_days=0)
