"""The queue's pages through the app: a clerk's list and detail (each view audited), another township's
referral refused, a status change by form (CSRF-checked) that reaches the resident, errors shown in place."""
from __future__ import annotations

from sqlalchemy import select

from bot.channels import notices
from bot.staff.models import AuditEntry
from tests.staff.conftest import OTHER_TOWNSHIP, form_token, logged_in
from tests.staff.test_queue import new_referral


def test_a_clerk_lists_opens_and_accepts_a_referral_of_their_township(app, users, db):
    mine, theirs = new_referral(db), new_referral(db, township=OTHER_TOWNSHIP)
    with logged_in(app, "clerk1") as client:
        listing = client.get("/console/queue")
        assert listing.status_code == 200 and "default-src 'none'" in listing.headers["content-security-policy"]
        assert mine.case_number in listing.text and theirs.case_number not in listing.text
        assert "13912345678" not in listing.text and "139****5678" in listing.text
        detail = client.get(f"/console/queue/{mine.case_number}")
        assert detail.status_code == 200 and "筛查回答" in detail.text and "最低生活保障" in detail.text
        assert "13912345678" not in detail.text
        refused = client.get(f"/console/queue/{theirs.case_number}")
        assert refused.status_code == 403 and "不属于您负责的乡镇" in refused.text
        assert client.post(f"/console/queue/{mine.case_number}/status",
                           data={"to_status": "accepted"}).status_code == 403  # no CSRF token
        done = client.post(f"/console/queue/{mine.case_number}/status",
                           data={"csrf": form_token(detail.text), "to_status": "accepted"}, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"].endswith("?done=status")
        after = client.get(done.headers["location"])
        assert "状态已更新" in after.text and "已受理" in after.text and "居民下次打开网页对话时会看到" in after.text
        wrong = client.post(f"/console/queue/{mine.case_number}/status",
                            data={"csrf": form_token(detail.text), "to_status": "rejected", "note": ""})
        assert wrong.status_code == 400 and "不予受理要写明原因" in wrong.text
        assert client.get("/console/queue/SL-2099-999999").status_code == 404
    assert "已受理" in notices.take(db, "web-abc")[0]
    actions = [(e.action, e.subject) for e in db.scalars(select(AuditEntry).where(AuditEntry.actor_name == "clerk1"))]
    assert ("view", mine.case_number) in actions and ("status_change", mine.case_number) in actions
    assert ("view", theirs.case_number) not in actions and ("denied", f"/console/queue/{theirs.case_number}") in actions


def test_filters_and_roles(app, users, db):
    urgent = new_referral(db, kind="urgent")
    plain = new_referral(db)
    with logged_in(app, "admin1") as client:
        page = client.get("/console/queue?kind=urgent").text
        assert urgent.case_number in page and plain.case_number not in page
    with logged_in(app, "agent1") as client:
        assert client.get("/console/queue").status_code == 403


def test_the_full_phone_only_with_a_reason_and_recorded(app, users, db):
    referral = new_referral(db)
    with logged_in(app, "clerk1") as client:
        page = client.get(f"/console/queue/{referral.case_number}")
        token = form_token(page.text)
        refused = client.post(f"/console/queue/{referral.case_number}/unmask", data={"csrf": token, "reason": "看"})
        assert refused.status_code == 400 and "13912345678" not in refused.text and "原因" in refused.text
        shown = client.post(f"/console/queue/{referral.case_number}/unmask",
                            data={"csrf": token, "reason": "电话通知补材料"})
        assert shown.status_code == 200 and "13912345678" in shown.text
        assert "13912345678" not in client.get(f"/console/queue/{referral.case_number}").text  # masked again
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "unmask")).one()
    assert (entry.actor_name, entry.subject, entry.detail) == ("clerk1", referral.case_number, "电话通知补材料")
