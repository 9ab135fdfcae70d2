"""会话审阅 in real headless Chromium at 1366×768: a reviewer lists conversations (seeded into a SQLite
database shaped as Rasa's SQL event broker writes it), filters by low confidence, opens one, corrects a
turn's intent with its one-click form, marks it reviewed; an agent gets the 403 page.
Screenshots: var/screenshots/console-review-*.png. Needs /usr/bin/chromium (`make chromium`).
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.session import make_engine
from bot.staff.review.models import ReviewTurn
from tests.browser.conftest import serve_offline
from tests.browser.test_console import (create_user, expect, log_in, no_horizontal_scroll,  # noqa: F401 (fixtures)
                                        open_page, shot)
from tests.staff.review.conftest import CONVERSATIONS, T0, bot, user, write_events

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    """(app URL, database URL): the app on its own port, reading the seeded broker database."""
    var = tmp_path_factory.mktemp("review")
    database_url = f"sqlite:///{var / 'app.db'}"
    for username, role in (("reviewer1", "reviewer"), ("agent1", "agent")):
        create_user(database_url, username, role, None)
    long = []
    for n in range(30):
        long += [user(f"问第{n}个问题", "ask_policy", 0.6 + n / 100, T0 + 500 + 2 * n),
                 bot(f"第{n}个回答：" + "材料包括身份证、户口本和收入证明。" * 3, T0 + 501 + 2 * n)]
    write_events(var / "events.db", {**CONVERSATIONS, "wx-o1234567890abcdef": long})
    broker_url = f"sqlite:///{var / 'events.db'}"
    with serve_offline(database_url, rate_limit_factor=1.0, event_broker_url=broker_url) as url:
        yield url, database_url


def test_reviewer_lists_opens_and_corrects_a_turn(open_page, console):
    url, database_url = console
    page, problems = open_page()
    log_in(page, url, "reviewer1", path="/console/login?next=/console/review")
    expect(page).to_have_url(url + "/console/review")
    expect(page.locator("#count")).to_contain_text("共 6 个会话")
    assert no_horizontal_scroll(page)
    shot(page, "review-list")

    page.locator("#below").fill("0.5")
    page.locator("#search").click()
    expect(page.locator("#count")).to_contain_text("共 2 个会话")
    row = page.locator("#conversations tbody tr").filter(has_text="web-a")
    row.locator("a.open").click()
    expect(page.locator("h1")).to_contain_text("会话 web-a")
    turn = page.locator("#turn-2")
    expect(turn.locator(".text").first).to_have_text("我电话139****5678")
    expect(turn.locator(".conf")).to_have_text("0.41")
    expect(page.locator("#intent-1")).to_have_value("")   # dibao_apply is no domain intent: nothing preselected
    shot(page, "review-conversation")

    turn.locator("select").select_option("request_human")
    turn.locator("#save-2").click()
    expect(page.locator("#done")).to_contain_text("已保存意图改正")
    expect(page.locator("#turn-2")).to_have_class("turn corrected")
    expect(page.locator("#turn-2 label")).to_have_text("已改正为")
    page.locator("#mark-reviewed").click()
    expect(page.locator("#reviewed-state")).to_contain_text("已审阅")
    assert no_horizontal_scroll(page)
    shot(page, "review-corrected")
    with Session(make_engine(database_url)) as session:
        corrected = session.scalars(select(ReviewTurn).where(ReviewTurn.corrected_intent.is_not(None))).all()
        assert [(t.text, t.intent, t.corrected_intent) for t in corrected] == [
            ("我电话139****5678", "inform", "request_human")]

    page.goto(url + "/console/review")
    page.locator("#insights").click()
    expect(page.locator("#confused tbody tr")).to_have_count(1)
    expect(page.locator("#confused tbody tr")).to_contain_text("request_human")
    assert no_horizontal_scroll(page)
    shot(page, "review-insights")
    page.locator("#low tbody tr a").first.click()  # the turns below the threshold themselves, each linked
    expect(page).to_have_url(re.compile(r"/console/review/turns\?since=.*below=0\.55"))

    page.goto(url + "/console/review")
    page.locator("#conversations a.open").filter(has_text="abcdef").click()
    expect(page.locator("#turn-pages")).to_contain_text("第 1 / 2 页")
    assert page.locator("li.turn").count() == 20 and no_horizontal_scroll(page)
    shot(page, "review-long")
    assert problems == []


def test_an_agent_gets_the_403_page(open_page, console):
    url, _ = console
    page, _ = open_page()
    log_in(page, url, "agent1")
    response = page.goto(url + "/console/review")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("您的角色不能使用这个页面")
    shot(page, "review-forbidden-agent")


def test_reviewer_filters_by_township_annotates_an_entity_and_saves_a_test_story(open_page, console):
    import yaml
    from pathlib import Path

    from tests.staff.review.conftest import action, loop, slot

    url, database_url = console
    place = {"code": "220382101", "name": "双山镇", "place": "秀水村", "urban": False, "text": "双山镇秀水村"}
    write_events(Path(database_url.removeprefix("sqlite:///")).parent / "events.db", {"web-place": [
        user("俺想申请个低保 家里难", "seek_help", 0.7, T0 + 900), action("prescreen_form", T0 + 901),
        loop("prescreen_form", T0 + 902), bot("您家住在哪个乡镇？", T0 + 903),
        user("双山镇秀水村", "choose_option", 0.5, T0 + 904), slot("place", place, T0 + 905),
        action("prescreen_form", T0 + 906), bot("家里几口人？", T0 + 907)]})
    page, problems = open_page()
    log_in(page, url, "reviewer1", path="/console/login?next=/console/review")
    page.locator("#township").select_option(label="双山镇")
    page.locator("#search").click()
    expect(page.locator("#count")).to_contain_text("共 1 个会话")
    assert no_horizontal_scroll(page)
    page.locator("#conversations a.open").first.click()
    expect(page.locator("h1 #township")).to_have_text("双山镇")

    page.locator("#span-1").fill("低保")
    page.locator("#value-1").fill("dibao")
    page.locator("#add-entity-1").click()
    expect(page.locator("#done")).to_contain_text("已保存实体改正")
    expect(page.locator("#entities-1")).to_contain_text("低保 → programme=dibao")
    expect(page.locator("#turn-1 label")).to_have_text("正确意图")      # the intent control is as it was
    page.locator("#span-2").fill("电话")
    page.locator("#value-2").fill("dibao")
    page.locator("#add-entity-2").click()
    expect(page.locator("#done")).to_contain_text("这句话里没有这几个字")

    page.locator("#save-story").click()
    expect(page.locator("#story-state")).to_contain_text("已存（reviewer1）")
    assert no_horizontal_scroll(page)
    shot(page, "review-entities-story")
    with page.expect_download() as download:
        page.locator("#story-download").click()
    story = yaml.safe_load(Path(download.value.path()).read_text(encoding="utf-8"))["stories"][0]
    assert story["steps"][:3] == [
        {"user": '俺想申请个[低保]{"entity": "programme", "value": "dibao"} 家里难\n', "intent": "seek_help"},
        {"action": "prescreen_form"}, {"active_loop": "prescreen_form"}]
    assert problems == []
