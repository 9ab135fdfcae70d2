"""Retention of 会话审阅's tables, and a guard: every app table holding what a resident said (a text or JSON
column, or a sender) is either purged after RETENTION_DAYS or kept for a stated reason. A review table (or any
other) added without either fails here."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import JSON, Text, create_engine, func, select
from sqlalchemy.orm import Session

import bot.app  # noqa: F401  (every model registered on Base.metadata)
from bot.db.base import Base, utcnow
from bot.retention import KEPT, PURGED, purge
from bot.staff.review.models import ReviewConversation, ReviewEventKey, ReviewStory, ReviewTag, ReviewTurn

NOW = utcnow()
OLD, RECENT = NOW - timedelta(days=200), NOW - timedelta(days=10)
PERSONAL_NAMES = {"sender", "sender_id", "text", "openid", "phone", "contact_phone"}


def resident_tables() -> set[str]:
    """Tables with a column that can hold a resident's words or whereabouts, and every review table."""
    found = set()
    for name, table in Base.metadata.tables.items():
        if name.startswith("review_") or any(isinstance(c.type, (Text, JSON)) or c.name in PERSONAL_NAMES
                                             for c in table.columns):
            found.add(name)
    return found


def test_every_table_with_resident_data_is_purged_or_kept_for_a_reason():
    tables = set(Base.metadata.tables)
    assert {"review_turns", "review_conversations", "review_tags", "review_stories"} <= resident_tables()
    unclassified = resident_tables() - PURGED - set(KEPT)
    assert not unclassified, f"tables holding resident data that retention neither purges nor keeps: {unclassified}"
    assert PURGED <= tables and set(KEPT) <= tables and not PURGED & set(KEPT)
    assert all(len(reason) > 10 for reason in KEPT.values())


@pytest.fixture
def app_db(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'app.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        def conversation(sender: str, started, last) -> ReviewConversation:
            row = ReviewConversation(sender_id=sender, channel="web", started_at=started, last_at=last, turns=0)
            session.add(row)
            session.flush()
            return row

        old = conversation("web-old", OLD, OLD + timedelta(minutes=5))
        going = conversation("web-going", OLD, RECENT)          # a conversation still going: its old turn goes
        new = conversation("web-new", RECENT, RECENT)
        for row, times in ((old, [OLD, OLD + timedelta(minutes=5)]), (going, [OLD, RECENT]), (new, [RECENT])):
            for seq, at in enumerate(times, 1):
                session.add(ReviewTurn(conversation_id=row.id, seq=seq, at=at, text=f"{row.sender_id} 第{seq}句"))
            row.turns = len(times)
        session.add_all([ReviewTag(conversation_id=old.id, tag="旧"), ReviewTag(conversation_id=new.id, tag="新"),
                         ReviewStory(conversation_id=old.id, saved_by="r1", saved_at=OLD),
                         ReviewStory(conversation_id=new.id, saved_by="r1", saved_at=RECENT),
                         ReviewEventKey(key="a" * 32, seen_at=OLD), ReviewEventKey(key="b" * 32, seen_at=RECENT)])
        session.commit()
    yield engine
    engine.dispose()


def test_review_rows_past_the_period_go_and_the_counts_are_logged(app_db, tmp_path, caplog):
    absent = f"sqlite:///{tmp_path / 'engine.db'}"     # the engine's stores: no events table yet
    with Session(app_db) as session, caplog.at_level(logging.INFO, logger="bot.retention"):
        purged = {p.store: p.rows for p in purge(session, tracker_url=absent, broker_url=absent, days=180,
                                                 referral_days=0, now=NOW)}
        assert PURGED <= set(purged)                      # every table retention names is a step that ran
        assert {name: purged[name] for name in ("review_turns", "review_tags", "review_stories",
                                                 "review_conversations", "review_event_keys")} == {
            "review_turns": 3, "review_tags": 1, "review_stories": 1, "review_conversations": 1,
            "review_event_keys": 1}
        assert set(session.scalars(select(ReviewConversation.sender_id))) == {"web-going", "web-new"}
        assert set(session.scalars(select(ReviewTurn.text))) == {"web-going 第2句", "web-new 第1句"}
        assert list(session.scalars(select(ReviewTag.tag))) == ["新"]
        assert session.scalar(select(func.count()).select_from(ReviewStory)) == 1
        assert list(session.scalars(select(ReviewEventKey.key))) == ["b" * 32]
    assert "review_turns 3" in caplog.text and "review_conversations 1" in caplog.text
