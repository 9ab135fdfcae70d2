"""转人工 end to end in real headless Chromium at 1366×768: a web chat resident asks for a person, an agent
claims the conversation in the console, replies (starting from a canned reply), the resident's page shows
the reply, the agent hands back and the bot answers again. No model: the engine is a stand-in that answers
every message with one line, and on "人工" does what the action server does (POST /api/alerts with the
service token). Screenshots: var/screenshots/handoff-*.png.

Needs /usr/bin/chromium (`make chromium`).
"""
from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.orm import Session

import bot.app
import bot.services
from bot.staff.alerts.service import HANDOFF_TO_STAFF
from bot.channels import inbox
from bot.staff import handoff
from bot.db.session import make_engine
from bot.engine.client import BotMessage
from bot.settings import get_settings
from bot.staff import accounts
from bot.staff.config import StaffConfig
from tests.browser.conftest import offline_env, serve
from tests.browser.test_console import DESK, EXPECTED_STATUS, SCREENSHOTS
from tests.conftest import free_port

import playwright.sync_api as playwright_sync

expect = playwright_sync.expect
pytestmark = [pytest.mark.browser]
PASSWORD = "Shuangliao 2026 ok"
FAVICON_404 = "Failed to load resource: the server responded with a status of 404 (Not Found)"


class HandingOverEngine:
    """The engine without a model: "人工" → the action server's call that hands the conversation over."""

    app_url = ""
    asked: list[str] = []

    def __init__(self, base_url: str, token: str, timeout_s: float):
        self.http = httpx.AsyncClient(timeout=10)
        self.said: list[tuple[float, str]] = []  # what this stand-in answered, for its tracker

    async def parse(self, text):
        return {"text": text, "intent": {"name": "greet", "confidence": 0.9}, "entities": [], "danger": None}

    async def send(self, sender, text, metadata=None):
        HandingOverEngine.asked.append(text)
        if "人工" in text:
            answer = await self.http.post(f"{self.app_url}/api/alerts", json={
                "sender": sender, "channel": "webchat", "text": text, "intent": "request_human"},
                headers={"Authorization": f"Bearer {get_settings().service_token}"})
            self.said += [(time.time(), m) for m in answer.json()["messages"]]
            return [BotMessage(m) for m in answer.json()["messages"]]
        self.said.append((time.time(), "小助手：" + text))
        return [BotMessage("小助手：" + text)]

    async def command(self, sender, payload, metadata=None):
        return await self.send(sender, payload, metadata)

    async def active_loop(self, sender):
        return None

    async def set_slot(self, sender, name, value):
        return None

    async def tracker(self, sender, events=True):
        return {"slots": {"programme": "dibao", "household_size": 2},
                "events": [{"event": "bot", "text": text, "timestamp": at} for at, text in self.said]}

    async def ready(self):
        return True

    async def close(self):
        await self.http.aclose()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    var = tmp_path_factory.mktemp("handoffs")
    database_url = f"sqlite:///{var / 'app.db'}"
    port = free_port()
    with offline_env(database_url) as env:
        env.setattr(bot.services, "EngineClient", HandingOverEngine)
        HandingOverEngine.app_url = f"http://127.0.0.1:{port}"
        app = bot.app.create_app(replace(get_settings(), app_port=port, engine_timeout_s=1.0, rate_limit_factor=1.0))
        with serve(app, port) as url:
            engine = make_engine(database_url)
            with Session(engine) as db:  # the schema is there once the app has started
                accounts.create(db, StaffConfig(), "agent1", "agent", PASSWORD)
                db.commit()
            yield url, engine
            engine.dispose()


def opened(browser):
    context = browser.new_context(viewport=DESK, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning")
            and not EXPECTED_STATUS.match(m.text) else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return page, problems


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"handoff-{name}.png"), full_page=True)


def say(page, text: str) -> None:
    page.locator("#input").fill(text)
    page.locator("#send").click()
    expect(page.locator("#typing")).to_have_count(0, timeout=15_000)


def test_a_web_resident_is_answered_by_an_agent_and_handed_back_to_the_bot(browser, stack):
    url, engine = stack
    resident, resident_problems = opened(browser)
    resident.goto(url + "/chat")
    say(resident, "我要找人工")
    expect(resident.locator(".msg.bot").last).to_have_text(HANDOFF_TO_STAFF)
    say(resident, "我家低保停了，电话13812345678")
    expect(resident.locator(".msg.bot").last).to_have_text(handoff.ACKNOWLEDGEMENT)
    assert HandingOverEngine.asked == ["我要找人工"]  # the bot is quiet while staff have it

    with Session(engine) as db:  # an older WeChat handoff another agent has, whose resident wrote danger words
        handoff.start(db, "wx-oOlderResident0000001", reason="requested")
        db.get(handoff.Handoff, "wx-oOlderResident0000001").since -= timedelta(minutes=42)
        db.commit()
        inbox.mark(db, inbox.record(db, "wechat", "wx-oOlderResident0000001", "活不下去了 电话13900001111"), "for_staff")
        handoff.claim(db, "wx-oOlderResident0000001", "agent2")

    agent, agent_problems = opened(browser)
    agent.goto(url + "/console/handoffs")
    agent.locator("#username").fill("agent1")
    agent.locator("#password").fill(PASSWORD)
    agent.locator("#login").click()
    expect(agent).to_have_url(url + "/console/handoffs")
    rows = agent.locator("#waiting tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("微信")  # oldest first
    expect(rows.first).to_contain_text("42 分钟")
    expect(rows.first).to_contain_text("agent2")  # its owner, visible to everyone
    expect(rows.first).to_contain_text("可能有危险")
    expect(rows.last).to_contain_text("网页聊天")
    expect(rows.last).to_contain_text("无人接手")
    expect(agent.locator("#waiting")).not_to_contain_text("活不下去")  # no text in the list
    shot(agent, "inbox")
    rows.last.locator("a", has_text="打开").click()
    expect(agent.locator("#transcript")).to_contain_text("我家低保停了，电话138****5678")
    expect(agent.locator("#transcript")).not_to_contain_text("13812345678")
    expect(agent.locator("#form-data")).to_contain_text("2口人")
    expect(agent.locator("#transcript .line.bot")).to_contain_text("工作人员会在这里回复您")  # the bot's side too
    agent.locator("#claim").click()
    expect(agent.locator("#notice")).to_contain_text("已接手")
    expect(agent.locator("#owner-name")).to_have_text("agent1")
    agent.locator("#canned").select_option("dibao.materials")
    agent.locator("#use-canned").click()
    expect(agent.locator("#reply")).to_have_value(__import__("re").compile(r"^【低保·要带的材料】"))
    agent.locator("#reply").fill("您好，我是民政局的小王。低保停发要书面告诉您理由，我帮您问一下乡镇。")
    agent.locator("#note").fill("居民说低保停了，明天打电话问茂林镇")
    agent.locator("#save-note").click()
    expect(agent.locator("#notice")).to_contain_text("备注已保存")
    agent.locator("#reply").fill("您好，我是民政局的小王。低保停发要书面告诉您理由，我帮您问一下乡镇。")
    agent.locator("#send").click()
    expect(agent.locator("#notice")).to_have_text("已发送。")
    expect(agent.locator("#transcript .line.staff")).to_contain_text("我是民政局的小王")
    expect(agent.locator("#transcript .line.note")).to_contain_text("明天打电话问茂林镇")
    boxes = [agent.locator(f"#transcript .line.{who}").bounding_box()["y"] for who in ("note", "staff")]
    assert boxes[0] < boxes[1]  # oldest first on screen, the newest at the bottom
    shot(agent, "conversation")
    assert agent.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    staff_said = resident.locator(".msg.staff")
    expect(staff_said).to_have_count(1, timeout=10_000)  # fetched by the page within a few seconds
    expect(staff_said).to_contain_text("我是民政局的小王")
    expect(resident.locator("#messages")).not_to_contain_text("茂林镇")  # the note never reaches the resident
    shot(resident, "resident-reply")

    agent.locator("#back").click()
    expect(agent).to_have_url(url + "/console/handoffs?done=back")
    expect(agent.locator("#waiting tbody tr")).to_have_count(1)  # only agent2's is left
    expect(staff_said).to_have_count(2, timeout=10_000)
    expect(staff_said.last).to_have_text(handoff.BACK_TO_BOT)
    say(resident, "低保怎么申请")
    expect(resident.locator(".msg.bot").last).to_have_text("小助手：低保怎么申请")  # the bot answers again
    shot(resident, "resident-back-to-bot")
    assert HandingOverEngine.asked == ["我要找人工", "低保怎么申请"]
    assert agent_problems == []
    # the chat page has no icon of its own: Chromium's /favicon.ico request is the one 404 it may log
    assert [p for p in resident_problems if p != FAVICON_404] == []
