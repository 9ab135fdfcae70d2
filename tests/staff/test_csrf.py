"""CSRF: every state-changing form carries the session's synchronizer token; the login form its own."""
from __future__ import annotations

from sqlalchemy import select

from bot.staff import csrf
from bot.staff.models import AuditEntry
from tests.staff.conftest import PASSWORD, form_token, logged_in, login


def test_the_token_belongs_to_one_session_and_reveals_nothing_of_it():
    token = csrf.token_for("session-a")
    assert token == csrf.token_for("session-a") != csrf.token_for("session-b")
    assert "session-a" not in token
    assert csrf.valid("session-a", token)
    for session, submitted in [("session-b", token), ("session-a", ""), ("session-a", None), (None, token),
                               ("session-a", token[:-1]), ("session-a", token + "0"), ("session-a", "页面")]:
        assert not csrf.valid(session, submitted)


def test_the_login_form_token_is_bound_to_its_own_cookie():
    cookie = csrf.new_login_token()
    assert csrf.valid_login(cookie, csrf.login_form_token(cookie))
    assert not csrf.valid_login(csrf.new_login_token(), csrf.login_form_token(cookie))
    assert not csrf.valid_login(None, csrf.login_form_token(cookie))
    assert csrf.login_form_token(cookie) != csrf.token_for(cookie)  # purposes do not mix


def test_logout_without_the_token_is_refused_and_the_session_lives_on(app, users, db):
    with logged_in(app, "agent1") as client:
        for data in ({}, {"csrf": "0" * 64}):
            refused = client.post("/console/logout", data=data, follow_redirects=False)
            assert refused.status_code == 403
            assert "页面已过期" in refused.text
        assert client.get("/console", follow_redirects=False).status_code == 200
        denied = db.scalars(select(AuditEntry).where(AuditEntry.action == "denied")).all()
        assert [entry.actor_name for entry in denied] == ["agent1", "agent1"]


def test_another_sessions_token_does_not_work(app, users):
    with logged_in(app, "agent1") as mine, logged_in(app, "agent1") as other:
        their_token = form_token(other.get("/console").text)
        assert mine.post("/console/logout", data={"csrf": their_token}, follow_redirects=False).status_code == 403
        assert mine.post("/console/logout", data={"csrf": form_token(mine.get("/console").text)},
                         follow_redirects=False).status_code == 303


def test_a_script_may_send_the_token_as_a_header(app, users):
    with logged_in(app, "agent1") as client:
        token = client.get("/console/api/me").json()["csrf_token"]
        assert client.post("/console/logout", headers={"X-CSRF-Token": token},
                           follow_redirects=False).status_code == 303


def test_a_login_posted_without_the_login_cookie_is_refused(client, users):
    page = client.get("/console/login")
    token = form_token(page.text)
    client.cookies.clear()
    refused = client.post("/console/login", data={"csrf": token, "username": "agent1", "password": PASSWORD},
                          follow_redirects=False)
    assert refused.status_code == 400 and "登录页面已过期" in refused.text
    assert "jz_console" not in {cookie.name for cookie in client.cookies.jar}
    assert login(client, "agent1").status_code == 303  # the re-rendered form works
