"""Broker events → conversations and turns (read-only source, incremental cursor), and the listing's filters, on
SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.migrate import upgrade
from bot.db.session import make_engine

from bot.staff.review.models import ReviewConversation, ReviewTurn
from bot.staff.review.source import SQLBrokerSource
from bot.staff.review.store import Filters, ReviewStore
from tests.intake.conftest import postgres_database
from tests.staff.review.conftest import CONVERSATIONS, T0, bot, user, write_events


@pytest.fixture(params=["sqlite", "postgresql"])
def review_db(request, db) -> Iterator[Session]:
    """The staff tests' migrated SQLite database, or a fresh migrated PostgreSQL one (the production kind)."""
    if request.param == "sqlite":
        yield db
        return
    with postgres_database() as url:
        upgrade(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            yield session
        engine.dispose()


@pytest.fixture
def store(review_db, events_db) -> ReviewStore:
    store = ReviewStore(review_db)
    store.sync(SQLBrokerSource(f"sqlite:///{events_db}"))
    review_db.commit()
    return store


def by_sender(store: ReviewStore) -> dict[str, ReviewConversation]:
    return {c.sender_id: c for c in store.session.scalars(select(ReviewConversation))}


def test_turns_carry_text_intent_entities_overrides_replies_and_slots(store):
    conversations = by_sender(store)
    assert set(conversations) == set(CONVERSATIONS)
    a = store.turns(conversations["web-a"].id)
    assert [t.text for t in a] == ["低保怎么申请", "我电话139****5678"]
    assert (a[0].intent, a[0].confidence, a[0].entities[0]["value"]) == ("dibao_apply", 0.93, "低保")
    assert a[0].replies == ["低保申请要……"] and conversations["web-a"].min_confidence == 0.41
    b = store.turns(conversations["wx-b"].id)[0]
    assert b.rule_override == "danger: confirmed" and b.danger == {"tier": "confirmed"}
    e = store.turns(conversations["web-e"].id)
    assert e[1].slots == {"household_size": "3"} and e[1].form == "prescreen_form"
    assert conversations["wx-b"].channel == "wechat" and conversations["web-a"].channel == "web"


def test_flags_fallback_emergency_handoff_and_abandoned_form(store):
    c = by_sender(store)
    assert c["web-c"].fallback and c["web-c"].handoff and not c["web-a"].fallback
    assert c["wx-b"].emergency and not c["web-c"].emergency
    assert c["web-d"].form_abandoned and not c["web-e"].form_abandoned   # stopped mid-form vs finished


def test_listing_filters(store):
    def senders(**kw) -> set[str]:
        return {c.sender_id for c in store.search(Filters(**kw)).rows}

    assert senders() == set(CONVERSATIONS)
    assert senders(channel="wechat") == {"wx-b"}
    assert senders(intent="request_human") == {"web-c"}
    assert senders(below=0.5) == {"web-a", "web-c"}
    assert senders(fallback=True) == {"web-c"} and senders(emergency=True) == {"wx-b"}
    assert senders(handoff=True) == {"web-c"} and senders(abandoned=True) == {"web-d"}
    assert senders(since=date(2026, 11, 29), until=date(2026, 11, 29)) == set(CONVERSATIONS)
    assert senders(since=date(2026, 12, 1)) == set()
    c = by_sender(store)
    store.mark_reviewed(c["web-a"], True, "reviewer1")
    store.tag(c["web-c"], "听不懂")
    assert senders(reviewed="yes") == {"web-a"} and "web-a" not in senders(reviewed="no")
    assert senders(tag="听不懂") == {"web-c"}


def test_sync_is_incremental_and_a_new_session_is_a_new_conversation(store, events_db):
    assert store.sync(SQLBrokerSource(f"sqlite:///{events_db}")) == 0     # nothing new: the cursor held
    write_events(events_db, {"web-a": [user("还有问题", "ask", 0.6, T0 + 100), bot("请说", T0 + 101)],
                             "wx-b": [{"event": "session_started", "timestamp": T0 + 200},
                                      user("你好", "greet", 0.99, T0 + 201)]})
    assert store.sync(SQLBrokerSource(f"sqlite:///{events_db}")) == 4
    a = store.session.scalars(select(ReviewConversation).where(ReviewConversation.sender_id == "web-a")).all()
    assert len(a) == 1 and a[0].turns == 3
    assert [t.replies for t in store.turns(a[0].id)][-1] == ["请说"]
    b = store.session.scalars(select(ReviewConversation).where(ReviewConversation.sender_id == "wx-b")).all()
    assert len(b) == 2


def test_source_never_writes_and_a_missing_database_reads_as_nothing(tmp_path, events_db):
    assert list(SQLBrokerSource(f"sqlite:///{tmp_path / 'none.db'}").read(0)) == []
    assert not (tmp_path / "none.db").exists()
    source = SQLBrokerSource(f"sqlite:///{events_db}")
    engine = source.engine()
    with pytest.raises(Exception, match="readonly"):
        with engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM events")
    assert len(list(source.read(0))) == sum(len(e) for e in CONVERSATIONS.values())


def test_correction_and_corrected_turns(store):
    turn = store.turns(by_sender(store)["web-c"].id)[0]
    store.correct(turn, "seek_help", "reviewer1")
    assert store.corrected_turns() == [turn] and turn.corrected_by == "reviewer1"
    store.correct(turn, turn.intent, "reviewer1")          # back to what the model said: no correction
    assert store.corrected_turns() == [] and isinstance(store.session.get(ReviewTurn, turn.id), ReviewTurn)


def test_source_reads_a_postgresql_broker_read_only(events_db):
    """Rasa's SQL broker on PostgreSQL (EVENT_BROKER_URL=postgresql://…): the same table, read in a read-only
    transaction with the app's driver."""
    import sqlite3

    from sqlalchemy import create_engine, text
    with postgres_database() as url:
        plain = "postgresql://" + url.split("://", 1)[1]
        writer = create_engine(url)
        with writer.begin() as connection:
            connection.execute(text("CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id VARCHAR(255), data TEXT)"))
            for sender, data in sqlite3.connect(events_db).execute("SELECT sender_id, data FROM events ORDER BY id"):
                connection.execute(text("INSERT INTO events (sender_id, data) VALUES (:s, :d)"),
                                   {"s": sender, "d": data})
        writer.dispose()
        source = SQLBrokerSource(plain)
        rows = list(source.read(0))
        assert len(rows) == sum(len(e) for e in CONVERSATIONS.values()) and rows[0][1] == "web-a"
        with pytest.raises(Exception, match="read-only"):
            with source.engine().connect() as connection:
                connection.execute(text("DELETE FROM events"))
        source.close()
