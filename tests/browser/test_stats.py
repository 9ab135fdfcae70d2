"""The statistics screen in real headless Chromium at 1366×768: the charts render with data (a canvas each,
with pixels drawn), under the page's own CSP (no violation), and a clerk sees their township's figures.
Screenshots: var/screenshots/console-stats-*.png. Needs /usr/bin/chromium (`make chromium`).
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from bot.staff.alerts.models import Alert
from bot.channels.inbox import InboundMessage
from bot.db.base import utcnow
from bot.db.session import make_engine
from bot.intake.models import Referral, ReferralEvent
from bot.staff.review.models import ReviewConversation, ReviewTurn
from tests.browser.test_console import (SCREENSHOTS, console, expect, log_in,  # noqa: F401 (fixtures)
                                       no_horizontal_scroll, open_page, shot)

pytestmark = [pytest.mark.browser]
TOWNSHIPS = ["220382100", "220382101", "220382102", "220382001"]
CHARTS = ["messages", "intents", "rates", "emergencies", "referrals", "timings", "overdue"]
# pixels of a chart's canvas that are not background: drawn bars, axes, labels
INKED = """box => { const c = box.querySelector('canvas'); if (!c) return -1;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""


@pytest.fixture(scope="module")
def seeded(console):
    """Two weeks of messages, alerts and referrals ending now, in the app's database."""
    _, database_url = console
    engine = make_engine(database_url)
    now = utcnow()
    with Session(engine) as session:
        for day in range(14):
            when = now - timedelta(days=day, minutes=5)
            for n in range(3 + day % 4):
                session.add(InboundMessage(channel="wechat" if n % 3 else "web", sender=f"web-{day}-{n % 2}",
                                           text="想问问低保", status="failed" if n == 5 else "answered",
                                           created_at=when))
            if day % 3 == 0:
                session.add(Alert(kind="emergency", category="suicide", channel="web", sender="web-x",
                                  text_masked="…", created_at=when))
            session.add(Alert(kind="handoff" if day % 2 else "complaint", channel="web", sender=f"web-{day}-0",
                              text_masked="…", created_at=when))
        for day in range(10):   # the review screen's tables, as read in from the engine's events
            talk = ReviewConversation(sender_id=f"web-{day}-0", channel="web", started_at=now - timedelta(days=day),
                                      last_at=now - timedelta(days=day), turns=4, fallback=day % 4 == 0)
            session.add(talk)
            session.flush()
            for seq, intent in enumerate(["greet", "ask_dibao", "ask_tekun" if day % 2 else "nlu_fallback",
                                          "ask_materials"][: 2 + day % 3]):
                session.add(ReviewTurn(conversation_id=talk.id, seq=seq, at=now - timedelta(days=day), text="…",
                                       intent=intent))
        for n in range(12):
            received = now - timedelta(days=n + 1)
            status = ["pending", "accepted", "closed", "home_visit"][(n + n // 4) % 4]
            referral = Referral(case_number=f"SL-2026-{900 + n:06d}", idempotency_key=f"stats-{n}",
                                kind=["apply", "urgent", "discovery"][n % 3], channel="web",
                                township_code=TOWNSHIPS[n % len(TOWNSHIPS)], contact_phone="13912345678",
                                status=status, created_at=received)
            referral.events = [ReferralEvent(actor="test", kind="created", to_status="pending", at=received)]
            if status != "pending":
                referral.events.append(ReferralEvent(actor="clerk1", kind="status", to_status="accepted",
                                                     at=received + timedelta(hours=3 + n)))
            if status == "closed":
                referral.events.append(ReferralEvent(actor="clerk1", kind="status", to_status="closed",
                                                     at=received + timedelta(hours=20 + n)))
            session.add(referral)
        session.commit()
    engine.dispose()
    return console


def test_the_charts_render_with_data(open_page, seeded):
    url, _ = seeded
    page, problems = open_page()
    log_in(page, url, "admin1", path="/console/login?next=%2Fconsole%2Fstats")
    expect(page).to_have_url(url + "/console/stats")
    expect(page.locator("h1")).to_have_text("统计")
    expect(page.locator("#charts")).to_have_attribute("data-ready", "1")
    for name in CHARTS:
        box = page.locator(f"#chart-{name}")
        expect(box).to_have_attribute("data-drawn", "1")
        size = box.bounding_box()
        assert size and size["width"] > 300 and size["height"] >= 200, name
        assert box.evaluate(INKED) > 2000, f"chart {name} has (almost) nothing drawn"
    expect(page.locator("#total-messages")).not_to_have_text("0")
    expect(page.locator("#total-overdue")).not_to_have_text("0")
    assert page.locator(".stat .empty").count() == 0
    expect(page.locator("#table-referrals tbody tr")).to_have_count(len(TOWNSHIPS))
    expect(page.locator("#table-emergencies")).to_contain_text("有人想轻生")   # the safety net's own words
    assert "13912345678" not in page.content()
    assert no_horizontal_scroll(page)
    shot(page, "stats-admin")
    page.locator("#intents").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "console-stats-admin-view.png"))  # what 1366×768 shows at once
    with page.expect_download() as download:
        page.locator("#export-referrals").click()
    assert download.value.suggested_filename.startswith("stats-referrals-")
    assert problems == []   # no CSP violation, no script error


def test_a_clerk_sees_their_township_and_an_empty_range_shows_notes(open_page, seeded):
    url, _ = seeded
    page, problems = open_page()
    log_in(page, url, "clerk1", path="/console/login?next=%2Fconsole%2Fstats")
    expect(page).to_have_url(url + "/console/stats")
    expect(page.locator("#scope")).to_be_visible()
    assert page.locator("#chart-messages").count() == 0
    expect(page.locator("#charts")).to_have_attribute("data-ready", "1")
    expect(page.locator("#table-referrals tbody tr")).to_have_count(1)
    expect(page.locator("#table-referrals tbody tr")).to_contain_text("茂林镇")
    assert page.locator("#chart-referrals").evaluate(INKED) > 2000
    shot(page, "stats-clerk")
    page.locator("#preset-1").click()   # 近 7 天
    expect(page.locator("#charts")).to_have_attribute("data-ready", "1")
    assert page.locator("#since").input_value() < page.locator("#until").input_value()
    page.locator("#since").fill("2020-01-01")
    page.locator("#until").fill("2020-01-31")
    page.locator("#apply").click()
    expect(page.locator("#empty-referrals")).to_have_text("这段时间没有收到转介工单。")
    expect(page.locator("#charts")).to_have_attribute("data-ready", "1")
    assert page.locator("#chart-referrals").evaluate(INKED) > 0   # an empty chart with its note, no error
    shot(page, "stats-clerk-empty")
    assert problems == []
