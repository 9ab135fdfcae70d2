"""The queue's newer moves: a transfer to a department keeps its clock until the other office is recorded as
accepting it (对方已接收); the materials checklist ticked; resident names masked for lists (mask_name's table)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.base import utcnow
from bot.knowledge.loader import get_kb
from bot.privacy.mask import mask_name
from bot.staff import queue
from bot.staff.alerts.models import Alert
from bot.staff.models import AuditEntry
from tests.staff.test_queue import CLERK, OTHER_CLERK, db, new_referral  # noqa: F401  (db: the fixture)


def test_a_transfer_to_a_department_keeps_its_clock_until_the_office_accepts(db):  # noqa: F811
    referral = new_referral(db, created=utcnow() - timedelta(days=14))
    queue.transfer(db, CLERK, referral, "yibao", "属于医疗救助，转医保局")
    assert referral.status == "transferred" and queue.waiting_for_department(referral)
    running = queue.clock_of(referral)
    assert running is not None and running.overdue and running.limit.goal == "受理"  # the clock it had
    assert queue.status_label(referral) == "已转医保局，等待对方接收"
    listed = [row.referral.case_number for row in queue.list_page(db, CLERK, queue.Filter()).rows]
    assert referral.case_number in listed and queue.overdue_count(db, CLERK) == 1
    assert queue.escalate(db) == 2
    alert = db.scalars(select(Alert).where(Alert.kind == "referral_overdue")).one()
    assert "等待对方接收" in alert.text_masked
    with pytest.raises(queue.QueueError):
        queue.record_handover(db, CLERK, referral, "")  # who, at the other office?
    queue.record_handover(db, CLERK, referral, "医保局救助科 张科长", address="10.0.0.1")
    event = referral.events[-1]
    assert (event.kind, event.actor, event.department) == ("handover", "staff:clerk1", "yibao")
    assert "张科长" in event.note and event.at is not None
    assert queue.clock_of(referral) is None and not queue.waiting_for_department(referral)
    assert referral.case_number not in [r.referral.case_number for r in queue.list_page(db, CLERK, queue.Filter()).rows]
    assert queue.escalate(db, now=utcnow() + timedelta(days=30)) == 0
    entry = db.scalars(select(AuditEntry).where(AuditEntry.subject == referral.case_number)).all()[-1]
    assert "对方已接收" in entry.detail and entry.address == "10.0.0.1"
    with pytest.raises(queue.QueueError):
        queue.record_handover(db, CLERK, referral, "再来一次")  # once


def test_a_transfer_to_another_township_has_no_handover_step(db):  # noqa: F811
    referral = new_referral(db)
    queue.transfer(db, CLERK, referral, "220382101", "户籍在双山镇")
    with pytest.raises(queue.QueueError):
        queue.record_handover(db, OTHER_CLERK, referral, "双山镇")


def test_an_extension_while_the_department_has_not_accepted_adds_to_the_running_clock(db):  # noqa: F811
    from tests.staff.conftest import make_user
    make_user(db, "bureau1", "admin")
    referral = new_referral(db, created=utcnow() - timedelta(days=7))
    queue.transfer(db, CLERK, referral, "canlian", "残疾人两项补贴，转残联")
    before = queue.clock_of(referral).allowed
    queue.extend(db, CLERK, referral, "5", "残联在核对残疾证", "bureau1")
    assert queue.clock_of(referral).allowed == before + 5


def test_the_checklist_records_what_was_brought(db):  # noqa: F811
    kb = get_kb()
    referral = new_referral(db)
    items = queue.materials(kb, referral)[0][1]
    assert queue.received_materials(referral) == set()
    queue.tick_materials(db, CLERK, referral, kb, [items[0], items[2]], address="10.0.0.2")
    assert queue.received_materials(referral) == {items[0], items[2]}
    with pytest.raises(queue.QueueError):
        queue.tick_materials(db, CLERK, referral, kb, [items[2], items[0]])  # no change
    with pytest.raises(queue.QueueError):
        queue.tick_materials(db, CLERK, referral, kb, ["一张不在清单上的证明"])
    queue.tick_materials(db, CLERK, referral, kb, [items[2]])  # one untick
    assert queue.received_materials(referral) == {items[2]}
    ticks = [e for e in referral.events if e.kind == "materials"]
    assert [t.actor for t in ticks] == ["staff:clerk1"] * 2
    details = [e.detail for e in db.scalars(select(AuditEntry).where(AuditEntry.subject == referral.case_number))]
    assert f"材料清单：已收到 2 / {len(items)} 项" in details and f"材料清单：已收到 1 / {len(items)} 项" in details


@pytest.mark.parametrize("name,shown", [
    ("孙玉芬", "孙**"),
    ("李明", "李*"),
    ("王大姐", "王**"),
    ("张大爷", "张**"),
    ("欧阳娜娜", "欧阳**"),
    ("诸葛亮", "诸葛*"),
    ("王", "王"),
    (" 刘桂芝 ", "刘**"),
    ("", ""),
    (None, ""),
    ("Zhang San", "Z**** ***"),
])
def test_mask_name(name, shown):
    assert mask_name(name) == shown
