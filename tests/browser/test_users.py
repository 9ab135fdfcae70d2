"""账号管理 in real headless Chromium at 1366×768: an admin creates a clerk of 茂林镇 and reads her temporary
password off the screen; she logs in with it, must choose her own first, then sees her township's referrals
only (never 双山镇's); the admin disables her and her open page is logged out at its next click.

No engine needed: the app runs on its own port and database. Screenshots: var/screenshots/users-*.png.
Needs /usr/bin/chromium (`make chromium`).
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from bot.db.session import make_engine
from bot.intake import service
from bot.settings import ROOT
from bot.staff.accounts import find
from tests.browser.conftest import page_opener, serve_offline
from tests.browser.test_console import create_user, log_in, no_horizontal_scroll
from tests.browser.test_queue import MAOLIN, SHUANGSHAN, draft

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = [pytest.mark.browser]

DESK = {"width": 1366, "height": 768}
SCREENSHOTS = ROOT / "var" / "screenshots"
# the 400s the tests provoke, and the 401/403 Chromium logs for pages asked for on purpose
EXPECTED_STATUS = re.compile(r"Failed to load resource: the server responded with a status of 40[013] ")
HER_PASSWORD = "maolin clerk 2026"


def seed(database_url: str) -> dict[str, str]:
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        cases = {"mine": service.create_referral(session, draft("users-maolin-1")).case_number,
                 "other": service.create_referral(session, draft("users-shuangshan-1",
                                                                 township_code=SHUANGSHAN)).case_number}
        session.commit()
    engine.dispose()
    return cases


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """(app URL, database URL, case numbers): the app on its own port, an admin made on the command line."""
    var = tmp_path_factory.mktemp("users")
    database_url = f"sqlite:///{var / 'app.db'}"
    create_user(database_url, "admin1", "admin", None)
    cases = seed(database_url)
    with serve_offline(database_url, rate_limit_factor=1.0) as url:
        yield url, database_url, cases


@pytest.fixture
def open_page(browser):
    with page_opener(browser, EXPECTED_STATUS) as open_at:
        yield lambda: open_at(DESK)


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"users-{name}.png"), full_page=True)


def test_an_admin_creates_a_clerk_who_sees_only_her_township_until_disabled(open_page, stack):
    url, database_url, cases = stack
    admin, admin_problems = open_page()
    log_in(admin, url, "admin1")
    expect(admin.locator("#screens strong", has_text="账号管理")).to_be_visible()
    admin.locator("#nav-users").click()
    expect(admin).to_have_url(url + "/console/users")
    expect(admin.locator("h1")).to_have_text("账号管理")
    expect(admin.locator("#accounts tbody tr")).to_have_count(1)

    # a clerk without a township is refused, with what was typed kept
    admin.locator("#new-username").fill("wangfang")
    admin.locator("#new-name").fill("王芳")
    admin.locator("#new-role").select_option("clerk")
    admin.locator("#create").click()
    expect(admin.locator("#error")).to_have_text("乡镇经办人要选一个乡镇。")
    expect(admin.locator("#new-username")).to_have_value("wangfang")
    admin.locator("#new-township").select_option(label="茂林镇")
    admin.locator("#create").click()
    expect(admin.locator("h1")).to_have_text("账号已建好")
    temporary = admin.locator("#temporary").inner_text().strip()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", temporary)
    assert no_horizontal_scroll(admin)
    shot(admin, "temporary-password")
    admin.locator("#back").click()
    row = admin.locator('#accounts tr[data-username="wangfang"]')
    expect(row).to_contain_text("乡镇经办人")
    expect(row).to_contain_text("茂林镇")
    expect(row).to_contain_text("从未登录")
    expect(row).to_contain_text("待改临时密码")
    assert temporary not in admin.content()
    assert no_horizontal_scroll(admin)
    shot(admin, "list")

    # she logs in with the temporary password and must choose her own before anything else
    clerk, clerk_problems = open_page()
    log_in(clerk, url, "wangfang", temporary)
    expect(clerk).to_have_url(url + "/console/password")
    expect(clerk.locator("#forced")).to_be_visible()
    clerk.goto(url + "/console/queue")
    expect(clerk).to_have_url(url + "/console/password")
    shot(clerk, "forced-change")
    clerk.locator("#current").fill(temporary)
    clerk.locator("#new").fill(HER_PASSWORD)
    clerk.locator("#again").fill(HER_PASSWORD)
    clerk.locator("#save").click()
    expect(clerk.locator("#done")).to_contain_text("密码已修改")
    clerk.locator("#home").click()
    expect(clerk.locator("#township")).to_have_text("茂林镇")
    expect(clerk.locator("#nav-users")).to_have_count(0)
    clerk.goto(url + "/console/queue")
    expect(clerk.locator("body")).to_contain_text(cases["mine"])
    assert cases["other"] not in clerk.content()
    clerk.goto(url + f"/console/queue/{cases['other']}")
    expect(clerk.locator("#forbidden")).to_be_visible()
    clerk.goto(url + "/console/users")
    expect(clerk.locator("#forbidden")).to_have_text("您的角色不能使用这个页面。")
    clerk.goto(url + "/console/queue")
    shot(clerk, "clerk-queue")

    # the admin disables her: her open page is logged out at its next click
    admin.goto(url + "/console/users/wangfang")
    expect(admin.locator("#status")).to_have_text("正常")
    admin.locator("#disable").click()
    expect(admin.locator("#done")).to_contain_text("账号已停用")
    expect(admin.locator("#status")).to_have_text("已停用")
    expect(admin.locator("#enable")).to_be_visible()
    shot(admin, "disabled")
    clerk.reload()
    expect(clerk).to_have_url(re.compile(r"/console/login\?next=.*ended=1"))
    expect(clerk.locator("#info")).to_contain_text("登录已过期")
    log_in(clerk, url, "wangfang", HER_PASSWORD)
    expect(clerk.locator("#error")).to_contain_text("用户名或密码不对")
    engine = make_engine(database_url)
    with Session(engine) as session:
        her = find(session, "wangfang")
        assert not her.active and not her.must_change_password and her.township_code == MAOLIN
    engine.dispose()
    assert admin_problems == [] and clerk_problems == []


def test_an_admin_cannot_disable_themselves_here(open_page, stack):
    url, _, _ = stack
    page, problems = open_page()
    log_in(page, url, "admin1")
    page.goto(url + "/console/users/admin1")
    expect(page.locator("#self")).to_be_visible()
    expect(page.locator("#disable")).to_have_count(0)
    expect(page.locator("#reset")).to_have_count(0)
    assert no_horizontal_scroll(page)
    shot(page, "self")
    assert problems == []
