"""Migration 0016 on SQLite and PostgreSQL: conversations folded before it get their township from the place
slots their turns already hold (the last one with a code wins)."""
from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import text

from bot.db.migrate import alembic_config, upgrade
from bot.db.session import make_engine


@pytest.fixture
def url(empty_database_url):
    return empty_database_url


def test_township_is_filled_in_from_the_turns_already_folded(url):
    command.upgrade(alembic_config(url), "0015")
    engine = make_engine(url)
    slots = {1: [{"place": {"code": "220382101", "name": "双山镇"}}, {"household_size": "3"},
                 {"report_place": {"code": "220382001", "name": "郑家屯街道"}}],
             2: [{"place": {"code": None, "text": "不知道"}}],
             3: [{"household_size": "2"}]}
    try:
        with engine.begin() as db:
            for cid, turns in slots.items():
                db.execute(text("insert into review_conversations (id, sender_id, channel, started_at, last_at, turns, "
                                "fallback, emergency, handoff, complaint, form_abandoned, reviewed) values (:id, :s, "
                                "'web', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :n, false, false, false, false, false, "
                                "false)"), {"id": cid, "s": f"web-{cid}", "n": len(turns)})
                for seq, value in enumerate(turns, 1):
                    db.execute(text("insert into review_turns (conversation_id, seq, at, text, entities, replies, "
                                    "actions, slots) values (:c, :q, CURRENT_TIMESTAMP, '', '[]', '[]', '[]', :v)"),
                               {"c": cid, "q": seq, "v": json.dumps(value, ensure_ascii=False)})
        upgrade(url)
        engine.dispose()
        with engine.connect() as db:
            found = dict(db.execute(text("select id, township from review_conversations order by id")).all())
        assert found == {1: "220382001", 2: None, 3: None}
    finally:
        engine.dispose()
