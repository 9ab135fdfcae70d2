"""转介工单 in real headless Chromium, at 1366×768 and on a 390 px phone: a clerk of 茂林镇 sees their own
township's referrals (urgent on top, overdue marked, never 双山镇's), accepts one from WeChat, and the status
change arrives at the WeChat stand-in (/wechat-sim) through the outbox; on the phone the pages fit the width.

No engine needed: the app runs on its own port and database. Screenshots: var/screenshots/queue-*.png.
Needs /usr/bin/chromium (`make chromium`).
"""
from __future__ import annotations

import re
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.orm import Session

from bot.channels.inbox import record as record_inbound
from bot.channels.wechat.models import WechatFollower
from bot.db.base import utcnow
from bot.db.session import make_engine
from bot.intake import service
from bot.intake.schemas import ReferralDraft
from bot.settings import ROOT, get_settings
from tests.browser.conftest import page_opener, serve_offline
from tests.browser.test_console import create_user, log_in, no_horizontal_scroll

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = [pytest.mark.browser]

DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = ROOT / "var" / "screenshots"
REFUSED_FORM = re.compile(r"Failed to load resource: the server responded with a status of 400 ")  # asked for
OPENID = "oQueueResident000000000000001"
LAPSED = "oQueueResident000000000000002"  # last wrote 3 days ago: WeChat's 48-hour window is closed
MAOLIN, SHUANGSHAN = "220382100", "220382101"


def draft(key: str, **fields) -> ReferralDraft:
    base = dict(idempotency_key=key, kind="apply", channel="webchat", sender="web-queuebrowser0001",
                township_code=MAOLIN, contact_phone="13912345678", contact_name="王大娘",
                summary="家里人口：2人；月收入：一千左右；家里有：重病、大病病人", consent_text="同意转给乡镇",
                screening={"household_size": 2},
                suggestions=[{"programme": "dibao", "outcome": "likely", "reasons": ["人均收入低于农村低保标准"]}])
    return ReferralDraft(**{**base, **fields})


def seed(database_url: str) -> dict[str, str]:
    engine = make_engine(database_url)
    cases = {}
    with Session(engine, expire_on_commit=False) as session:
        cases["wechat"] = service.create_referral(session, draft(
            "browser-wechat-1", channel="wechat", sender=f"wx-{OPENID}")).case_number
        session.add(WechatFollower(openid=OPENID, last_inbound_at=utcnow() - timedelta(hours=1)))
        record_inbound(session, "wechat", f"wx-{OPENID}", "俺家老头子病了 想申请低保 电话13912345678")
        cases["lapsed"] = service.create_referral(session, draft(
            "browser-wechat-2", channel="wechat", sender=f"wx-{LAPSED}")).case_number
        session.add(WechatFollower(openid=LAPSED, last_inbound_at=utcnow() - timedelta(days=3)))
        cases["urgent"] = service.create_referral(session, draft(
            "browser-urgent-1", kind="urgent", summary="老人一个人在家，没吃的", contact_name=None)).case_number
        cases["old"] = service.create_referral(session, draft("browser-old-1")).case_number
        cases["other"] = service.create_referral(session, draft("browser-other-1",
                                                                township_code=SHUANGSHAN)).case_number
        old = service._by_case(session, cases["old"])
        old.created_at = utcnow() - timedelta(days=12)
        session.commit()
    engine.dispose()
    return cases


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """(app URL, database URL, simulator token, case numbers): the app on its own port, its WeChat stand-in
    mounted at /wechat-sim and its outbox worker running."""
    var = tmp_path_factory.mktemp("queue")
    database_url = f"sqlite:///{var / 'app.db'}"
    create_user(database_url, "clerk1", "clerk", MAOLIN)
    cases = seed(database_url)
    with serve_offline(database_url, unset=("APP_URL", "WECHAT_API_BASE"), rate_limit_factor=1.0,
                       app_url_setting="", wechat_api_base="") as url:
        yield url, database_url, get_settings().simulator_token, cases


@pytest.fixture
def open_page(browser):
    with page_opener(browser, REFUSED_FORM) as open_at:
        yield open_at


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"queue-{name}.png"), full_page=True)


def delivered(url: str, token: str, openid: str = OPENID, wait_s: float = 15) -> list[dict]:
    deadline = time.monotonic() + wait_s
    while True:
        sent = httpx.get(f"{url}/wechat-sim/sent", params={"touser": openid},
                         headers={"X-Simulator-Token": token}).json()
        if sent or time.monotonic() > deadline:
            return sent
        time.sleep(0.2)


def test_a_clerk_accepts_a_wechat_referral_and_the_resident_is_told_on_wechat(open_page, stack):
    url, _, token, cases = stack
    page, problems = open_page(DESK)
    log_in(page, url, "clerk1", path="/console/login?next=%2Fconsole%2Fqueue")
    expect(page).to_have_url(url + "/console/queue")
    rows = page.locator("#referrals tbody tr")
    expect(rows).to_have_count(4)  # 茂林镇's four, never 双山镇's
    expect(page.locator("#referrals")).not_to_contain_text(cases["other"])
    expect(rows.first).to_have_attribute("data-case", cases["urgent"])  # urgent on top
    expect(rows.first.locator(".tag.urgent")).to_have_text("急难")
    overdue = page.locator(f'tr[data-case="{cases["old"]}"] .tag.overdue')
    expect(overdue).to_contain_text("已超期")
    expect(page.locator("#overdue-count")).to_contain_text("有 1 张工单已超过办理时限")
    expect(page.locator("#referrals")).not_to_contain_text("13912345678")
    shot(page, "list")
    page.locator(f'a.case:text("{cases["wechat"]}")').click()
    expect(page.locator("#status")).to_have_text("待受理")
    expect(page.locator("#clock")).to_contain_text("3 个工作日")
    expect(page.locator("#checklist")).to_contain_text("最低生活保障")
    expect(page.locator("#phone")).to_have_text("139****5678")
    expect(page.locator("#transcript")).to_contain_text("想申请低保")
    expect(page.locator("main")).not_to_contain_text("13912345678")
    shot(page, "detail")
    page.locator("#to_status").select_option("accepted")
    page.locator("#change").click()
    expect(page.locator("#done")).to_contain_text("状态已更新")
    expect(page.locator("#status")).to_have_text("已受理")
    expect(page.locator("#events")).to_contain_text("已通过微信客服消息告知居民")
    shot(page, "accepted")
    sent = delivered(url, token)
    assert len(sent) == 1, sent
    assert cases["wechat"] in sent[0]["content"] and "已受理" in sent[0]["content"]
    assert "茂林镇" in sent[0]["content"]  # where to go: the township's office
    # a resident who has not written for three days: a subscription message instead (no 48-hour window)
    page.goto(f"{url}/console/queue/{cases['lapsed']}")
    page.locator("#to_status").select_option("accepted")
    page.locator("#change").click()
    expect(page.locator("#events")).to_contain_text("已发微信订阅通知")
    sent = delivered(url, token, LAPSED)
    assert len(sent) == 1 and sent[0]["msgtype"] == "subscribe", sent
    assert sent[0]["content"].startswith(f"[订阅] {cases['lapsed']} 已受理")
    assert problems == []


def test_on_a_390px_phone_the_queue_and_a_referral_fit_and_work(open_page, stack):
    url, _, _, cases = stack
    page, problems = open_page(PHONE)
    log_in(page, url, "clerk1", path="/console/login?next=%2Fconsole%2Fqueue")
    expect(page).to_have_url(url + "/console/queue")
    expect(page.locator("#referrals tbody tr").first).to_be_visible()
    assert no_horizontal_scroll(page)
    shot(page, "phone-list")
    page.goto(f"{url}/console/queue/{cases['urgent']}")
    assert no_horizontal_scroll(page)
    assert page.locator("#change").bounding_box()["height"] >= 44
    page.locator("#to_status").select_option("accepted")
    page.locator("#change").click()
    expect(page.locator("#status")).to_have_text("已受理")
    page.locator("#to_status").select_option("needs_materials")
    page.locator("#change").click()
    expect(page.locator("#error")).to_contain_text("要补哪些材料")  # told in place, nothing changed
    page.locator("#to_status").select_option("needs_materials")
    page.locator("#materials").fill("户口本、身份证")
    page.locator("#change").click()
    expect(page.locator("#status")).to_have_text("待补材料")
    expect(page.locator("#events")).to_contain_text("居民下次打开网页对话时会看到")
    assert no_horizontal_scroll(page)
    shot(page, "phone-detail")
    assert problems == []
