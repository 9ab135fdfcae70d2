"""Logging in: lockout after repeated failures, unknown names that behave like accounts, per-address limits."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.base import utcnow
from bot.security.limits import CONSOLE_LOGINS_PER_CLIENT
from bot.staff import accounts
from bot.staff.models import AuditEntry
from tests.staff.conftest import CONFIG, PASSWORD, login, make_user

ADDRESS = "10.1.2.3"


def attempt(db, limiter, username, password, now=None, address=ADDRESS):
    result = accounts.login(db, CONFIG, limiter, username, password, address, now=now)
    db.commit()
    return result.outcome


def actions(db, subject="staff:agent1") -> list[str]:
    return db.scalars(select(AuditEntry.action).where(AuditEntry.subject == subject).order_by(AuditEntry.id)).all()


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(db, limiter):
    make_user(db, "agent1", "agent")
    now = utcnow()
    assert [attempt(db, limiter, "agent1", f"wrong {n}", now) for n in range(4)] == ["wrong"] * 4
    assert attempt(db, limiter, "agent1", "wrong 5", now) == "locked"
    assert attempt(db, limiter, "agent1", PASSWORD, now + timedelta(minutes=14)) == "locked"  # even the right one
    assert attempt(db, limiter, "agent1", PASSWORD, now + CONFIG.lockout + timedelta(seconds=1)) == "ok"
    assert actions(db) == ["user_created"] + ["login_failed"] * 5 + ["lockout", "login_failed", "login"]
    lockout = db.scalars(select(AuditEntry).where(AuditEntry.action == "lockout")).one()
    assert lockout.detail == "连续 5 次密码错误，锁定 15 分钟" and lockout.address == ADDRESS


def test_a_success_resets_the_count(db, limiter):
    make_user(db, "agent1", "agent")
    for _ in range(4):
        attempt(db, limiter, "agent1", "wrong")
    assert attempt(db, limiter, "agent1", PASSWORD) == "ok"
    assert [attempt(db, limiter, "agent1", "wrong") for _ in range(4)] == ["wrong"] * 4


def test_a_password_reset_unlocks(db, limiter):
    make_user(db, "agent1", "agent")
    for _ in range(5):
        attempt(db, limiter, "agent1", "wrong")
    accounts.reset_password(db, CONFIG, "agent1", "a new password 7")
    db.commit()
    assert attempt(db, limiter, "agent1", "a new password 7") == "ok"
    assert attempt(db, limiter, "agent1", PASSWORD) == "wrong"


def test_an_unknown_name_locks_like_an_account_and_is_recorded(db, limiter):
    make_user(db, "agent1", "agent")
    known = [attempt(db, limiter, "agent1", "wrong") for _ in range(6)]
    unknown = [attempt(db, limiter, "nobody", "wrong") for _ in range(6)]
    assert unknown == known == ["wrong"] * 4 + ["locked"] * 2
    entries = db.scalars(select(AuditEntry).where(AuditEntry.actor_name == "nobody")).all()
    assert len(entries) == 6 and {e.action for e in entries} == {"login_failed"} and entries[0].actor_id is None


def test_a_disabled_account_answers_like_an_unknown_name(db, limiter):
    make_user(db, "agent1", "agent")
    accounts.find(db, "agent1").active = False
    db.commit()
    assert attempt(db, limiter, "agent1", PASSWORD) == "wrong"


def test_usernames_are_read_without_case_or_spaces(db, limiter):
    make_user(db, "agent1", "agent")
    assert attempt(db, limiter, "  Agent1 ", PASSWORD) == "ok"


def test_one_address_trying_many_accounts_is_stopped(db, limiter):
    make_user(db, "agent1", "agent")
    outcomes = [attempt(db, limiter, f"name{n}", "guess") for n in range(CONSOLE_LOGINS_PER_CLIENT.count)]
    assert "throttled" not in outcomes
    assert attempt(db, limiter, "agent1", PASSWORD) == "throttled"
    assert attempt(db, limiter, "agent1", PASSWORD, address="10.9.9.9") == "ok"  # another office


def test_the_login_page_says_wrong_then_locked(client, users):
    wrong = login(client, "agent1", "wrong password")
    assert wrong.status_code == 401 and "用户名或密码不对" in wrong.text and "连续输错 5 次" in wrong.text
    for _ in range(3):
        login(client, "agent1", "wrong password")
    locked = login(client, "agent1", "wrong password")
    assert locked.status_code == 401 and "账号已暂时锁定" in locked.text and "15 分钟" in locked.text
    assert "用户名或密码不对" not in locked.text
    assert 'value="agent1"' in locked.text and "wrong password" not in locked.text  # the name kept, never the password


def test_an_unknown_name_takes_as_long_as_a_wrong_password(db):
    import statistics
    import time
    from dataclasses import replace

    from argon2 import PasswordHasher

    from bot.security.limits import Limiter
    from bot.security.store import MemoryStore

    config = replace(CONFIG, hasher=PasswordHasher(time_cost=2, memory_cost=16 * 1024, parallelism=1),
                     lockout_failures=1000)
    accounts.create(db, config, "agent1", "agent", PASSWORD)
    db.commit()
    limiter = Limiter(MemoryStore(), 1000.0)

    def median(username: str) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            assert accounts.login(db, config, limiter, username, "wrong password", ADDRESS).outcome == "wrong"
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    median("nobody")  # the dummy hash is made on first use
    wrong, unknown = median("agent1"), median("nobody")
    assert 0.25 < unknown / wrong < 4.0, (unknown, wrong)  # skipping the hash gives ~0.01; wide for a loaded CI
