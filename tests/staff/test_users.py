"""账号管理 over HTTP (SQLite): an admin lists, creates, resets, disables, enables and re-roles accounts; each
action CSRF-checked and audited (never with a password); the temporary password shown once and changed at
the next login; an admin cannot disable, demote or reset themselves; the last admin stays (also on PostgreSQL).
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.migrate import upgrade
from bot.db.session import make_engine
from bot.intake.seed import seed_townships
from bot.settings import ROOT
from bot.staff import accounts, sessions
from bot.staff import users as management
from bot.staff.accounts import AccountError, find
from bot.staff.models import AuditEntry, StaffSession
from bot.staff.passwords import check_rule
from tests.intake.conftest import postgres_database
from tests.staff.conftest import CONFIG, OTHER_TOWNSHIP, PASSWORD, TOWNSHIP, form_token, logged_in, login

TEMPORARY = re.compile(r'id="temporary">([^<]+)<')
NEW_PASSWORD = "my own words 2026"


def entries(db: Session, action: str) -> list[AuditEntry]:
    db.expire_all()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def post(client, path: str, **data):
    """A console form posted with the session's CSRF token (taken from the page, as a browser does)."""
    token = form_token(client.get("/console/users" if "/console/users" in path else "/console/password").text)
    return client.post(path, data={"csrf": token, **data}, follow_redirects=False)


def temporary_of(response) -> str:
    assert response.status_code == 200, response.text
    match = TEMPORARY.search(response.text)
    assert match, "no temporary password on the page"
    return match.group(1)


def no_password_in_the_log(db: Session, *secrets_: str) -> None:
    db.expire_all()
    for entry in db.scalars(select(AuditEntry)):
        for secret in secrets_:
            assert secret not in f"{entry.subject} {entry.detail} {entry.actor_name}"


# ---- the list, and who may see it -----------------------------------------------------------------------------

def test_the_admin_sees_every_account_with_role_township_status_and_last_login(app, users, db):
    locked = find(db, "agent1")
    locked.locked_until = utcnow() + timedelta(minutes=10)
    find(db, "reviewer1").active = False
    db.commit()
    with logged_in(app, "admin1") as client:
        page = client.get("/console/users")
        assert page.status_code == 200
        rows = dict(re.findall(r'<tr class="[^"]*" data-username="([^"]+)">(.*?)</tr>', page.text, re.S))
        assert set(rows) == {"admin1", "agent1", "reviewer1", "clerk1"}
        assert "乡镇经办人" in rows["clerk1"] and "茂林镇" in rows["clerk1"]
        assert "茂林镇" not in rows["agent1"]
        assert "锁定中" in rows["agent1"] and "已停用" in rows["reviewer1"] and "正常" in rows["clerk1"]
        assert "从未登录" in rows["clerk1"] and "从未登录" not in rows["admin1"]  # admin1 has just logged in
        assert list(rows)[-1] == "reviewer1"  # disabled accounts last
        assert 'href="/console/users"' in page.text  # the nav link, for admins


@pytest.mark.parametrize("role", ["agent", "clerk", "reviewer"])
def test_the_others_get_the_403_page_and_cannot_post(app, users, db, role):
    with logged_in(app, users[role]) as client:
        home = client.get("/console")
        assert 'href="/console/users"' not in home.text
        refused = client.get("/console/users", follow_redirects=False)
        assert refused.status_code == 403 and "没有权限" in refused.text
        token = form_token(home.text)
        for path, data in [("/console/users", {"username": "sneaky", "role": "admin"}),
                           ("/console/users/agent1/active", {"active": "0"}),
                           ("/console/users/clerk1/password", {}),
                           ("/console/users/clerk1/role", {"role": "admin"})]:
            response = client.post(path, data={"csrf": token, **data}, follow_redirects=False)
            assert response.status_code == 403, path
    db.expire_all()
    assert find(db, "sneaky") is None and find(db, "agent1").active and find(db, "clerk1").role == "clerk"
    denied = entries(db, "denied")
    assert len(denied) == 5 and {e.actor_name for e in denied} == {users[role]}


def test_every_action_needs_the_csrf_token(app, users, db):
    with logged_in(app, "admin1") as client:
        for path, data in [("/console/users", {"username": "nocsrf", "role": "agent"}),
                           ("/console/users/agent1/active", {"active": "0"}),
                           ("/console/users/agent1/password", {}),
                           ("/console/users/agent1/role", {"role": "reviewer"})]:
            for token in ({}, {"csrf": "0" * 64}):
                response = client.post(path, data={**token, **data}, follow_redirects=False)
                assert response.status_code == 403 and "页面已过期" in response.text, path
    db.expire_all()
    assert find(db, "nocsrf") is None
    agent = find(db, "agent1")
    assert agent.active and agent.role == "agent" and not agent.must_change_password
    assert entries(db, "user_disabled") == entries(db, "password_reset") == entries(db, "user_changed") == []


# ---- create, and the temporary password ----------------------------------------------------------------------

def test_a_clerk_needs_a_township_from_the_gazetteer(app, users, db):
    with logged_in(app, "admin1") as client:
        missing = post(client, "/console/users", username="wangfang", role="clerk", township="")
        assert missing.status_code == 400 and "乡镇经办人要选一个乡镇" in missing.text
        assert 'value="wangfang"' in missing.text  # the form keeps what was typed
        unknown = post(client, "/console/users", username="wangfang", role="clerk", township="999999999")
        assert unknown.status_code == 400 and "没有这个乡镇代码" in unknown.text
        taken = post(client, "/console/users", username="Clerk1", role="agent")
        assert taken.status_code == 400 and "已经有了" in taken.text
        bad = post(client, "/console/users", username="王芳", role="agent")
        assert bad.status_code == 400 and "用户名" in bad.text
        page = client.get("/console/users").text
        assert '<option value="220382100">茂林镇</option>' in page and "双山镇" in page
    assert find(db, "wangfang") is None and entries(db, "user_created")[-1].actor_name == "(命令行)"


def test_a_new_clerk_gets_a_temporary_password_once_and_must_change_it(app, users, db):
    with logged_in(app, "admin1") as admin:
        created = post(admin, "/console/users", username="WangFang", display_name="王芳", role="clerk",
                       township=TOWNSHIP)
        temporary = temporary_of(created)
        check_rule(temporary, "wangfang")
        assert "只显示这一次" in created.text and created.headers["cache-control"] == "no-store"
        assert temporary not in admin.get("/console/users").text
        assert temporary not in admin.get("/console/users/wangfang").text
    user = find(db, "wangfang")
    assert (user.role, user.township_code, user.display_name, user.must_change_password) == \
        ("clerk", TOWNSHIP, "王芳", True)
    made = entries(db, "user_created")[-1]
    assert (made.actor_name, made.actor_role, made.subject) == ("admin1", "admin", "staff:wangfang")
    assert TOWNSHIP in made.detail and "临时密码" in made.detail
    no_password_in_the_log(db, temporary)

    with TestClient(app) as clerk:
        assert login(clerk, "wangfang", temporary).status_code == 303
        sent = clerk.get("/console/queue", follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"] == "/console/password"
        assert clerk.get("/console", follow_redirects=False).headers["location"] == "/console/password"
        assert clerk.get("/console/api/me").status_code == 403
        page = clerk.get("/console/password")
        assert page.status_code == 200 and "临时密码" in page.text
        token = form_token(page.text)
        weak = clerk.post("/console/password", data={"csrf": token, "current": temporary, "new": "short",
                                                      "again": "short"})
        assert weak.status_code == 400 and "至少" in weak.text
        mismatch = clerk.post("/console/password", data={"csrf": token, "current": temporary, "new": NEW_PASSWORD,
                                                          "again": NEW_PASSWORD + "x"})
        assert mismatch.status_code == 400 and "不一样" in mismatch.text
        wrong = clerk.post("/console/password", data={"csrf": token, "current": "not it at all",
                                                       "new": NEW_PASSWORD, "again": NEW_PASSWORD})
        assert wrong.status_code == 400 and "原密码不对" in wrong.text
        done = clerk.post("/console/password", data={"csrf": token, "current": temporary, "new": NEW_PASSWORD,
                                                      "again": NEW_PASSWORD}, follow_redirects=False)
        assert done.status_code == 303
        home = clerk.get("/console")
        assert home.status_code == 200 and "茂林镇" in home.text and 'href="/console/users"' not in home.text
        assert clerk.get("/console/queue").status_code == 200
    db.expire_all()
    assert not find(db, "wangfang").must_change_password
    changed = entries(db, "password_changed")[-1]
    assert (changed.actor_name, changed.subject) == ("wangfang", "staff:wangfang")
    no_password_in_the_log(db, temporary, NEW_PASSWORD)
    with TestClient(app) as again:
        assert login(again, "wangfang", temporary).status_code == 401
        assert login(again, "wangfang", NEW_PASSWORD).status_code == 303


# ---- reset, disable, enable ----------------------------------------------------------------------------------

def test_a_reset_ends_the_sessions_lifts_the_lock_and_hands_out_a_temporary_password(app, users, db):
    with logged_in(app, "agent1") as agent:
        assert agent.get("/console", follow_redirects=False).status_code == 200
        user = find(db, "agent1")
        user.locked_until, user.failed_logins = utcnow() + timedelta(minutes=10), 3
        db.commit()
        with logged_in(app, "admin1") as admin:
            temporary = temporary_of(post(admin, "/console/users/agent1/password"))
        ended = agent.get("/console", follow_redirects=False)
        assert ended.status_code == 303 and "ended=1" in ended.headers["location"]
    db.expire_all()
    user = find(db, "agent1")
    assert user.locked_until is None and user.failed_logins == 0 and user.must_change_password
    reset = entries(db, "password_reset")[-1]
    assert (reset.actor_name, reset.subject) == ("admin1", "staff:agent1") and "结束了 1 个登录会话" in reset.detail
    no_password_in_the_log(db, temporary)
    with TestClient(app) as client:
        assert login(client, "agent1", PASSWORD).status_code == 401  # the old password is gone
        assert login(client, "agent1", temporary).status_code == 303


def test_disabling_ends_her_session_at_once_and_enabling_lets_her_back(app, users, db):
    with logged_in(app, "clerk1") as clerk:
        assert clerk.get("/console/queue").status_code == 200
        with logged_in(app, "admin1") as admin:
            done = post(admin, "/console/users/clerk1/active", active="0")
            assert done.status_code == 303 and done.headers["location"] == "/console/users/clerk1?done=disabled"
            assert "已停用" in admin.get(done.headers["location"]).text
        ended = clerk.get("/console/queue", follow_redirects=False)
        assert ended.status_code == 303 and ended.headers["location"].startswith("/console/login")
        assert "ended=1" in ended.headers["location"]
        assert login(clerk, "clerk1").status_code == 401
    db.expire_all()
    assert not db.scalars(select(StaffSession).where(StaffSession.user_id == find(db, "clerk1").id,
                                                     StaffSession.revoked_at.is_(None))).all()
    disabled = entries(db, "user_disabled")[-1]
    assert (disabled.actor_name, disabled.subject, disabled.detail) == ("admin1", "staff:clerk1", "结束了 1 个登录会话")
    with logged_in(app, "admin1") as admin:
        assert post(admin, "/console/users/clerk1/active", active="1").status_code == 303
    assert entries(db, "user_enabled")[-1].subject == "staff:clerk1"
    with TestClient(app) as clerk:
        assert login(clerk, "clerk1").status_code == 303


def test_an_admin_cannot_disable_demote_or_reset_themselves(app, users, db):
    with logged_in(app, "admin1") as admin:
        page = admin.get("/console/users/admin1")
        assert page.status_code == 200 and 'id="self"' in page.text and 'id="disable"' not in page.text
        for path, data, message in [("/console/users/admin1/active", {"active": "0"}, "不能停用自己的账号"),
                                    ("/console/users/admin1/role", {"role": "agent"}, "不能修改自己的角色"),
                                    ("/console/users/admin1/password", {}, "修改密码")]:
            refused = post(admin, path, **data)
            assert refused.status_code == 400 and message in refused.text, path
        assert admin.get("/console/users").status_code == 200  # still logged in, still an admin
    db.expire_all()
    me = find(db, "admin1")
    assert me.active and me.role == "admin" and not me.must_change_password
    assert entries(db, "user_disabled") == entries(db, "user_changed") == []


def test_an_unknown_account_is_a_404_page(app, users):
    with logged_in(app, "admin1") as admin:
        assert admin.get("/console/users/nobody").status_code == 404
        assert post(admin, "/console/users/nobody/active", active="0").status_code == 404


# ---- roles and townships -------------------------------------------------------------------------------------

def test_moving_a_clerk_to_another_township_changes_what_she_sees_at_once(app, users, db):
    with logged_in(app, "clerk1") as clerk:
        assert "茂林镇" in clerk.get("/console").text
        with logged_in(app, "admin1") as admin:
            moved = post(admin, "/console/users/clerk1/role", role="clerk", township=OTHER_TOWNSHIP)
            assert moved.status_code == 303
            same = post(admin, "/console/users/clerk1/role", role="clerk", township=OTHER_TOWNSHIP)
            assert same.status_code == 400 and "没有变化" in same.text
        home = clerk.get("/console").text
        assert "双山镇" in home and "茂林镇" not in home
    changed = entries(db, "user_changed")[-1]
    assert changed.subject == "staff:clerk1"
    assert changed.detail == f"乡镇经办人（乡镇 {TOWNSHIP}） → 乡镇经办人（乡镇 {OTHER_TOWNSHIP}）"


def test_a_role_change_takes_the_township_with_it(app, users, db):
    with logged_in(app, "admin1") as admin:
        refused = post(admin, "/console/users/agent1/role", role="clerk", township="")
        assert refused.status_code == 400 and "乡镇经办人要选一个乡镇" in refused.text
        assert post(admin, "/console/users/agent1/role", role="clerk", township=TOWNSHIP).status_code == 303
        # a clerk made a reviewer keeps no township, whatever the form sends
        assert post(admin, "/console/users/clerk1/role", role="reviewer", township=TOWNSHIP).status_code == 303
    db.expire_all()
    assert (find(db, "agent1").role, find(db, "agent1").township_code) == ("clerk", TOWNSHIP)
    assert (find(db, "clerk1").role, find(db, "clerk1").township_code) == ("reviewer", None)
    with logged_in(app, "clerk1") as former:
        assert former.get("/console/queue", follow_redirects=False).status_code == 403
        assert former.get("/console/review", follow_redirects=False).status_code == 200


def test_a_new_admin_may_then_disable_the_first(app, users, db):
    with logged_in(app, "admin1") as admin:
        assert post(admin, "/console/users/reviewer1/role", role="admin").status_code == 303
    with logged_in(app, "reviewer1") as second:
        assert post(second, "/console/users/admin1/active", active="0").status_code == 303
    db.expire_all()
    assert not find(db, "admin1").active


# ---- one's own password --------------------------------------------------------------------------------------

def test_changing_ones_own_password_keeps_this_session_and_ends_the_others(app, users, db):
    with logged_in(app, "reviewer1") as here, logged_in(app, "reviewer1") as there:
        done = post(here, "/console/password", current=PASSWORD, new=NEW_PASSWORD, again=NEW_PASSWORD)
        assert done.status_code == 303 and done.headers["location"] == "/console/password?done=1"
        assert "密码已修改" in here.get(done.headers["location"]).text
        assert here.get("/console", follow_redirects=False).status_code == 200
        assert there.get("/console", follow_redirects=False).status_code == 303
        same = post(here, "/console/password", current=NEW_PASSWORD, new=NEW_PASSWORD, again=NEW_PASSWORD)
        assert same.status_code == 400 and "不能和原来的一样" in same.text
        no_csrf = here.post("/console/password", data={"current": NEW_PASSWORD, "new": "another one 99",
                                                       "again": "another one 99"}, follow_redirects=False)
        assert no_csrf.status_code == 403
    assert "其他 1 个" in entries(db, "password_changed")[-1].detail
    no_password_in_the_log(db, PASSWORD, NEW_PASSWORD)


def test_the_password_page_needs_a_login(client, users):
    sent = client.get("/console/password", follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/console/login")


# ---- the rules themselves (SQLite and PostgreSQL) ------------------------------------------------------------

def test_temporary_passwords_keep_the_rule_and_differ():
    made = {management.temporary_password("abc") for _ in range(50)}
    assert len(made) == 50
    for password in made:
        check_rule(password, "abc")
        assert re.fullmatch(r"[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}", password), password


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, tmp_path):
    def ready(url: str) -> Session:
        upgrade(url)
        engine = make_engine(url)
        session = Session(engine, expire_on_commit=False)
        seed_townships(session, ROOT / "policies" / "shuangliao-divisions.yml")
        session.commit()
        return session

    if request.param == "sqlite":
        session = ready(f"sqlite:///{tmp_path / 'app.db'}")
        yield session
        session.close()
        session.get_bind().dispose()
        return
    with postgres_database() as url:
        session = ready(url)
        yield session
        session.close()
        session.get_bind().dispose()


def test_the_last_active_admin_is_neither_disabled_nor_demoted(any_db):
    db = any_db
    first = accounts.create(db, CONFIG, "admin1", "admin", PASSWORD)
    second = accounts.create(db, CONFIG, "admin2", "admin", PASSWORD)
    accounts.create(db, CONFIG, "clerk1", "clerk", PASSWORD, TOWNSHIP)
    db.commit()
    # admin1 was disabled by admin2 a moment ago, and now (its request already under way) strikes back
    management.set_active(db, second, "admin1", False)
    db.commit()
    for act in (lambda: management.set_active(db, first, "admin2", False),
                lambda: management.change_role(db, first, "admin2", "agent", "")):
        with pytest.raises(AccountError, match="最后一个可用的管理员"):
            act()
        db.rollback()
    assert find(db, "admin2").active and find(db, "admin2").role == "admin"
    # with a second active admin again, either may go
    management.set_active(db, second, "admin1", True)
    management.change_role(db, first, "admin2", "reviewer", TOWNSHIP)
    db.commit()
    assert (find(db, "admin2").role, find(db, "admin2").township_code) == ("reviewer", None)
    moved = management.change_role(db, first, "clerk1", "clerk", OTHER_TOWNSHIP)
    assert moved.township_code == OTHER_TOWNSHIP
    with pytest.raises(AccountError, match="没有这个乡镇代码"):
        management.change_role(db, first, "clerk1", "clerk", "220382999")


def test_a_disabled_account_has_no_live_session_left(any_db):
    db = any_db
    admin = accounts.create(db, CONFIG, "admin1", "admin", PASSWORD)
    agent = accounts.create(db, CONFIG, "agent1", "agent", PASSWORD)
    tokens = [sessions.open_session(db, agent) for _ in range(2)]
    db.commit()
    management.set_active(db, admin, "agent1", False)
    db.commit()
    assert all(sessions.resume(db, token, CONFIG) is None for token in tokens)

