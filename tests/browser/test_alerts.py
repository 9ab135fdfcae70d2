"""告警 in real headless Chromium at 1366×768: an admin sees an open emergency on top (the nav's count red),
closes it with a note, and the list, the count and the audit log say who did it. A reviewer reads the same list
without the forms. Screenshots go to var/screenshots/alerts-*.png.

Needs /usr/bin/chromium (`make chromium`).
"""
from __future__ import annotations

import re
from datetime import timedelta

import playwright.sync_api as playwright_sync
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.migrate import upgrade
from bot.db.session import make_engine
from bot.staff import accounts
from bot.staff.alerts.models import Alert
from bot.staff.config import StaffConfig
from bot.staff.models import AuditEntry
from tests.browser.conftest import page_opener, serve_offline
from tests.browser.test_console import DESK, EXPECTED_STATUS, PASSWORD, SCREENSHOTS

expect = playwright_sync.expect
pytestmark = [pytest.mark.browser]


def seed(database_url: str) -> dict[str, int]:
    """Accounts (admin, reviewer) and alerts: the emergency is older than the complaint and the overdue referral,
    and an already closed emergency is the newest of all; the open emergency must still come first."""
    engine = make_engine(database_url)
    now = utcnow()
    with Session(engine) as db:
        for username, role in (("admin1", "admin"), ("reviewer1", "reviewer")):
            accounts.create(db, StaffConfig(), username, role, PASSWORD)
        rows = {
            "complaint": Alert(kind="complaint", channel="wechat", sender="wx-o1", status="open",
                               text_masked="低保的事一直没人管", created_at=now - timedelta(minutes=5)),
            "overdue": Alert(kind="referral_overdue", channel="12345", sender="", status="open",
                             text_masked="转介单SL-2026-000009报民政局：待受理，时限3个工作日，已过6个工作日",
                             created_at=now - timedelta(minutes=2)),
            "emergency": Alert(kind="emergency", category="fire", channel="webchat", sender="web-r1", status="open",
                               text_masked="家里着火了，电话139****5678", created_at=now - timedelta(hours=1)),
            "closed": Alert(kind="emergency", channel="webchat", sender="web-r2", status="closed",
                            text_masked="已经处理过的", created_at=now - timedelta(minutes=1)),
        }
        db.add_all(rows.values())
        db.commit()
        ids = {name: alert.id for name, alert in rows.items()}
    engine.dispose()
    return ids


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    database_url = f"sqlite:///{tmp_path_factory.mktemp('alerts') / 'app.db'}"
    upgrade(database_url)
    ids = seed(database_url)
    with serve_offline(database_url) as url:
        yield url, database_url, ids


@pytest.fixture
def open_page(browser):
    with page_opener(browser, EXPECTED_STATUS) as open_at:
        yield lambda: open_at(DESK)


def log_in(page, url: str, username: str) -> None:
    page.goto(url + "/console/login?next=/console/alerts")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("#login").click()
    expect(page).to_have_url(re.compile(r"/console/alerts$"))


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"alerts-{name}.png"), full_page=True)


def test_an_admin_sees_the_emergency_on_top_and_closes_it(open_page, site):
    url, database_url, ids = site
    page, problems = open_page()
    log_in(page, url, "admin1")
    rows = page.locator("#alerts tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_have_attribute("id", f"alert-{ids['emergency']}")
    expect(rows.first).to_contain_text("紧急情况")
    expect(rows.first).to_contain_text("139****5678")
    expect(rows.last).to_have_attribute("id", f"alert-{ids['closed']}")
    expect(page.locator("#nav-alerts")).to_have_class(re.compile(r"\burgent\b"))
    expect(page.locator("#nav-alerts-count")).to_have_text("3")
    red = page.locator("#nav-alerts-count").evaluate("el => getComputedStyle(el).backgroundColor")
    assert red == "rgb(179, 38, 30)"
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shot(page, "admin-open")

    first = page.locator(f"#alert-{ids['emergency']}")
    first.locator("input[name=note]").fill("已打119并回电，居民已安全撤离")
    first.locator("button.close").click()
    expect(page.locator("#notice")).to_contain_text("告警已关闭")
    expect(page.locator("#nav-alerts-count")).to_have_text("2")
    expect(page.locator("#nav-alerts")).not_to_have_class(re.compile(r"\burgent\b"))
    closed = page.locator(f"#alert-{ids['emergency']}")
    expect(closed).to_have_attribute("data-status", "closed")
    expect(closed).to_contain_text("admin1")
    expect(closed).to_contain_text("居民已安全撤离")
    expect(rows.first).to_have_attribute("id", f"alert-{ids['overdue']}")  # open ones first again, newest first
    shot(page, "admin-closed")
    assert problems == []

    engine = make_engine(database_url)
    with Session(engine) as db:
        assert db.get(Alert, ids["emergency"]).status == "closed"
        entry = db.scalars(select(AuditEntry).where(AuditEntry.subject == f"alert:{ids['emergency']}")).one()
        assert (entry.actor_name, entry.action) == ("admin1", "status_change")
    engine.dispose()


def test_a_reviewer_reads_the_list_without_the_forms(open_page, site):
    url, _database_url, _ids = site
    page, problems = open_page()
    log_in(page, url, "reviewer1")
    expect(page.locator("#alerts tbody tr").first).to_be_visible()
    expect(page.locator("#alerts form")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("处理和关闭由民政局管理员负责")
    shot(page, "reviewer")
    assert problems == []
