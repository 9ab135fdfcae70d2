"""The residents' web chat page, driven in real headless Chromium against the whole live stack.

Needs /usr/bin/chromium (`make chromium`); Playwright never downloads a browser here.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import playwright.sync_api as playwright_sync

expect = playwright_sync.expect

pytestmark = [pytest.mark.browser, pytest.mark.engine]

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}
BOT_WAIT_MS = 30_000
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
NET_ERROR = "网络不太好，消息没发出去，请再试一次。"


@pytest.fixture
def open_chat(browser, live_app_url: str):
    """Open /chat on a phone-sized page; returns (page, page_errors). Closes the context afterwards."""
    contexts = []

    def _open(viewport: dict[str, int] = PHONE):
        context = browser.new_context(viewport=viewport, is_mobile=True, has_touch=True, device_scale_factor=2,
                                      locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_app_url}/chat")
        expect(page.locator(".msg.bot").first).to_be_visible()
        return page, errors

    yield _open
    for context in contexts:
        context.close()


def send_text(page, text: str) -> None:
    page.locator("#input").fill(text)
    page.locator("#send").click()


def bot_answers(page):
    """Bot bubbles after the resident's first message (the greeting is not an answer)."""
    return page.locator(".msg.user ~ .msg.bot")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("""() => {
        const d = document.documentElement, b = document.body;
        const widest = Math.max(d.scrollWidth, b.scrollWidth);
        const overflowing = [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > d.clientWidth + 1).map(el => el.id || el.className);
        return widest <= d.clientWidth && overflowing.length === 0;
    }""")


def test_page_loads_with_greeting_and_quick_replies(open_chat):
    page, errors = open_chat()
    expect(page).to_have_title("救助小助手 · 双辽市民政局")
    greeting = page.locator(".msg.bot").first
    expect(greeting).to_contain_text("救助小助手")
    chips = page.locator(".chip")
    expect(chips).to_have_count(4)
    for label in ("低保怎么申请", "家里遇到难处了", "查办理进度", "找工作人员"):
        expect(page.locator(".chip", has_text=label)).to_be_visible()
    for number in ("110", "120", "119"):
        expect(page.locator(f'a[href="tel:{number}"]')).to_be_visible()
    expect(page.get_by_text("不要发身份证号、银行卡号")).to_be_visible()
    # Big enough for old eyes and thick fingers.
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    for selector in ("#send", ".chip"):
        assert page.locator(selector).first.bounding_box()["height"] >= 44
    assert page.locator(".msg.user").count() == 0
    assert errors == []


def test_question_gets_an_answer_about_dibao(open_chat):
    page, errors = open_chat()
    send_text(page, "低保要什么条件")
    expect(page.locator(".msg.user").last).to_have_text("低保要什么条件")
    expect(page.locator("#input")).to_have_value("")
    expect(bot_answers(page).filter(has_text="低保").first).to_be_visible(timeout=BOT_WAIT_MS)
    expect(page.locator("#typing")).to_have_count(0)
    expect(page.locator("#send")).to_be_enabled()
    # The newest message is scrolled into view.
    assert page.evaluate("""() => { const m = document.getElementById('messages');
        return m.scrollHeight - m.scrollTop - m.clientHeight < 4; }""")
    assert errors == []


def test_numbered_menu_shows_number_chips_that_answer(open_chat):
    page, errors = open_chat()
    page.locator(".chip", has_text="低保怎么申请").click()
    expect(page.locator(".msg.user").last).to_have_text("低保怎么申请")
    expect(bot_answers(page).first).to_be_visible(timeout=BOT_WAIT_MS)
    if page.locator('.chip[data-kind="menu"]').count() == 0:  # all answers of a turn render at once
        send_text(page, "低保要什么条件")  # a policy answer always ends with the "还需要什么？" menu
    menu_chips = page.locator('.chip[data-kind="menu"]')
    expect(menu_chips.first).to_be_visible(timeout=BOT_WAIT_MS)
    numbers = menu_chips.evaluate_all("els => els.map(e => e.dataset.send)")
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)] and len(numbers) >= 2
    # A chip shows the number and its label; tapping it sends just the number.
    expect(menu_chips.first).to_contain_text(re.compile(r"^1 \S"))

    before = bot_answers(page).count()
    menu_chips.first.click()
    expect(page.locator(".msg.user").last).to_have_text("1")
    expect(bot_answers(page).nth(before)).to_be_visible(timeout=BOT_WAIT_MS)
    assert bot_answers(page).nth(before).inner_text().strip()
    expect(page.locator("#typing")).to_have_count(0, timeout=BOT_WAIT_MS)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "webchat.png"))
    assert (SCREENSHOTS / "webchat.png").stat().st_size > 0
    assert errors == []


def test_emoji_only_gets_a_polite_answer(open_chat):
    page, errors = open_chat()
    send_text(page, "😀👍🙏")
    expect(page.locator(".msg.user").last).to_have_text("😀👍🙏")
    answer = bot_answers(page).first
    expect(answer).to_be_visible(timeout=BOT_WAIT_MS)
    expect(answer).to_have_text(re.compile(r"\S"))
    assert errors == []


def test_no_horizontal_scroll_at_320px(open_chat):
    page, errors = open_chat(NARROW)
    assert no_horizontal_scroll(page)
    # A long unbroken line (a pasted number or link) must wrap, not widen the page.
    send_text(page, "1234567890" * 12 + " https://example.invalid/" + "a" * 80)
    expect(bot_answers(page).first).to_be_visible(timeout=BOT_WAIT_MS)
    assert no_horizontal_scroll(page)
    assert errors == []


def chips_fit(page) -> None:
    """Every chip shown is inside the viewport's width and big enough to tap."""
    width = page.evaluate("document.documentElement.clientWidth")
    for box in page.locator(".chip").evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.height]; })"):
        assert box[0] >= 0 and box[1] <= width + 0.5 and box[2] >= 44, (box, width)


def test_prescreen_by_chips_at_320px(open_chat):
    """A whole pre-screen on the narrowest phone, answered by tapping: several people picked with two chips
    and 确定 (sent together as "1 5"), 都没有 at once, then 对 / 要改 at the summary and 同意 / 不同意 at consent."""
    page, errors = open_chat(NARROW)
    send_text(page, "我想申请救助 是我妈家")  # kin named, not said to be someone else's home: 为谁问 is asked
    page.locator('.chip[data-kind="choice"]', has_text="帮亲戚").click(timeout=BOT_WAIT_MS)
    expect(page.locator(".msg.user").last).to_have_text("2")  # the chip's payload, read as if typed
    for answer in ("双山镇秀水村", "仨", "一个月一千来块"):
        expect(page.locator("#typing")).to_have_count(0, timeout=BOT_WAIT_MS)
        send_text(page, answer)

    options = page.locator('.chip[data-kind="option"]')
    expect(options.first).to_be_visible(timeout=BOT_WAIT_MS)
    expect(bot_answers(page).last).to_contain_text("家里有没有下面这些人")
    assert page.locator('.chip[data-kind="menu"]').count() == 0  # the answer's chips, not the numbers in its text
    confirm = page.locator('.chip[data-kind="confirm"]')
    expect(confirm).to_have_text("确定")
    expect(confirm).to_be_disabled()  # nothing picked yet
    elderly, ill, child = (options.filter(has_text=t) for t in ("60岁以上老人", "重病、大病病人", "16岁以下孩子"))
    ill.click()
    child.click()
    elderly.click()
    child.click()  # a second tap takes it back
    expect(elderly).to_have_attribute("aria-pressed", "true")
    expect(ill).to_have_attribute("aria-pressed", "true")
    expect(child).to_have_attribute("aria-pressed", "false")
    assert bot_answers(page).count() and page.locator(".msg.user").last.inner_text() == "一个月一千来块"  # nothing sent
    expect(confirm).to_be_enabled()
    expect(confirm).to_contain_text("确定")
    chips_fit(page)
    assert no_horizontal_scroll(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "webchat-multiselect-320.png"))
    confirm.click()
    expect(page.locator(".msg.user").last).to_have_text("1 5")  # in the options' order, not the taps'

    summary_yes = page.locator('.chip[data-kind="choice"]', has_text=re.compile(r"^对$"))
    for _ in range(7):  # the questions left depend on the answers: "都没有" (or 没有, for support) to each
        expect(page.locator("#typing")).to_have_count(0, timeout=BOT_WAIT_MS)
        if summary_yes.count():
            break
        page.locator('.chip[data-kind="choice"]', has_text=re.compile(r"^(都)?没有$")).first.click()
        expect(page.locator(".msg.user").last).to_have_text(re.compile(r"(都)?没有|1"))
    expect(bot_answers(page).last).to_contain_text("家里有：60岁以上老人、重病、大病病人")
    labels = page.locator(".chip").evaluate_all("els => els.map(e => e.textContent)")
    assert labels == ["对", "要改"]  # not nine numbered chips from the summary's lines
    chips_fit(page)

    summary_yes.click()
    expect(page.locator(".msg.user").last).to_have_text("对")
    expect(page.locator(".chip", has_text="不同意")).to_be_visible(timeout=BOT_WAIT_MS)
    labels = page.locator(".chip").evaluate_all("els => els.map(e => e.textContent)")
    assert labels == ["同意", "不同意"]
    chips_fit(page)
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "webchat-consent-320.png"))
    page.locator(".chip", has_text=re.compile(r"^同意$")).click()
    expect(page.locator(".msg.user").last).to_have_text("同意")
    expect(bot_answers(page).last).to_contain_text("留个能打通的电话", timeout=BOT_WAIT_MS)
    assert errors == []


# -- behaviour that does not depend on the model's answer (the API is stubbed per test) --------

def test_enter_sends_but_ime_composition_does_not(open_chat):
    page, errors = open_chat()
    posted: list[dict] = []

    issued = "A" * 24 + "." + "b" * 22  # the shape of a sender token the app issues

    def fake(route):
        posted.append(json.loads(route.request.post_data))
        route.fulfill(status=200, content_type="application/json",
                      body=json.dumps({"sender": issued, "messages": ["第一行\n第二行"]}, ensure_ascii=False))

    page.route("**/api/chat", fake)
    box = page.locator("#input")
    box.fill("低保")
    box.dispatch_event("keydown", {"key": "Enter", "keyCode": 229, "isComposing": True})
    page.wait_for_timeout(300)
    assert posted == [] and box.input_value() == "低保"
    # Empty input does nothing.
    box.fill("   ")
    page.locator("#send").click()
    page.wait_for_timeout(300)
    assert posted == []

    held = []
    page.unroute("**/api/chat")
    page.route("**/api/chat", lambda route: held.append(route))  # answer later: the page must show it waits
    box.fill("低保")
    box.press("Enter")
    expect(page.locator("#typing")).to_have_text("正在输入…")
    expect(page.locator("#send")).to_be_disabled()
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    fake(held[0])
    expect(bot_answers(page).first).to_have_text("第一行\n第二行")
    expect(page.locator("#typing")).to_have_count(0)
    expect(page.locator("#send")).to_be_enabled()
    assert page.evaluate("getComputedStyle(document.querySelector('.msg.user ~ .msg.bot')).whiteSpace") == "pre-wrap"
    assert len(posted) == 1 and posted[0]["text"] == "低保"
    assert posted[0]["sender"] is None  # a new visitor: the app issues the sender with its answer
    assert issued in page.evaluate("Object.values(localStorage)")
    page.unroute("**/api/chat")
    page.route("**/api/chat", fake)
    send_text(page, "第二句")
    expect(bot_answers(page)).to_have_count(2)
    assert posted[-1]["sender"] == issued  # kept and sent with the next message
    assert errors == []


def test_network_failure_keeps_the_text_and_bot_text_is_not_html(open_chat):
    page, errors = open_chat()
    page.route("**/api/chat", lambda route: route.abort("internetdisconnected"))
    send_text(page, "家里遇到难处了")
    expect(page.locator(".msg.bot", has_text=NET_ERROR)).to_be_visible(timeout=BOT_WAIT_MS)
    expect(page.locator("#input")).to_have_value("家里遇到难处了")
    expect(page.locator("#send")).to_be_enabled()

    page.unroute("**/api/chat")
    page.route("**/api/chat", lambda route: route.fulfill(
        status=422, content_type="application/json",
        body=json.dumps({"error": "invalid_request", "message": "请求内容不对"}, ensure_ascii=False)))
    page.locator("#send").click()
    expect(page.locator(".msg.bot", has_text="请求内容不对")).to_be_visible()
    expect(page.locator("#input")).to_have_value("家里遇到难处了")

    page.unroute("**/api/chat")
    html = '<img src=x onerror="window.__pwned=1"><b>粗</b>'
    page.route("**/api/chat", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps({"messages": [html]})))
    page.locator("#send").click()
    expect(page.locator(".msg.bot").last).to_have_text(html)
    assert page.locator(".msg img, .msg b").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert errors == []


def test_long_text_is_capped_with_a_counter(open_chat):
    page, _ = open_chat()
    box = page.locator("#input")
    expect(page.locator("#counter")).to_be_hidden()
    box.fill("好" * 480)
    expect(page.locator("#counter")).to_be_visible()
    expect(page.locator("#counter")).to_contain_text("480")
    box.fill("好" * 600)
    assert len(box.input_value()) == 500


def test_wechat_simulator_page_plays_wechat_end_to_end(browser, live_app_url: str):
    """The demo page signs and posts WeChat XML to /wechat; passive replies show up as chat bubbles."""
    context = browser.new_context(viewport=NARROW, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_app_url}/wechat/simulator")
    page.locator("#follow").click()
    expect(page.locator(".row.them .bubble").first).to_contain_text("救助小助手", timeout=BOT_WAIT_MS)
    page.locator("#aes").check()  # safe mode: the page's messages are AES-encrypted like WeChat's
    page.locator("#input").fill("低保要啥条件")
    page.locator("#send").click()
    expect(page.locator(".row.them .bubble").last).to_contain_text("【低保·申请条件】", timeout=BOT_WAIT_MS)
    assert no_horizontal_scroll(page) and errors == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "wechat-simulator-320.png"), full_page=True)
    context.close()


def reply_with(page, replies: list[dict], posted: list[str]) -> None:
    """Stub /api/chat: each request gets the next reply; what the page sent is collected in `posted`."""
    queue = list(replies)

    def fake(route):
        posted.append(json.loads(route.request.post_data)["text"])
        route.fulfill(status=200, content_type="application/json",
                      body=json.dumps(queue.pop(0) if queue else {"messages": ["好的"]}, ensure_ascii=False))

    page.route("**/api/chat", fake)


MULTI = {"messages": ["家里有没有下面这些人？\n1 老人\n2 孩子\n3 病人\n0 都没有"],
         "chips": [{"title": "老人", "send": "1", "multi": True}, {"title": "孩子", "send": "2", "multi": True},
                   {"title": "病人", "send": "3", "multi": True}, {"title": "都没有", "send": "都没有"}]}


def test_several_options_toggle_and_confirm_sends_them_together(open_chat):
    page, errors = open_chat(NARROW)
    posted: list[str] = []
    reply_with(page, [MULTI, MULTI], posted)
    send_text(page, "申请")
    options = page.locator('.chip[data-kind="option"]')
    expect(options).to_have_count(3)
    labels = page.locator(".chip").evaluate_all("els => els.map(e => e.textContent)")
    assert labels == ["老人", "孩子", "病人", "确定", "都没有"]  # no "1 老人" chips from the text besides
    options.nth(2).click()
    options.nth(0).click()
    assert posted == ["申请"]  # a tap on an option sends nothing
    expect(options.nth(0)).to_have_attribute("aria-pressed", "true")
    expect(options.nth(1)).to_have_attribute("aria-pressed", "false")
    pressed, plain = (options.nth(n).evaluate("e => getComputedStyle(e).backgroundColor") for n in (0, 1))
    assert pressed != plain  # visibly pressed
    page.locator('.chip[data-kind="confirm"]').click()
    expect(page.locator(".msg.user").last).to_have_text("1 3")
    expect(options).to_have_count(3)  # the second MULTI reply: a fresh set, nothing picked
    expect(page.locator('.chip[aria-pressed="true"]')).to_have_count(0)
    page.locator(".chip", has_text="都没有").click()  # at once, whatever is picked
    expect(page.locator(".msg.user").last).to_have_text("都没有")
    assert posted == ["申请", "1 3", "都没有"]
    assert errors == []


def test_chips_that_came_win_over_numbers_in_the_text_and_send_their_words(open_chat):
    page, errors = open_chat()
    posted: list[str] = []
    reply_with(page, [
        {"messages": ["我记下的是这些：\n1 为谁问：我自己家\n2 住在：双山镇\n都对的话回复“对”。"],
         "chips": [{"title": "对", "send": "对"}, {"title": "要改", "send": "改一下"}]},
        {"messages": ["我没太听明白。您是想问“低保的申请条件”吗？\n请回复“是”或“不是”。"],
         "chips": [{"title": "是", "send": "是"}, {"title": "不是", "send": "不是"}]},
        {"messages": ["还需要什么？\n1 怎么申请\n2 要什么材料"]},  # a policy menu: no chips came
    ], posted)
    send_text(page, "开始")
    expect(page.locator(".chip")).to_have_count(2)
    page.locator(".chip", has_text="要改").click()
    expect(page.locator(".chip")).to_have_count(2)
    page.locator(".chip", has_text=re.compile(r"^是$")).click()
    menu = page.locator('.chip[data-kind="menu"]')
    expect(menu).to_have_count(2)
    expect(menu.first).to_have_text("1 怎么申请")
    menu.nth(1).click()
    expect(page.locator(".msg.user").last).to_have_text("2")
    assert posted == ["开始", "改一下", "是", "2"]  # never an "/intent"
    assert errors == []
