"""Server-side sessions: stored hashed, idle and absolute timeouts, revocation, disabled accounts."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.base import utcnow
from bot.staff import sessions
from bot.staff.accounts import find
from bot.staff.models import StaffSession
from tests.staff.conftest import CONFIG, make_user


def _user(db, name="agent1"):
    make_user(db, name, "agent")
    return find(db, name)


def test_only_a_hash_of_the_token_is_stored(db):
    user = _user(db)
    token = sessions.open_session(db, user, "10.0.0.7")
    row = db.scalars(select(StaffSession)).one()
    assert len(token) >= 40 and row.id == sessions.token_id(token) != token
    assert token not in repr([getattr(row, column.key) for column in StaffSession.__table__.columns])
    assert row.address == "10.0.0.7"
    assert sessions.open_session(db, user) != token  # a new token every login


def test_a_live_session_resumes_and_garbage_does_not(db):
    user = _user(db)
    token = sessions.open_session(db, user)
    assert sessions.resume(db, token, CONFIG).user.username == "agent1"
    for garbage in (None, "", "nope", token + "x", "x" * 1000):
        assert sessions.resume(db, garbage, CONFIG) is None


def test_idle_for_longer_than_the_idle_timeout_ends_the_session_for_good(db):
    user = _user(db)
    start = utcnow()
    token = sessions.open_session(db, user, now=start)
    almost = start + CONFIG.idle - timedelta(seconds=1)
    assert sessions.resume(db, token, CONFIG, now=almost) is not None  # and touched: idle counts from here
    late = almost + CONFIG.idle + timedelta(seconds=1)
    assert sessions.resume(db, token, CONFIG, now=late) is None
    assert db.get(StaffSession, sessions.token_id(token)).revoked_at == late
    assert sessions.resume(db, token, CONFIG, now=start + timedelta(minutes=1)) is None  # revoked, not just late


def test_using_a_session_keeps_it_alive_until_the_absolute_timeout(db):
    user = _user(db)
    start = utcnow()
    token = sessions.open_session(db, user, now=start)
    step = CONFIG.idle - timedelta(minutes=1)
    at = start
    while at + step <= start + CONFIG.absolute:
        at += step
        assert sessions.resume(db, token, CONFIG, now=at) is not None, at - start
    assert sessions.resume(db, token, CONFIG, now=start + CONFIG.absolute + timedelta(seconds=1)) is None


def test_last_seen_is_written_at_most_once_a_minute(db):
    user = _user(db)
    start = utcnow()
    token = sessions.open_session(db, user, now=start)
    row = sessions.resume(db, token, CONFIG, now=start + timedelta(seconds=30))
    assert row.last_seen_at == start
    row = sessions.resume(db, token, CONFIG, now=start + timedelta(seconds=61))
    assert row.last_seen_at == start + timedelta(seconds=61)


def test_revoking_one_session_leaves_the_others(db):
    user = _user(db)
    first, second = sessions.open_session(db, user), sessions.open_session(db, user)
    assert sessions.revoke(db, first) is True
    assert sessions.revoke(db, first) is False
    assert sessions.resume(db, first, CONFIG) is None
    assert sessions.resume(db, second, CONFIG) is not None


def test_revoke_all_ends_every_session_of_one_account_only(db):
    user, other = _user(db), _user(db, "agent2")
    tokens = [sessions.open_session(db, user) for _ in range(3)]
    kept = sessions.open_session(db, other)
    assert sessions.revoke_all(db, user) == 3
    assert all(sessions.resume(db, token, CONFIG) is None for token in tokens)
    assert sessions.resume(db, kept, CONFIG) is not None


def test_a_disabled_account_loses_its_sessions(db):
    user = _user(db)
    token = sessions.open_session(db, user)
    user.active = False
    db.flush()
    assert sessions.resume(db, token, CONFIG) is None
