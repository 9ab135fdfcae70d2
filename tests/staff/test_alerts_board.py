"""告警 (/console/alerts): who sees it, the order, acknowledge/close audited and CSRF-checked, the nav's count."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.base import utcnow
from bot.staff.alerts import board
from bot.staff.alerts.models import Alert
from bot.staff.models import AuditEntry
from tests.staff.conftest import form_token, logged_in

ROW = re.compile(r'<tr id="alert-(\d+)"')


def add(db, kind: str, minutes_ago: int, status: str = "open", text: str = "居民说的话") -> int:
    alert = Alert(kind=kind, channel="webchat", sender="web-abc", text_masked=text, status=status,
                  created_at=utcnow() - timedelta(minutes=minutes_ago))
    db.add(alert)
    db.commit()
    return alert.id


def shown_ids(html: str) -> list[int]:
    return [int(i) for i in ROW.findall(html)]


def status_of(db, alert_id: int) -> str:
    db.expire_all()
    return db.get(Alert, alert_id).status


@pytest.mark.parametrize("role", ["agent", "clerk"])
def test_agents_and_clerks_get_the_403_page(app, users, role):
    with logged_in(app, users[role]) as client:
        page = client.get("/console/alerts")
        assert page.status_code == 403 and "<html" in page.text
        assert 'id="nav-alerts"' not in client.get("/console").text


def test_the_reviewer_reads_the_list_but_has_no_forms_and_a_post_is_refused(app, users, db):
    alert = add(db, "emergency", 5, text="我家着火了 139****5678")
    with logged_in(app, users["reviewer"]) as client:
        page = client.get("/console/alerts")
        assert page.status_code == 200
        assert shown_ids(page.text) == [alert] and "139****5678" in page.text
        assert f'action="/console/alerts/{alert}/close"' not in page.text
        token = form_token(client.get("/console/password").text)
        refused = client.post(f"/console/alerts/{alert}/close", data={"csrf": token, "note": "我来关"})
        assert refused.status_code == 403
    assert status_of(db, alert) == "open"


def test_open_first_emergencies_on_top_newest_first(app, users, db):
    old_complaint = add(db, "complaint", 300)
    new_handoff = add(db, "handoff", 1)
    old_emergency = add(db, "emergency", 600)
    new_emergency = add(db, "emergency", 60)
    seen_emergency = add(db, "emergency", 2, status="acknowledged")
    overdue = add(db, "referral_overdue", 30, status="acknowledged")
    closed_emergency = add(db, "emergency", 0, status="closed")
    with logged_in(app, users["admin"]) as client:
        page = client.get("/console/alerts")
    assert shown_ids(page.text) == [new_emergency, old_emergency, new_handoff, old_complaint,
                                    seen_emergency, overdue, closed_emergency]
    assert "转介单超期" in page.text and "网页聊天" in page.text


def test_closing_needs_a_note_and_is_audited_who_and_when(app, users, db):
    alert = add(db, "emergency", 10)
    with logged_in(app, users["admin"]) as client:
        token = form_token(client.get("/console/alerts").text)
        blank = client.post(f"/console/alerts/{alert}/close", data={"csrf": token, "note": "  "})
        assert blank.status_code == 409 and "写一句" in blank.text
        assert status_of(db, alert) == "open"
        done = client.post(f"/console/alerts/{alert}/close", data={"csrf": token, "note": "已回电 13912345678，居民安全"},
                           follow_redirects=False)
        assert done.status_code == 303
        assert status_of(db, alert) == "closed"
        page = client.get("/console/alerts")
        again = client.post(f"/console/alerts/{alert}/close", data={"csrf": token, "note": "再关一次"})
        assert again.status_code == 409
    entries = db.scalars(select(AuditEntry).where(AuditEntry.subject == board.subject(alert))).all()
    assert [(e.actor_name, e.action) for e in entries] == [("admin1", "status_change")]
    assert "待处理 → 已关闭" in entries[0].detail and "居民安全" in entries[0].detail
    assert "13912345678" not in entries[0].detail  # the note is masked like every audit detail
    assert "admin1" in page.text and "居民安全" in page.text  # who handled it, on the list


def test_acknowledge_takes_it_off_the_open_count_and_the_nav_turns_from_red(app, users, db):
    emergency = add(db, "emergency", 10)
    add(db, "complaint", 20)
    with logged_in(app, users["admin"]) as client:
        home = client.get("/console").text
        assert re.search(r'class="alerts-link urgent"[^>]*>告警<span class="count" id="nav-alerts-count">2<', home)
        token = form_token(client.get("/console/alerts").text)
        client.post(f"/console/alerts/{emergency}/acknowledge", data={"csrf": token, "note": ""})
        assert status_of(db, emergency) == "acknowledged"
        page = client.get("/console/alerts").text
        assert re.search(r'class="alerts-link"[^>]*>告警<span class="count" id="nav-alerts-count">1<', page)
        assert client.post(f"/console/alerts/{emergency}/acknowledge", data={"csrf": token}).status_code == 409
    assert board.counts(db) == board.Counts(open=1, emergencies=0)


def test_without_the_csrf_token_nothing_changes(app, users, db):
    alert = add(db, "emergency", 10)
    with logged_in(app, users["admin"]) as client:
        for step in ("close", "acknowledge"):
            refused = client.post(f"/console/alerts/{alert}/{step}", data={"note": "没有令牌"})
            assert refused.status_code == 403 and "没有保存" in refused.text
            wrong = client.post(f"/console/alerts/{alert}/{step}", data={"note": "错的令牌", "csrf": "x" * 64})
            assert wrong.status_code == 403
    assert status_of(db, alert) == "open"
    assert db.scalars(select(AuditEntry).where(AuditEntry.subject == board.subject(alert))).all() == []


def test_the_page_may_run_only_the_apps_own_script(app, users):
    with logged_in(app, users["admin"]) as client:
        page = client.get("/console/alerts")
        policy = page.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert '<script src="/console/static/alerts.js"' in page.text
        script = client.get("/console/static/alerts.js")
        assert script.status_code == 200 and "30000" in script.text


def test_an_unknown_alert_is_a_409_not_a_crash(app, users):
    with logged_in(app, users["admin"]) as client:
        token = form_token(client.get("/console/alerts").text)
        assert client.post("/console/alerts/999/close", data={"csrf": token, "note": "处理了"}).status_code == 409
        assert client.post("/console/alerts/99999999999999/close", data={"csrf": token, "note": "处理了"}).status_code == 422
