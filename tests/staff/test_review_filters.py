"""The review list's complaint filter (`Filters.complaint`): a conversation with a complaint turn is flagged, and
the filter keeps it alone, in the store and on the page."""
from __future__ import annotations

import re

from bot.staff.review.source import SQLBrokerSource
from bot.staff.review.store import Filters, ReviewStore
from tests.staff.conftest import logged_in
from tests.staff.review.conftest import T0, bot, user, write_events
from tests.staff.review.conftest import events_db, review_app  # noqa: F401  (fixtures)

COMPLAINT = {"wx-f": [user("村干部不给办，我要投诉", "complaint", 0.87, T0 + 60), bot("我记下您的投诉", T0 + 61)]}


def test_the_complaint_filter_keeps_only_conversations_with_a_complaint(db, events_db):
    write_events(events_db, COMPLAINT)
    store = ReviewStore(db)
    store.sync(SQLBrokerSource(f"sqlite:///{events_db}"))
    everyone = store.search(Filters()).rows
    assert len(everyone) == 6 and [c.sender_id for c in everyone if c.complaint] == ["wx-f"]
    assert [c.sender_id for c in store.search(Filters(complaint=True)).rows] == ["wx-f"]
    assert store.search(Filters(complaint=True, channel="web")).total == 0


def test_the_list_page_filters_by_complaint(review_app, users, events_db):
    write_events(events_db, COMPLAINT)
    with logged_in(review_app, users["reviewer"]) as client:
        assert "共 6 个会话" in client.get("/console/review").text
        page = client.get("/console/review?complaint=1")
        assert "共 1 个会话" in page.text and len(re.findall(r'<tr data-id="', page.text)) == 1
        assert 'name="complaint" value="1" id="f-complaint" checked' in page.text
