"""The staff console's login, home, 403 and audit pages in real headless Chromium at 1366×768.

No engine needed: the app runs here on its own port and database, its engine down; accounts are made
with the real `bot admin create-user` (password on stdin). Screenshots go to var/screenshots/console-*.png.

Needs /usr/bin/chromium (`make chromium`).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import playwright.sync_api as playwright_sync
import pytest
from sqlalchemy.orm import Session

from bot.db.session import make_engine
from bot.settings import ROOT
from bot.staff import audit
from bot.staff.accounts import find
from tests.browser.conftest import page_opener, serve_offline

expect = playwright_sync.expect
pytestmark = [pytest.mark.browser]

DESK = {"width": 1366, "height": 768}
EXPECTED_STATUS = re.compile(r"Failed to load resource: the server responded with a status of 40[13] ")
SCREENSHOTS = ROOT / "var" / "screenshots"
PASSWORD = "Shuangliao 2026 ok"
ACCOUNTS = [("admin1", "admin", None), ("clerk1", "clerk", "220382100"), ("agent1", "agent", None),
            ("locked1", "agent", None), ("leaver1", "reviewer", None)]


def create_user(database_url: str, username: str, role: str, township: str | None) -> None:
    """The real command line, as an operator runs it: the password piped on stdin."""
    args = [sys.executable, "-m", "bot.cli", "admin", "create-user", "--username", username, "--role", role]
    args += ["--township", township] if township else []
    done = subprocess.run(args, input=PASSWORD + "\n", capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DATABASE_URL": database_url})
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    """(app URL, database URL): the app on its own port with the accounts above."""
    var = tmp_path_factory.mktemp("console")
    database_url = f"sqlite:///{var / 'app.db'}"
    for username, role, township in ACCOUNTS:
        create_user(database_url, username, role, township)
    with serve_offline(database_url, rate_limit_factor=1.0) as url:
        yield url, database_url


@pytest.fixture
def open_page(browser, console):
    """A fresh browser (own cookies) at 1366×768; returns (page, problems): console errors and warnings (a
    policy violation among them) and page errors, but not the status lines Chromium logs for the 401 and 403
    pages the tests ask for."""
    with page_opener(browser, EXPECTED_STATUS) as open_at:
        yield lambda: open_at(DESK)


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"console-{name}.png"), full_page=True)


def log_in(page, url: str, username: str, password: str = PASSWORD, path: str = "/console/login"):
    page.goto(url + path)
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("#login").click()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_an_admin_logs_in_and_sees_every_screen(open_page, console):
    url, _ = console
    page, problems = open_page()
    page.goto(url + "/console")
    expect(page).to_have_url(url + "/console/login")  # not logged in: the login page
    expect(page.locator("h1")).to_have_text("工作人员登录")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    assert page.locator("#login").bounding_box()["height"] >= 44
    shot(page, "login")
    log_in(page, url, "admin1")
    expect(page).to_have_url(url + "/console")
    expect(page.locator("h1")).to_have_text("您好，admin1")
    expect(page.locator("#role")).to_have_text("管理员")
    cards = page.locator("#screens a")
    expect(cards).to_have_count(8)
    for title in ("坐席助手", "转人工", "告警", "转介工单", "会话审阅", "统计", "账号管理", "审计"):
        expect(page.locator("#screens strong", has_text=title)).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "jz_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/console"
    assert no_horizontal_scroll(page)
    shot(page, "home-admin")
    assert problems == []


def test_a_wrong_password_is_told_plainly(open_page, console):
    url, _ = console
    page, problems = open_page()
    log_in(page, url, "agent1", "not the password")
    expect(page.locator("#error")).to_contain_text("用户名或密码不对")
    expect(page.locator("#username")).to_have_value("agent1")
    expect(page.locator("#password")).to_have_value("")
    assert "jz_console" not in {c["name"] for c in page.context.cookies()}
    shot(page, "wrong-password")
    log_in(page, url, "agent1")  # the form works again at once
    expect(page).to_have_url(url + "/console")
    assert problems == []


def test_five_wrong_passwords_lock_the_account(open_page, console):
    url, _ = console
    page, problems = open_page()
    for attempt in range(4):
        log_in(page, url, "locked1", f"wrong password {attempt}")
        expect(page.locator("#error")).to_contain_text("用户名或密码不对")
    log_in(page, url, "locked1", "wrong password 5")
    expect(page.locator("#error")).to_contain_text("账号已暂时锁定")
    expect(page.locator("#error")).to_contain_text("15 分钟")
    shot(page, "locked")
    log_in(page, url, "locked1")  # the right password changes nothing while locked
    expect(page.locator("#error")).to_contain_text("账号已暂时锁定")
    expect(page).to_have_url(url + "/console/login")
    assert problems == []


def test_logout_ends_the_session(open_page, console):
    url, _ = console
    page, problems = open_page()
    log_in(page, url, "agent1")
    expect(page.locator("#screens strong")).to_have_text(["坐席助手", "转人工"])
    session_cookie = next(c for c in page.context.cookies() if c["name"] == "jz_console")
    page.locator("#logout").click()
    expect(page).to_have_url(url + "/console/login?out=1")
    expect(page.locator("#info")).to_have_text("您已安全退出。")
    assert "jz_console" not in {c["name"] for c in page.context.cookies()}
    shot(page, "logged-out")
    page.context.add_cookies([session_cookie])  # a copy of the old cookie: its session is over on the server
    page.goto(url + "/console")
    expect(page).to_have_url(re.compile(re.escape(url + "/console/login")))
    expect(page.locator("#username")).to_be_visible()
    assert problems == []


def test_a_clerk_is_refused_the_audit_page_with_the_403_page(open_page, console):
    url, _ = console
    page, problems = open_page()
    log_in(page, url, "clerk1")
    expect(page.locator("#role")).to_have_text("乡镇经办人")
    expect(page.locator("#township")).to_have_text("茂林镇")
    expect(page.locator("#screens strong")).to_have_text(["转介工单", "统计"])
    shot(page, "home-clerk")
    response = page.goto(url + "/console/audit")
    assert response.status == 403
    expect(page).to_have_url(url + "/console/audit")  # no redirect, no loop
    expect(page.locator("h1")).to_have_text("没有权限")
    expect(page.locator("#forbidden")).to_have_text("您的角色不能使用这个页面。")
    shot(page, "forbidden-clerk")
    page.locator("#home").click()
    expect(page).to_have_url(url + "/console")
    assert problems == []


def test_an_admin_searches_the_audit_log_and_pages_through_it(open_page, console):
    url, database_url = console
    engine = make_engine(database_url)
    with Session(engine) as session:
        agent = find(session, "agent1")
        for n in range(audit.PAGE_SIZE + 10):
            audit.record(session, agent, audit.VIEW, f"referral:SL-2026-{n:06d}", "查看转介详情，电话 13912345678")
        session.commit()
    engine.dispose()
    page, problems = open_page()
    log_in(page, url, "admin1", path="/console/login?next=%2Fconsole%2Faudit")
    expect(page).to_have_url(url + "/console/audit")
    expect(page.locator("h1")).to_have_text("审计日志")
    page.locator("#user").fill("agent1")
    page.locator("#action").select_option(label="查看个人信息")
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))  # China time
    page.locator("#since").fill(today)
    page.locator("#until").fill(today)
    page.locator("#search").click()
    expect(page.locator("#count")).to_contain_text(f"共 {audit.PAGE_SIZE + 10} 条，第 1 / 2 页")
    rows = page.locator("#entries tbody tr")
    expect(rows).to_have_count(audit.PAGE_SIZE)
    expect(rows.first).to_contain_text("referral:SL-2026-000059")
    expect(rows.first).to_contain_text("139****5678")
    assert "13912345678" not in page.content()
    assert no_horizontal_scroll(page)
    shot(page, "audit-search")
    page.locator("#next").click()
    expect(page.locator("#count")).to_contain_text("第 2 / 2 页")
    expect(rows).to_have_count(10)
    expect(rows.last).to_contain_text("referral:SL-2026-000000")
    expect(page.locator("#user")).to_have_value("agent1")  # the filters stay with the pages
    page.locator("#subject").fill("SL-2026-000007")
    page.locator("#search").click()
    expect(page.locator("#count")).to_contain_text("共 1 条")
    page.locator("#user").fill("clerk1")
    page.locator("#action").select_option(label="全部")
    page.locator("#since").fill("")
    page.locator("#until").fill("")
    page.locator("#subject").fill("")
    page.locator("#search").click()
    assert re.search(r"共 \d+ 条", page.locator("#count").inner_text())
    shot(page, "audit-clerk")
    assert problems == []
