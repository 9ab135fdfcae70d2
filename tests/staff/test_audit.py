"""The audit log: what is recorded, masked, refused to change, and found again on the admin's page."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from bot.staff import audit
from bot.staff.accounts import find
from bot.staff.models import AuditEntry, AuditLogIsAppendOnly
from tests.staff.conftest import logged_in


def entry_at(db, at: datetime, action="view", actor="agent1", subject="referral:SL-2026-000001") -> AuditEntry:
    """An entry written at a given time (inserted as record() would at that moment)."""
    user = find(db, actor)
    entry = AuditEntry(at=at, actor_id=user.id, actor_name=user.username, actor_role=user.role, action=action,
                       subject=subject, detail="看了详情")
    db.add(entry)
    db.commit()
    return entry


def test_an_entry_names_the_account_and_masks_personal_numbers(db, users):
    agent = find(db, "agent1")
    entry = audit.record(db, agent, audit.VIEW, "referral:SL-2026-000123", "居民电话 13912345678，身份证 220382199001011234",
                         address="10.0.0.1")
    assert (entry.actor_id, entry.actor_name, entry.actor_role) == (agent.id, "agent1", "agent")
    assert "13912345678" not in entry.detail and "5678" in entry.detail
    assert "220382199001011234" not in entry.detail
    assert entry.subject == "referral:SL-2026-000123" and entry.address == "10.0.0.1"
    with pytest.raises(ValueError):
        audit.record(db, agent, "something_else")


@pytest.mark.parametrize("reason", ["", "  ", "看看"])
def test_unmasking_needs_a_reason(db, users, reason):
    with pytest.raises(audit.ReasonRequired):
        audit.unmask(db, find(db, "clerk1"), "referral:SL-2026-000001", reason)
    assert db.scalars(select(AuditEntry).where(AuditEntry.action == "unmask")).all() == []


def test_an_unmask_with_a_reason_is_recorded(db, users):
    entry = audit.unmask(db, find(db, "clerk1"), "referral:SL-2026-000001", "  回电核实住址  ")
    assert (entry.action, entry.detail) == ("unmask", "回电核实住址")


def test_entries_cannot_be_changed_or_deleted(db, users):
    entry = audit.record(db, find(db, "agent1"), audit.EXPORT, "stats:2026-11", "CSV")
    db.commit()
    entry.detail = "nothing happened"
    with pytest.raises(AuditLogIsAppendOnly):
        db.flush()
    db.rollback()
    db.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.flush()
    db.rollback()
    for statement in ("UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log"):  # past the ORM: the triggers
        with pytest.raises(DatabaseError, match="append-only"):
            db.execute(text(statement))
        db.rollback()


def test_search_by_user_action_subject_and_china_time_days(db, users):
    china_midnight = datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc)  # 2026-12-01 00:00 in China
    entry_at(db, china_midnight - timedelta(seconds=1), subject="referral:SL-2026-000001")   # 11-30 23:59:59 China
    entry_at(db, china_midnight, subject="referral:SL-2026-000002")                          # 12-01 00:00:00
    entry_at(db, china_midnight + timedelta(hours=23, minutes=59), action="export", actor="admin1",
             subject="stats:2026-12")                                                         # 12-01 23:59
    entry_at(db, china_midnight + timedelta(days=1), subject="referral:SL-2026-000004")      # 12-02 00:00

    def subjects(**query) -> list[str]:
        return [e.subject for e in audit.search(db, audit.Query(**query)).entries if e.action in ("view", "export")]

    assert subjects(since=date(2026, 12, 1), until=date(2026, 12, 1)) == ["stats:2026-12", "referral:SL-2026-000002"]
    assert subjects(until=date(2026, 11, 30)) == ["referral:SL-2026-000001"]
    assert subjects(user="admin") == ["stats:2026-12"]
    assert subjects(action="view", since=date(2026, 12, 2)) == ["referral:SL-2026-000004"]
    assert subjects(subject="000002") == ["referral:SL-2026-000002"]
    assert subjects(subject="%") == [] and subjects(user="_") == []  # LIKE wildcards are plain characters here


def test_search_pages_newest_first(db, users):
    agent = find(db, "agent1")
    for n in range(7):
        audit.record(db, agent, audit.VIEW, f"referral:SL-2026-{n:06d}")
    db.commit()
    query = dict(action="view")
    first = audit.search(db, audit.Query(**query, page=1), page_size=3)
    assert (first.total, first.pages, first.page) == (7, 3, 1)
    assert [e.subject[-1] for e in first.entries] == ["6", "5", "4"]
    last = audit.search(db, audit.Query(**query, page=99), page_size=3)
    assert last.page == 3 and [e.subject[-1] for e in last.entries] == ["0"]


def test_the_audit_page_searches_and_pages(app, users, db):
    agent = find(db, "agent1")
    for n in range(audit.PAGE_SIZE + 5):
        audit.record(db, agent, audit.VIEW, f"referral:SL-2026-{n:06d}", "电话 13912345678")
    db.commit()
    with logged_in(app, "admin1") as admin:
        page = admin.get("/console/audit", params={"user": "agent1", "action": "view"})
        assert page.status_code == 200
        assert f"共 {audit.PAGE_SIZE + 5} 条，第 1 / 2 页" in page.text
        assert "SL-2026-000054" in page.text and "SL-2026-000004" not in page.text
        assert "13912345678" not in page.text and "139****5678" in page.text
        assert 'href="/console/audit?user=agent1&amp;action=view&amp;page=2"' in page.text
        second = admin.get("/console/audit", params={"user": "agent1", "action": "view", "page": "2"})
        assert "SL-2026-000004" in second.text and "第 2 / 2 页" in second.text
        one = admin.get("/console/audit", params={"subject": "SL-2026-000007"})
        assert "共 1 条" in one.text
        logins = admin.get("/console/audit", params={"action": "login", "user": "admin1"})
        assert "共 1 条" in logins.text and "登录成功" in logins.text


@pytest.mark.parametrize("params", [{"since": "2026-13-01"}, {"until": "昨天"}, {"page": "-1"}, {"page": "x" * 50},
                                    {"action": "drop table"}, {"user": "x" * 500}, {"page": "99999999999"}])
def test_odd_search_input_is_a_page_not_an_error(app, users, params):
    with logged_in(app, "admin1") as admin:
        page = admin.get("/console/audit", params=params)
        assert page.status_code == 200
        if "since" in params or "until" in params:
            assert "格式不对" in page.text
