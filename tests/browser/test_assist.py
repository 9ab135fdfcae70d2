"""坐席助手 in real headless Chromium at 1366×768 against the live stack (trained model, engine, actions, app):
an agent logs in, types what a caller says, sees the triage and the checklist fill, ticks consent, opens the
referral and reads the case number; then a caller in danger gets the emergency script first.
Screenshots: var/screenshots/assist-*.png. Needs /usr/bin/chromium (`make chromium`).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

import playwright.sync_api as playwright_sync
import pytest
from sqlalchemy import select

from bot.intake.models import Referral
from bot.settings import ROOT
from bot.staff.models import AuditEntry

expect = playwright_sync.expect
pytestmark = [pytest.mark.engine, pytest.mark.browser]

DESK = {"width": 1366, "height": 768}
SCREENSHOTS = ROOT / "var" / "screenshots"
PASSWORD = "Shuangliao 2026 ok"
CALLER = "您好，我是茂林镇的，俺家三口人，老伴瘫在炕上，一个月收入就一千来块，想申请低保，我叫刘桂芝，电话139 4342 1234"


@pytest.fixture(scope="module")
def agent(stack_settings, live_app_url) -> str:
    """An agent account in the live stack's database, made with the real command line (password on stdin)."""
    args = [sys.executable, "-m", "bot.cli", "admin", "create-user", "--username", "zuoxi1", "--role", "agent"]
    done = subprocess.run(args, input=PASSWORD + "\n", capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DATABASE_URL": stack_settings.database_url})
    assert done.returncode == 0, done.stderr
    return "zuoxi1"


@pytest.fixture(scope="module")
def page(browser, agent, live_app_url):
    context = browser.new_context(viewport=DESK, locale="zh-CN")
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type in ("error", "warning") else None)
    tab.on("pageerror", lambda exc: tab.problems.append(str(exc)))
    tab.goto(f"{live_app_url}/console/assist")
    tab.fill("#username", agent)
    tab.fill("#password", PASSWORD)
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"{live_app_url}/console/assist")
    yield tab
    context.close()


def shot(tab, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"assist-{name}.png"))


def test_an_agent_goes_from_the_callers_first_words_to_a_case_number(page, app_db):
    expect(page.locator("#said")).to_be_focused()  # keyboard first: the agent types at once
    page.keyboard.type(CALLER[:40], delay=5)  # the caller's first words, then a pause
    expect(page.locator("#programme")).to_have_text("低保", timeout=10_000)
    page.keyboard.type(CALLER[40:], delay=5)
    expect(page.locator("#f-contact_phone")).to_have_value("13943421234", timeout=10_000)
    expect(page.locator("#intent")).not_to_be_empty()
    expect(page.locator("#f-household_size")).to_have_value("3")
    expect(page.locator("#f-township")).to_have_value("220382100")
    expect(page.locator("#f-income_low")).to_have_value("1000")
    expect(page.locator("#f-contact_name")).to_have_value("刘桂芝")
    assert page.locator("#f-members input[value=disabled]").is_checked()
    expect(page.locator("#replies li .source").first).to_contain_text(re.compile("依据|话术"))
    expect(page.locator("#facts h3").first).to_have_text("申请条件")
    expect(page.locator("#facts .source").first).to_contain_text("依据：")
    expect(page.locator("#status")).to_contain_text("已更新")
    expect(page.locator("#consent-text")).to_contain_text("茂林镇人民政府社会救助窗口")
    expect(page.locator("#screen")).to_contain_text("低保")
    shot(page, "typed")
    page.locator("#f-household_size").fill("4")  # the agent corrects a field: later typing leaves it alone
    page.locator("#said").press("End")
    page.locator("#said").type("，家里没有车", delay=5)
    expect(page.locator("#f-assets input[name=assets_none]")).to_be_checked(timeout=10_000)
    expect(page.locator("#f-household_size")).to_have_value("4")
    page.locator("#open-referral").click()
    expect(page.locator("#referral-error")).to_contain_text("同意")  # consent is read and ticked first
    page.keyboard.press("Alt+3")  # the consent box by its key (ticks it)
    expect(page.locator("#consent")).to_be_checked()
    page.keyboard.press("Alt+4")  # and the referral by its key
    case = page.locator("#case-number")
    expect(case).to_have_text(re.compile(r"^SL-\d{4}-\d{6}$"), timeout=10_000)
    expect(page.locator("#case-office")).to_contain_text("茂林镇人民政府社会救助窗口")
    assert page.evaluate("parseFloat(getComputedStyle(document.getElementById('case-number')).fontSize)") >= 32
    shot(page, "referral")
    page.select_option("#w-intent", "seek_help")
    page.fill("#w-notes", "老伴瘫痪，已开转介")
    page.locator("#save-wrapup").click()
    expect(page.locator("#wrapup-done")).to_contain_text("已保存")
    number = case.inner_text()
    referral = app_db.scalars(select(Referral).where(Referral.case_number == number)).one()
    assert (referral.channel, referral.contact_phone, referral.township_code) == ("12345", "13943421234", "220382100")
    assert "家里人口：4口人" in referral.summary and "家里财产：都没有" in referral.summary
    assert app_db.scalars(select(AuditEntry).where(AuditEntry.subject == f"referral:{number}")).one().actor_name == "zuoxi1"
    assert page.problems == []


def test_a_caller_in_danger_gets_the_emergency_script_first(page, live_app_url):
    page.goto(f"{live_app_url}/console/assist")
    page.locator("#said").type("俺家老头喝农药了，叫不醒", delay=5)
    banner = page.locator("#banner.danger")
    expect(banner).to_be_visible(timeout=10_000)
    expect(banner.locator("li").first).to_contain_text("110")
    box = banner.bounding_box()
    replies = page.locator("#replies").bounding_box()
    assert box["y"] < replies["y"] and box["y"] + box["height"] <= DESK["height"]  # above the replies, on screen
    shot(page, "emergency")
    assert page.problems == []
