"""The review screens: roles (an agent or clerk gets the 403 page), the listing and its filters, a
conversation (masked text, intent, confidence, override, replies, slots; 20 turns a page), CSRF-checked
corrections, reviewed flag and tags, each recorded in the audit log."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.staff.models import AuditEntry
from bot.staff.review.models import ReviewConversation, ReviewTurn
from tests.staff.conftest import form_token, logged_in
from tests.staff.review.conftest import T0, bot, user, write_events


def ids(html: str) -> list[str]:
    return re.findall(r'<tr data-id="(\d+)"', html)


def conversation_id(db, sender: str) -> int:
    return db.scalar(select(ReviewConversation.id).where(ReviewConversation.sender_id == sender))


def test_agent_and_clerk_get_the_403_page(review_app, users):
    for role in ("agent", "clerk"):
        with logged_in(review_app, users[role]) as client:
            for path in ("/console/review", "/console/review/1"):
                page = client.get(path)
                assert page.status_code == 403 and "您的角色不能使用这个页面" in page.text
            assert client.post("/console/review/1/reviewed", data={"csrf": "x"}).status_code == 403


def test_listing_and_filters(review_app, users, db):
    with logged_in(review_app, users["reviewer"]) as client:
        page = client.get("/console/review")
        assert page.status_code == 200 and len(ids(page.text)) == 5 and "共 5 个会话" in page.text
        assert "content-security-policy" in page.headers and "script-src" not in page.headers["content-security-policy"]
        assert len(ids(client.get("/console/review?channel=wechat").text)) == 1
        assert len(ids(client.get("/console/review?below=0.5").text)) == 2
        assert len(ids(client.get("/console/review?fallback=1&handoff=1").text)) == 1
        assert len(ids(client.get("/console/review?intent=emergency").text)) == 1
        assert len(ids(client.get("/console/review?abandoned=1").text)) == 1
        bad = client.get("/console/review?below=abc&since=yesterday")
        assert "置信度应为" in bad.text and "起始日期的格式不对" in bad.text and len(ids(bad.text)) == 5


def test_conversation_page_correct_review_and_tag(review_app, users, db):
    with logged_in(review_app, users["reviewer"]) as client:
        client.get("/console/review")
        cid = conversation_id(db, "web-a")
        page = client.get(f"/console/review/{cid}")
        assert page.status_code == 200
        assert "我电话139****5678" in page.text and "dibao_apply" in page.text and "0.93" in page.text
        assert '<option value="" selected>（选择意图）</option>' in page.text   # dibao_apply: no domain intent
        assert "programme=低保" in page.text and "低保申请要……" in page.text
        token = form_token(page.text)
        assert client.post(f"/console/review/{cid}/turns/2/intent", data={"intent": "seek_help"}).status_code == 403
        done = client.post(f"/console/review/{cid}/turns/2/intent", data={"csrf": token, "intent": "seek_help"},
                           follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"].endswith("#turn-2")
        assert client.post(f"/console/review/{cid}/turns/2/intent",
                           data={"csrf": token, "intent": "no_such_intent"}).status_code == 400
        client.post(f"/console/review/{cid}/reviewed", data={"csrf": token, "reviewed": "1"})
        client.post(f"/console/review/{cid}/tags", data={"csrf": token, "tag": "  要补训练  "})
        page = client.get(f"/console/review/{cid}")
        assert "已改正为" in page.text and "已审阅（reviewer1）" in page.text and "要补训练" in page.text
        assert ids(client.get("/console/review?tag=要补训练&reviewed=yes").text) == [str(cid)]
    db.expire_all()
    turn = db.scalars(select(ReviewTurn).where(ReviewTurn.conversation_id == cid, ReviewTurn.seq == 2)).one()
    assert (turn.intent, turn.corrected_intent, turn.corrected_by) == ("inform", "seek_help", "reviewer1")
    details = [e.detail for e in db.scalars(select(AuditEntry).where(AuditEntry.subject == f"review:{cid}"))]
    assert any("查看会话" in d for d in details) and any("inform → seek_help" in d for d in details)
    assert any("已审阅" in d for d in details) and any("标签 要补训练" in d for d in details)


def test_long_conversation_is_paged(review_app, users, db, events_db):
    many = []
    for n in range(45):
        many += [user(f"第{n}句", "ask_policy", 0.8, T0 + 1000 + 2 * n), bot(f"答{n}", T0 + 1001 + 2 * n)]
    write_events(events_db, {"web-long": many})
    with logged_in(review_app, users["admin"]) as client:
        client.get("/console/review")
        cid = conversation_id(db, "web-long")
        first = client.get(f"/console/review/{cid}")
        assert first.text.count('<li class="turn') == 20 and "第 1 / 3 页" in first.text
        last = client.get(f"/console/review/{cid}?page=3")
        assert last.text.count('<li class="turn') == 5 and "第44句" in last.text
        assert client.get("/console/review/999999").status_code == 404


def test_insights_count_corrections_and_low_confidence_with_links(review_app, users, db):
    from datetime import timedelta

    from bot.db.base import utcnow
    with logged_in(review_app, users["reviewer"]) as client:
        client.get("/console/review")
        for turn in db.scalars(select(ReviewTurn)):
            turn.at = utcnow() - timedelta(hours=1)        # the seeded turns are from 2026-11-29: make them this week
        cid = conversation_id(db, "web-c")
        db.commit()
        page = client.get(f"/console/review/{cid}")
        client.post(f"/console/review/{cid}/turns/1/intent",
                    data={"csrf": form_token(page.text), "intent": "ask_policy"})
        page = client.get("/console/review/insights")
        assert page.status_code == 200
        confused = page.text.split('id="confused"')[1].split("</section>")[0]
        assert "nlu_fallback" in confused and "ask_policy" in confused
        low = page.text.split('id="low"')[1]
        assert "低于 0.55" in low and "intent=inform&amp;below=0.55" in low   # 0.41 < 0.55; links to the list
    with logged_in(review_app, users["agent"]) as client:
        assert client.get("/console/review/insights").status_code == 403


def test_the_list_opens_when_reading_the_broker_fails(review_app, users, monkeypatch):
    """Two pages opened at once on SQLite, or a broker database gone: the list shows what is already read."""
    from sqlalchemy.exc import OperationalError

    def fail(*_args, **_kwargs):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    with logged_in(review_app, users["reviewer"]) as client:
        assert len(ids(client.get("/console/review").text)) == 5
        monkeypatch.setattr("bot.staff.review.store.ReviewStore.sync", fail)
        page = client.get("/console/review")
        assert page.status_code == 200 and len(ids(page.text)) == 5


def test_a_second_page_after_the_first_folds_nothing_twice(db_url, events_db):
    """Two requests one after the other, each with its own session: the second finds the cursor moved on."""
    from sqlalchemy.orm import Session

    from bot.db.session import make_engine
    from bot.staff.review.source import SQLBrokerSource
    from bot.staff.review.store import ReviewStore

    engine = make_engine(db_url)
    with Session(engine) as first, Session(engine) as second:
        assert ReviewStore(first).sync(SQLBrokerSource(f"sqlite:///{events_db}")) == 27
        first.commit()
        assert ReviewStore(second).sync(SQLBrokerSource(f"sqlite:///{events_db}")) == 0
        second.commit()
        assert second.scalar(select(func.count()).select_from(ReviewTurn)) == 9
    engine.dispose()
