"""Roles and access: who sees which screen, the 403 page, login redirects without loops, township scope."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.db.base import utcnow
from bot.intake.models import Referral
from bot.staff import scope, sessions
from bot.staff.accounts import find
from bot.staff.models import AuditEntry
from bot.staff.roles import ROLES, SCREENS, screens_for
from bot.staff.web import COOKIE, Staff, require_role
from tests.staff.conftest import CONFIG, OTHER_TOWNSHIP, TOWNSHIP, logged_in, login

EXPECTED_SCREENS = {
    "agent": ["/console/assist", "/console/handoffs"],
    "clerk": ["/console/queue", "/console/stats"],
    "reviewer": ["/console/alerts", "/console/review", "/console/stats"],
    "admin": [screen.path for screen in SCREENS],
}


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_sees_its_screens_on_the_home_page(app, users, role):
    with logged_in(app, users[role]) as client:
        home = client.get("/console")
        assert home.status_code == 200
        assert [s.path for s in screens_for(role)] == EXPECTED_SCREENS[role]
        for screen in SCREENS:
            assert (f'href="{screen.path}"' in home.text) == (screen.path in EXPECTED_SCREENS[role]), screen.path
        assert ROLES[role] in home.text
        assert ("茂林镇" in home.text) == (role == "clerk")


@pytest.mark.parametrize("role", ["agent", "clerk", "reviewer"])
def test_only_an_admin_opens_the_audit_page_the_others_get_the_403_page(app, users, db, role):
    with logged_in(app, users[role]) as client:
        refused = client.get("/console/audit", follow_redirects=False)
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("text/html")
        assert "没有权限" in refused.text and "您的角色不能使用这个页面" in refused.text
        assert 'href="/console"' in refused.text and 'action="/console/logout"' in refused.text
    denied = db.scalars(select(AuditEntry).where(AuditEntry.action == "denied")).one()
    assert (denied.actor_name, denied.subject) == (users[role], "/console/audit")
    assert denied.detail == f"{ROLES[role]}不能使用（需要：管理员）"
    with logged_in(app, "admin1") as admin:
        assert admin.get("/console/audit").status_code == 200


def test_not_logged_in_goes_to_the_login_page_and_comes_back_after(client, users):
    sent = client.get("/console/audit?user=x", follow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/console/login?next={quote('/console/audit?user=x', safe='')}"
    assert client.get(sent.headers["location"]).status_code == 200  # the login page needs no login
    back = login(client, "admin1", next_path="/console/audit?user=x")
    assert back.status_code == 303 and back.headers["location"] == "/console/audit?user=x"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/console", "/chat", "/console/login",
                                    "/console\\@evil", "/consolex"])
def test_after_login_only_console_pages_are_gone_to(client, users, target):
    response = login(client, "agent1", next_path=quote(target, safe=""))
    assert response.status_code == 303 and response.headers["location"] == "/console"


def test_a_logged_in_user_on_the_login_page_goes_home_no_loop(client, users):
    login(client, "clerk1")
    assert client.get("/console/login", follow_redirects=False).headers["location"] == "/console"
    # a clerk refused a page is shown the 403 page, not sent to log in again
    assert client.get("/console/audit", follow_redirects=False).status_code == 403


def test_an_ended_session_goes_to_login_with_a_reason_and_the_cookie_is_dropped(app, users, db):
    with logged_in(app, "agent1") as client:
        token = client.cookies.get(COOKIE)
        sessions.revoke(db, token)
        db.commit()
        sent = client.get("/console", follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"] == "/console/login?ended=1"
        assert "登录已过期" in client.get(sent.headers["location"]).text


def test_a_forged_cookie_is_just_not_logged_in(client, users):
    client.cookies.set(COOKIE, "forged", path="/console")
    assert client.get("/console", follow_redirects=False).status_code == 303
    client.cookies.set(COOKIE, "x" * 5000, path="/console")
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_the_json_api_answers_401_and_403(app, users):
    router = APIRouter()

    @router.get("/console/api/test-admin-only")
    def admin_only(staff: Staff = Depends(require_role("admin"))) -> dict:
        return {"user": staff.username}

    app.include_router(router)
    with TestClient(app) as anonymous:
        for path in ("/console/api/me", "/console/api/test-admin-only"):
            response = anonymous.get(path, follow_redirects=False)
            assert response.status_code == 401 and response.json()["error"] == "unauthorized"
    with logged_in(app, "agent1") as agent:
        me = agent.get("/console/api/me").json()
        assert me["username"] == "agent1" and me["role"] == "agent" and len(me["csrf_token"]) == 64
        refused = agent.get("/console/api/test-admin-only")
        assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    with logged_in(app, "admin1") as admin:
        assert admin.get("/console/api/test-admin-only").json() == {"user": "admin1"}


def _referral(db, case: str, township: str | None) -> Referral:
    referral = Referral(case_number=case, idempotency_key=case, kind="apply", channel="webchat", township_code=township,
                        summary="", created_at=utcnow())
    db.add(referral)
    db.commit()
    return referral


def test_a_clerk_sees_only_their_townships_referrals(db, users):
    mine, theirs, nowhere = (_referral(db, "SL-2026-000001", TOWNSHIP), _referral(db, "SL-2026-000002", OTHER_TOWNSHIP),
                             _referral(db, "SL-2026-000003", None))

    def visible(username: str) -> list[str]:
        user = find(db, username)
        return db.scalars(select(Referral.case_number).where(scope.referral_filter(user))
                          .order_by(Referral.case_number)).all()

    assert visible("clerk1") == [mine.case_number]
    assert visible("admin1") == [mine.case_number, theirs.case_number, nowhere.case_number]
    assert visible("agent1") == visible("reviewer1") == []
    clerk = find(db, "clerk1")
    assert scope.township_scope(clerk) == TOWNSHIP and scope.township_scope(find(db, "admin1")) is None
    assert scope.ensure_may_see(clerk, mine) is mine
    for other in (theirs, nowhere):
        with pytest.raises(scope.OutOfScope):
            scope.ensure_may_see(clerk, other)
    assert not scope.may_see(find(db, "agent1"), mine)


def test_out_of_scope_in_a_screen_is_the_403_page(app, users, db):
    other = _referral(db, "SL-2026-000009", OTHER_TOWNSHIP)
    router = APIRouter()

    @router.get("/console/test-referral")
    def show(staff: Staff = Depends(require_role("clerk", "admin"))) -> dict:
        return {"case": scope.ensure_may_see(staff, other).case_number}

    app.include_router(router)
    with logged_in(app, "clerk1") as clerk:
        refused = clerk.get("/console/test-referral")
        assert refused.status_code == 403 and "不属于您负责的乡镇" in refused.text
    denied = db.scalars(select(AuditEntry).where(AuditEntry.action == "denied")).one()
    assert (denied.subject, denied.detail) == ("/console/test-referral", "转介 SL-2026-000009 不在 clerk1 负责的乡镇")
    with logged_in(app, "admin1") as admin:
        assert admin.get("/console/test-referral").json() == {"case": "SL-2026-000009"}


def test_the_session_cookie_is_httponly_strict_and_secure_in_production(app, users, monkeypatch):
    from dataclasses import replace
    from datetime import timedelta

    from bot.staff.config import StaffConfig

    assert StaffConfig.from_env("production").secure_cookies and not StaffConfig.from_env("dev").secure_cookies
    monkeypatch.setenv("CONSOLE_IDLE_MINUTES", "10")
    monkeypatch.setenv("CONSOLE_SESSION_MINUTES", "240")
    monkeypatch.setenv("CONSOLE_LOCKOUT_FAILURES", "3")
    monkeypatch.setenv("CONSOLE_LOCKOUT_MINUTES", "60")
    configured = StaffConfig.from_env("dev")
    assert (configured.idle, configured.absolute, configured.lockout_failures, configured.lockout) == (
        timedelta(minutes=10), timedelta(hours=4), 3, timedelta(hours=1))
    app.state.staff_config = replace(CONFIG, secure_cookies=True)
    with TestClient(app, base_url="https://testserver") as client:
        response = login(client, "agent1")
    assert response.status_code == 303
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{COOKIE}="))
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite", "path"} <= set(attributes)
    assert attributes["samesite"].lower() == "samesite=strict" and attributes["path"] == "Path=/console"
    assert "max-age" not in attributes and "expires" not in attributes  # gone when the browser closes
