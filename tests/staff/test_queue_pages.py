"""The queue's pages through the app: a clerk's list (names masked) and detail (each view audited), another
township's referral refused, a status change by form (CSRF-checked) that reaches the resident, errors shown in
place; notes, the materials checklist, an extension's approver, the other office's acceptance."""
from __future__ import annotations

import html
import re

from sqlalchemy import select

from bot.channels import notices
from bot.intake.models import ReferralEvent
from bot.staff.models import AuditEntry
from tests.staff.conftest import OTHER_TOWNSHIP, form_token, logged_in, make_user
from tests.staff.test_queue import new_referral

CHECKBOX_FIELD = re.compile(r'type="checkbox" name="(item-[0-9-]+)" value="([^"]*)"')


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


def test_a_note_is_stored_audited_and_only_in_the_referrals_township(app, users, db):
    make_user(db, "clerk2", "clerk", OTHER_TOWNSHIP)
    referral = new_referral(db)
    with logged_in(app, "clerk1") as client:
        token = form_token(client.get(f"/console/queue/{referral.case_number}").text)
        assert client.post(f"/console/queue/{referral.case_number}/note",
                           data={"note": "居民下午在家"}).status_code == 403  # no CSRF token
        empty = client.post(f"/console/queue/{referral.case_number}/note", data={"csrf": token, "note": " "})
        assert empty.status_code == 400 and "备注不能为空" in empty.text
        saved = client.post(f"/console/queue/{referral.case_number}/note",
                            data={"csrf": token, "note": "居民下午在家，电话13912345678"}, follow_redirects=False)
        assert saved.status_code == 303 and saved.headers["location"].endswith("?done=note")
        page = client.get(saved.headers["location"]).text
        assert "备注已保存" in page and "居民下午在家" in page and "13912345678" not in page
    with logged_in(app, "clerk2") as other:
        token = form_token(other.get("/console/queue").text)
        refused = other.post(f"/console/queue/{referral.case_number}/note", data={"csrf": token, "note": "看看"})
        assert refused.status_code == 403 and "不属于您负责的乡镇" in refused.text
    db.expire_all()
    notes = [e for e in db.scalars(select(ReferralEvent).where(ReferralEvent.kind == "note"))]
    assert [(n.actor, n.note) for n in notes] == [("staff:clerk1", "居民下午在家，电话139****5678")]
    entries = [(e.actor_name, e.action, e.subject, e.detail) for e in db.scalars(select(AuditEntry))]
    assert ("clerk1", "status_change", referral.case_number, "添加备注") in entries
    assert ("clerk2", "denied", f"/console/queue/{referral.case_number}/note") in [x[:3] for x in entries]


def test_names_are_masked_in_the_list_and_shown_on_the_audited_detail(app, users, db):
    referral = new_referral(db)
    referral.contact_name = "孙玉芬"
    db.commit()
    with logged_in(app, "clerk1") as client:
        listing = client.get("/console/queue").text
        assert "孙**" in listing and "孙玉芬" not in listing
        assert "孙玉芬" in client.get(f"/console/queue/{referral.case_number}").text
    views = db.scalars(select(AuditEntry).where(AuditEntry.action == "view")).all()
    assert [v.subject for v in views] == [referral.case_number]


def test_the_checklist_is_ticked_by_form_and_shown(app, users, db):
    referral = new_referral(db)
    with logged_in(app, "clerk1") as client:
        page = client.get(f"/console/queue/{referral.case_number}").text
        boxes = CHECKBOX_FIELD.findall(page)
        assert len(boxes) >= 3 and "未收到" in page and "已收到：" not in page
        first_name, first_item = boxes[0]
        assert client.post(f"/console/queue/{referral.case_number}/materials",
                           data={first_name: html.unescape(first_item)}).status_code == 403  # no CSRF token
        done = client.post(f"/console/queue/{referral.case_number}/materials",
                           data={"csrf": form_token(page), first_name: html.unescape(first_item)})
        assert done.status_code == 200 and "材料清单已保存" in done.text
        assert f'value="{first_item}" id="m-0-0" checked' in done.text and "已收到 1 项" in done.text
        forged = client.post(f"/console/queue/{referral.case_number}/materials",
                             data={"csrf": form_token(page), "item-9-9": "假证明"})
        assert forged.status_code == 400 and "清单里没有这一项" in forged.text
    audited = db.scalars(select(AuditEntry).where(AuditEntry.detail.like("材料清单%"))).all()
    assert [(a.actor_name, a.subject) for a in audited] == [("clerk1", referral.case_number)]


def test_the_approver_is_chosen_from_the_bureaus_admins(app, users, db):
    referral = new_referral(db)
    with logged_in(app, "clerk1") as client:
        page = client.get(f"/console/queue/{referral.case_number}").text
        assert '<option value="admin1"' in page and '<option value="clerk1"' not in page
        typed = client.post(f"/console/queue/{referral.case_number}/extend",
                            data={"csrf": form_token(page), "days": "5", "reason": "居民外出未归", "approver": "李科长"})
        assert typed.status_code == 400 and "延期要由市民政局的管理员批准" in typed.text
        chosen = client.post(f"/console/queue/{referral.case_number}/extend",
                             data={"csrf": form_token(page), "days": "5", "reason": "居民外出未归", "approver": "admin1"})
        assert chosen.status_code == 200 and "已延期" in chosen.text and "批准人 admin1" in chosen.text
    assert "延长5个工作日" in notices.take(db, "web-abc")[-1]


def test_the_other_office_accepting_is_recorded_from_the_page(app, users, db):
    referral = new_referral(db)
    with logged_in(app, "clerk1") as client:
        token = form_token(client.get(f"/console/queue/{referral.case_number}").text)
        client.post(f"/console/queue/{referral.case_number}/transfer",
                    data={"csrf": token, "target": "yibao", "reason": "属于医疗救助，转医保局"})
        page = client.get(f"/console/queue/{referral.case_number}").text
        assert "等待医保局接收" in page and 'id="clock"' in page and 'id="handover-form"' in page
        assert "已转医保局，等待对方接收" in client.get("/console/queue").text
        done = client.post(f"/console/queue/{referral.case_number}/handover",
                           data={"csrf": token, "receiver": "救助科王科长"})
        assert done.status_code == 200 and "已登记对方接收" in done.text and 'id="clock"' not in done.text
        assert "救助科王科长" in done.text and 'id="handover-form"' not in done.text
