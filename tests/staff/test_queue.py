"""The referral queue's rules: working days, the time limits, scope, status changes with their message to the
resident, transfer, extension, the overdue ladder, follow-up; and the web chat's pending notices. On SQLite and
PostgreSQL (TEST_POSTGRES_URL)."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from itertools import count

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.staff.alerts.models import Alert
from bot.channels import notices
from bot.channels.inbox import record as record_inbound
from bot.channels.wechat.models import WechatFollower, WechatOutbox
from bot.db.base import utcnow
from bot.db.migrate import upgrade
from bot.db.session import make_engine
from bot.intake import service
from bot.intake.schemas import ReferralDraft
from bot.intake.timelimits import add_working_days, clock, working_days_between
from bot.intake.seed import seed_townships
from bot.knowledge.loader import get_kb
from bot.settings import ROOT
from bot.staff import queue
from bot.staff.models import AuditEntry, StaffUser
from bot.staff.scope import OutOfScope
from tests.intake.conftest import postgres_database
from tests.staff.conftest import OTHER_TOWNSHIP, TOWNSHIP, make_user

KEYS = count(1)
CLERK = type("Clerk", (), {"id": None, "username": "clerk1", "role": "clerk", "township_code": TOWNSHIP})()
OTHER_CLERK = type("Clerk", (), {"id": None, "username": "clerk2", "role": "clerk", "township_code": OTHER_TOWNSHIP})()
ADMIN = type("Admin", (), {"id": None, "username": "admin1", "role": "admin", "township_code": None})()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, db_url):
    """The staff tests' migrated SQLite copy, or a fresh PostgreSQL database migrated and seeded here."""
    if request.param == "sqlite":
        engine = make_engine(db_url)
        with Session(engine, expire_on_commit=False) as session:
            yield session
        engine.dispose()
        return
    with postgres_database() as url:
        upgrade(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            seed_townships(session, ROOT / "policies" / "shuangliao-divisions.yml")
            session.commit()
            yield session
        engine.dispose()


def new_referral(db, township=TOWNSHIP, kind="apply", sender="web-abc", created=None, phone="13912345678"):
    receipt = service.create_referral(db, ReferralDraft(
        idempotency_key=f"test-key-{next(KEYS):04d}", kind=kind, channel="webchat", sender=sender,
        township_code=township, contact_phone=phone, summary="三口人 月收入一千",
        screening={"household_size": 3}, consent_text="同意",
        suggestions=[{"programme": "dibao", "outcome": "likely", "reasons": ["人均收入低于低保标准"]}]))
    referral = queue.get(db, ADMIN, receipt.case_number)
    if created:
        referral.created_at = created
        for event in referral.events:
            event.at = created
        db.commit()
    return referral


def test_working_days_count_monday_to_friday_only():
    friday = date(2026, 11, 27)
    assert working_days_between(friday, friday) == 0
    assert working_days_between(friday, date(2026, 11, 29)) == 0          # the weekend
    assert working_days_between(friday, date(2026, 11, 30)) == 1          # Monday
    assert working_days_between(friday, date(2026, 12, 11)) == 10
    assert add_working_days(friday, 3) == date(2026, 12, 2)               # Mon, Tue, Wed
    assert add_working_days(friday, 0) == friday


def test_the_accept_clock_is_three_working_days_and_marks_overdue():
    received = datetime(2026, 11, 27, 2, tzinfo=timezone.utc)  # Friday 10:00 China time
    on_time = clock("pending", received, None, 0, datetime(2026, 12, 2, 8, tzinfo=timezone.utc))
    assert (on_time.elapsed, on_time.allowed, on_time.overdue, on_time.due) == (3, 3, False, date(2026, 12, 2))
    late = clock("pending", received, None, 0, datetime(2026, 12, 3, 8, tzinfo=timezone.utc))
    assert late.overdue and late.overdue_by == 1
    assert clock("closed", received, None, 0, received) is None
    extended = clock("pending", received, None, 2, datetime(2026, 12, 3, 8, tzinfo=timezone.utc))
    assert not extended.overdue and extended.due == date(2026, 12, 4)


def test_a_clerk_never_sees_another_townships_referral(db):
    mine, theirs = new_referral(db), new_referral(db, township=OTHER_TOWNSHIP)
    listed = [row.referral.case_number for row in queue.list_page(db, CLERK, queue.Filter()).rows]
    assert listed == [mine.case_number]
    with pytest.raises(OutOfScope):
        queue.get(db, CLERK, theirs.case_number)
    assert queue.get(db, OTHER_CLERK, theirs.case_number) is not None
    assert {r.referral.case_number for r in queue.list_page(db, ADMIN, queue.Filter()).rows} == \
        {mine.case_number, theirs.case_number}
    agent = type("Agent", (), {"username": "a", "role": "agent", "township_code": None})()
    assert queue.list_page(db, agent, queue.Filter()).total == 0


def test_urgent_first_then_new_then_filters_and_paging(db):
    old = new_referral(db, created=utcnow() - timedelta(days=10))
    accepted = new_referral(db, created=utcnow() - timedelta(days=20))
    queue.change_status(db, CLERK, accepted, "accepted")
    urgent = new_referral(db, kind="urgent")
    order = [r.referral.case_number for r in queue.list_page(db, CLERK, queue.Filter()).rows]
    assert order == [urgent.case_number, old.case_number, accepted.case_number]
    assert queue.list_page(db, CLERK, queue.Filter(kind="urgent")).total == 1
    assert queue.list_page(db, CLERK, queue.Filter(status="accepted")).total == 1
    second = queue.list_page(db, CLERK, queue.Filter(page=2), page_size=2)
    assert (second.page, second.pages, len(second.rows)) == (2, 2, 1)
    assert queue.Filter.of("nonsense", "x", "-1") == queue.Filter()


def test_accepting_tells_a_web_resident_at_the_next_visit_and_is_audited(db):
    referral = new_referral(db)
    delivery = queue.change_status(db, CLERK, referral, "accepted", address="10.0.0.1")
    assert delivery.channel == "web_notice"
    assert [e.kind for e in referral.events] == ["created", "status", "notice"]
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "status_change")).one()
    assert (entry.actor_name, entry.subject, entry.detail) == ("clerk1", referral.case_number, "待受理 → 已受理")
    shown = notices.take(db, "web-abc")
    assert len(shown) == 1 and referral.case_number in shown[0] and "已受理" in shown[0]
    assert notices.take(db, "web-abc") == []  # once


def test_moves_outside_the_workflow_and_missing_reasons_are_refused(db):
    referral = new_referral(db)
    with pytest.raises(queue.QueueError):
        queue.change_status(db, CLERK, referral, "closed")
    with pytest.raises(queue.QueueError):
        queue.change_status(db, CLERK, referral, "rejected", note="no")
    queue.change_status(db, CLERK, referral, "accepted")
    with pytest.raises(queue.QueueError):
        queue.change_status(db, CLERK, referral, "needs_materials")  # which materials?
    queue.change_status(db, CLERK, referral, "needs_materials", materials_text="户口本、收入证明")
    text = notices.take(db, "web-abc")[-1]
    assert "请带上户口本；收入证明，到" in text and "社会救助" in text


def test_wechat_inside_the_window_gets_a_customer_service_message_else_a_subscription(db):
    inside = new_referral(db, sender="wx-oInside")
    db.add(WechatFollower(openid="oInside", last_inbound_at=utcnow() - timedelta(hours=2)))
    outside = new_referral(db, sender="wx-oOutside")
    db.add(WechatFollower(openid="oOutside", last_inbound_at=utcnow() - timedelta(hours=60)))
    db.commit()
    assert queue.change_status(db, CLERK, inside, "accepted").channel == "wechat_cs"
    assert queue.change_status(db, CLERK, outside, "accepted").channel == "wechat_subscribe"
    rows = {r.openid: r for r in db.scalars(select(WechatOutbox))}
    assert rows["oInside"].source == "referral" and "已受理" in rows["oInside"].content
    sub = json.loads(rows["oOutside"].content)
    assert rows["oOutside"].source == "subscribe" and sub["data"]["character_string1"] == outside.case_number
    phone_only = new_referral(db, sender=None)
    assert queue.change_status(db, CLERK, phone_only, "accepted").channel == "none"


def test_a_transfer_needs_a_reason_and_keeps_the_clock_running(db):
    received = utcnow() - timedelta(days=14)
    referral = new_referral(db, created=received)
    with pytest.raises(queue.QueueError):
        queue.transfer(db, CLERK, referral, OTHER_TOWNSHIP, "")
    queue.transfer(db, CLERK, referral, OTHER_TOWNSHIP, "户籍在双山镇")
    assert (referral.township_code, referral.status) == (OTHER_TOWNSHIP, "pending")
    assert queue.clock_of(referral).overdue  # not restarted by the transfer
    with pytest.raises(OutOfScope):
        queue.get(db, CLERK, referral.case_number)  # now the other township's
    queue.transfer(db, OTHER_CLERK, referral, "yibao", "属于医疗救助，转医保局")
    assert (referral.status, referral.department) == ("transferred", "yibao")


def test_an_extension_needs_reason_and_an_admin_approver_adds_days_and_tells_the_resident(db):
    make_user(db, "bureau1", "admin")
    referral = new_referral(db, created=utcnow() - timedelta(days=7))
    before = queue.clock_of(referral)
    with pytest.raises(queue.QueueError):
        queue.extend(db, CLERK, referral, "5", "要入户核实", "")
    with pytest.raises(queue.QueueError):
        queue.extend(db, CLERK, referral, "99", "要入户核实", "bureau1")
    with pytest.raises(queue.QueueError):
        queue.extend(db, CLERK, referral, "5", "", "bureau1")  # no reason
    queue.extend(db, CLERK, referral, "5", "居民外出，要等回来核实", "bureau1")
    after = queue.clock_of(referral)
    assert after.allowed == before.allowed + 5
    assert "延长5个工作日" in notices.take(db, "web-abc")[-1]
    event = [e for e in referral.events if e.kind == "extension"][0]
    assert (event.days, event.approver, event.note) == (5, "bureau1", "居民外出，要等回来核实")
    entry = db.scalars(select(AuditEntry).where(AuditEntry.subject == referral.case_number)).all()[-1]
    assert "批准人bureau1" in entry.detail and "居民外出" in entry.detail


@pytest.mark.parametrize("approver", ["李科长", "clerk9", "retired1", "admin1"])
def test_an_approver_typed_in_not_an_admin_disabled_or_oneself_is_refused_politely(db, approver):
    make_user(db, "clerk9", "clerk", TOWNSHIP)
    make_user(db, "retired1", "admin")
    db.scalars(select(StaffUser).where(StaffUser.username == "retired1")).one().active = False
    make_user(db, "admin1", "admin")
    referral = new_referral(db)
    with pytest.raises(queue.QueueError, match="管理员") as refused:
        queue.extend(db, ADMIN, referral, "5", "居民外出，要等回来核实", approver)
    assert "Error" not in str(refused.value) and not [e for e in referral.events if e.kind == "extension"]
    assert notices.take(db, "web-abc") == []  # nobody told of an extension that did not happen


def test_the_overdue_ladder_reminds_the_clerk_then_tells_the_bureau_once_each(db):
    referral = new_referral(db, created=utcnow() - timedelta(days=21))  # 15 working days: far past 3
    fresh = new_referral(db)
    assert queue.overdue_count(db, CLERK) == 1 and queue.overdue_count(db, OTHER_CLERK) == 0
    assert queue.escalate(db) == 2
    assert queue.escalate(db) == 0  # each step once
    steps = [e.days for e in referral.events if e.kind == "escalation"]
    assert steps == [1, 2]
    assert not [e for e in fresh.events if e.kind == "escalation"]
    alert = db.scalars(select(Alert).where(Alert.kind == "referral_overdue")).one()
    assert referral.case_number in alert.text_masked


def test_follow_up_satisfied_is_recorded_unsatisfied_reopens(db):
    referral = new_referral(db)
    with pytest.raises(queue.QueueError):
        queue.follow_up(db, CLERK, referral, "yes")
    for status in ("accepted", "home_visit", "closed"):
        queue.change_status(db, CLERK, referral, status)
    queue.follow_up(db, CLERK, referral, "yes", "居民说钱已经到了")
    assert referral.status == "closed"
    queue.follow_up(db, CLERK, referral, "no", "居民说还没到账")
    assert referral.status == "accepted"
    assert queue.clock_of(referral).limit.goal == "开始入户调查"


def test_transcript_is_the_residents_masked_messages_and_the_kb_gives_materials(db):
    referral = new_referral(db)
    record_inbound(db, "webchat", "web-abc", "我电话13912345678 想申请低保")
    record_inbound(db, "webchat", "web-other", "别人的话")
    lines = [m.text for m in queue.transcript(db, referral)]
    assert len(lines) == 1 and "13912345678" not in lines[0]
    found = queue.materials(get_kb(), referral)
    assert found and found[0][0] == "最低生活保障" and any("申请" in text for text in found[0][1])
