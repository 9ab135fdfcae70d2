"""The statistics screen: its figures on a seeded database (SQLite and PostgreSQL), scope by role, the empty
case, the page and its script policy, the CSV export (audited, masked, no spreadsheet formulas), and the time
limits: the knowledge base's per programme and calendar, the same clocks as the referral queue's."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.staff.alerts.models import Alert
from bot.api.routes import console_stats
from bot.channels.inbox import InboundMessage
from bot.db.migrate import upgrade
from bot.db.session import make_engine
from bot.intake.models import Referral, ReferralEvent
from bot.intake.seed import seed_townships
from bot.intake.timelimits import DEFAULT, Calendar, TimeLimits
from bot.settings import ROOT
from bot.staff import queue, stats
from bot.staff.models import AuditEntry
from bot.staff.review.models import ReviewConversation, ReviewTurn
from tests.intake.conftest import postgres_database
from tests.staff.conftest import OTHER_TOWNSHIP, TOWNSHIP, logged_in

UTC = timezone.utc
NOW = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)          # Monday 12:00 China time
PERIOD = stats.Period(date(2026, 11, 24), date(2026, 11, 30))
PHONE = "13912345678"


def at(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def seed(session: Session) -> None:
    """Messages, alerts and referrals around the China-time edges of PERIOD (times below are UTC)."""
    messages = [("web", "web-a", at(23, 15), "answered"),        # 11-23 23:00 China: before the period
                ("web", "web-a", datetime(2026, 11, 24, 15, 59, tzinfo=UTC), "answered"),  # 11-24 23:59
                ("wechat", "wx-b", at(24, 16), "answered"),      # 11-25 00:00 China
                ("web", "web-c", at(26, 2), "answered"),
                ("web", "web-c", at(26, 3), "failed")]
    for channel, sender, when, status in messages:
        session.add(InboundMessage(channel=channel, sender=sender, text=f"电话{PHONE}", status=status,
                                   created_at=when))
    alerts = [("emergency", "suicide", at(25, 1)), ("emergency", None, at(26, 1)), ("handoff", None, at(25, 2)),
              ("handoff", None, at(26, 2)), ("complaint", None, at(27, 2)), ("emergency", "fire", at(20, 2))]
    for kind, category, when in alerts:
        session.add(Alert(kind=kind, category=category, channel="web", sender="web-a", text_masked="…",
                          created_at=when))
    # the review screen's tables, as read in from the engine's events: two conversations, one with a fallback
    talks = [ReviewConversation(sender_id="web-a", channel="web", started_at=at(24, 1), last_at=at(24, 2), turns=3,
                                fallback=True),
             ReviewConversation(sender_id="wx-b", channel="wechat", started_at=at(25, 1), last_at=at(25, 1), turns=2),
             ReviewConversation(sender_id="web-z", channel="web", started_at=at(20, 1), last_at=at(20, 1), turns=1)]
    session.add_all(talks)
    session.flush()
    for talk, seq, when, intent in [(0, 1, at(24, 1), "ask_dibao"), (0, 2, at(24, 1), "nlu_fallback"),
                                    (0, 3, at(24, 2), "ask_dibao"), (1, 1, at(25, 1), "greet"),
                                    (1, 2, at(25, 1), None), (2, 1, at(20, 1), "ask_dibao")]:
        session.add(ReviewTurn(conversation_id=talks[talk].id, seq=seq, at=when, text="…", intent=intent))
    # (case, township, kind, status, received, [(to_status, when)])
    referrals = [
        ("SL-2026-000001", TOWNSHIP, "apply", "closed", at(24, 2), [("accepted", at(24, 8)), ("closed", at(26, 2))]),
        ("SL-2026-000002", TOWNSHIP, "urgent", "accepted", at(25, 2), [("accepted", at(25, 4))]),
        ("SL-2026-000003", OTHER_TOWNSHIP, "apply", "pending", at(24, 3), []),   # Tue: 4 working days by Mon
        ("SL-2026-000004", OTHER_TOWNSHIP, "apply", "pending", at(26, 3), []),   # Thu: 2 working days
        ("SL-2026-000005", TOWNSHIP, "apply", "pending", at(10, 3), []),         # before the period, overdue
        ("SL-2026-000006", OTHER_TOWNSHIP, "apply", "accepted", at(24, 1), [("accepted", at(30, 2))]),  # late
    ]
    for number, township, kind, status, received, events in referrals:
        referral = Referral(case_number=number, idempotency_key=number, kind=kind, channel="web",
                            township_code=township, contact_name="张桂兰", contact_phone=PHONE,
                            summary=f"电话 {PHONE}", status=status, created_at=received,
                            urgency="urgent" if kind == "urgent" else "normal")
        referral.events = [ReferralEvent(actor="test", kind="created", to_status="pending", at=received)]
        referral.events += [ReferralEvent(actor="clerk1", kind="status", to_status=to, at=when) for to, when in events]
        session.add(referral)
    session.commit()


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request, tmp_path) -> Iterator[Session]:
    def open_session(url: str) -> Iterator[Session]:
        upgrade(url)
        engine = make_engine(url)
        with Session(engine) as session:
            seed_townships(session, ROOT / "policies" / "shuangliao-divisions.yml")
            session.commit()
            seed(session)
            yield session
        engine.dispose()

    if request.param == "sqlite":
        yield from open_session(f"sqlite:///{tmp_path / 'stats.db'}")
    else:
        with postgres_database() as url:
            yield from open_session(url)


class Reviewer:
    username, role, township_code = "reviewer1", "reviewer", None


class Clerk:
    username, role, township_code = "clerk1", "clerk", TOWNSHIP


def test_the_figures_of_a_seeded_week(seeded):
    report = stats.collect(seeded, PERIOD, stats.scope_of(Reviewer), now=NOW, category_labels={"suicide": "有人想轻生"})
    assert report.messages is not None and report.emergencies is not None and report.rates is not None
    by_channel = {s.name: s.values for s in report.messages.series}
    assert by_channel == {"web": [1, 0, 2, 0, 0, 0, 0], "wechat": [0, 1, 0, 0, 0, 0, 0]}  # China-time days
    assert report.messages.total == 4
    assert report.emergencies.series[0].values == [0, 1, 1, 0, 0, 0, 0]
    assert {(c.label, c.count) for c in report.emergency_categories or []} == {("有人想轻生", 1), ("未分类", 1)}
    intents = {(c.source, c.code): c.count for c in report.intents}
    assert [c.code for c in report.intents][:3] == ["ask_dibao", "greet", "nlu_fallback"]  # most frequent first
    assert intents == {("引擎", "ask_dibao"): 2, ("引擎", "greet"): 1, ("引擎", "nlu_fallback"): 1,
                       ("提醒", "emergency"): 2, ("提醒", "handoff"): 2, ("提醒", "complaint"): 1,
                       ("提醒", "referral_failed"): 0, ("转介", "apply"): 4, ("转介", "discovery"): 0,
                       ("转介", "urgent"): 1}
    rates = {r.code: r for r in report.rates}
    assert (rates["handoff"].numerator, rates["handoff"].denominator) == (2, 3)   # three residents wrote
    assert (rates["engine_failed"].numerator, rates["engine_failed"].denominator) == (1, 4)
    assert (rates["fallback"].numerator, rates["fallback"].denominator) == (1, 4)   # turns with an intent
    assert (rates["fallback_conversations"].numerator, rates["fallback_conversations"].denominator) == (1, 2)

    townships = {r.name: r for r in report.referrals}
    assert set(townships) == {"茂林镇", "双山镇"}
    maolin, shuangshan = townships["茂林镇"], townships["双山镇"]
    assert (maolin.total, maolin.by_status) == (2, {"closed": 1, "accepted": 1})
    assert (shuangshan.total, shuangshan.by_status) == (3, {"pending": 2, "accepted": 1})
    assert (maolin.median_accept_hours, maolin.median_close_hours) == (4.0, 48.0)   # 6 h and 2 h
    assert (shuangshan.median_accept_hours, shuangshan.median_close_hours) == (145.0, None)
    assert (maolin.accepted_late, shuangshan.accepted_late) == (0, 1)
    assert {t.code: (t.median_hours, t.count) for t in report.timings} == {"accept": (6.0, 3), "close": (48.0, 1)}
    # overdue now, whenever received: 000005 (11-10, outside the period) and 000003 (Tue → Mon: 4 working days)
    # (000002, accepted Wed, is within its 3 days to start the home visit)
    assert [(o.case_number, o.goal, o.overdue_by) for o in report.overdue] == [("SL-2026-000005", "受理", 11),
                                                                            ("SL-2026-000003", "受理", 1)]
    assert (maolin.overdue, shuangshan.overdue) == (1, 1)


def test_a_clerk_gets_their_townships_referral_figures_only(seeded):
    report = stats.collect(seeded, PERIOD, stats.scope_of(Clerk), now=NOW)
    assert report.messages is None and report.rates is None and report.emergencies is None
    assert {c.source for c in report.intents} == {"转介"}
    assert {(c.code, c.count) for c in report.intents} == {("apply", 1), ("discovery", 0), ("urgent", 1)}
    assert [r.name for r in report.referrals] == ["茂林镇"]
    assert [o.case_number for o in report.overdue] == ["SL-2026-000005"]
    assert set(stats.tables(report)) == {"intents", "referrals", "timings", "overdue"}

    class Stray:
        username, role, township_code = "clerk2", "clerk", None

    nothing = stats.collect(seeded, PERIOD, stats.scope_of(Stray), now=NOW)
    assert nothing.referrals == [] and nothing.overdue == [] and nothing.messages is None


def test_the_period():
    today = date(2026, 11, 30)
    assert stats.Period.of(None, None, today) == stats.Period(date(2026, 11, 1), today)
    assert stats.Period.of(date(2026, 12, 5), date(2026, 11, 1), today) == stats.Period(date(2026, 11, 1), today)
    assert stats.Period.of(date(2020, 1, 1), None, today).since == date(2025, 11, 30)   # at most 366 days
    assert dict(stats.presets(date(2026, 3, 5))) == {
        "近 7 天": stats.Period(date(2026, 2, 27), date(2026, 3, 5)),
        "近 30 天": stats.Period(date(2026, 2, 4), date(2026, 3, 5)),
        "本月": stats.Period(date(2026, 3, 1), date(2026, 3, 5)), "上月": stats.Period(date(2026, 2, 1), date(2026, 2, 28))}


def test_an_empty_database_gives_empty_figures_not_errors(db):
    report = stats.collect(db, PERIOD, stats.scope_of(Reviewer), now=NOW)
    assert report.messages is not None and report.messages.total == 0 and report.messages.series == []
    assert report.referrals == [] and report.overdue == []
    assert [t.median_hours for t in report.timings] == [None, None]
    fallback = next(r for r in report.rates or [] if r.code == "fallback")
    assert fallback.value is None and "还没有读入" in fallback.note
    data = stats.chart_data(report)
    assert data["messages"]["days"][0] == "2026-11-24" and data["referrals"]["townships"] == []


def test_the_page_and_its_data_work_with_no_data(app, users, monkeypatch):
    with logged_in(app, "reviewer1") as client:
        page = client.get("/console/stats?since=2026-11-01&until=2026-11-30")
        assert page.status_code == 200
        policy = page.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe" not in policy and "default-src 'none'" in policy
        assert "<script>" not in page.text and 'src="/console/static/stats.js"' in page.text
        assert "这段时间没有居民消息" in page.text and "现在没有超期的工单" in page.text
        data = client.get("/console/api/stats?since=2026-11-01&until=2026-11-30").json()
        assert data["period"] == {"since": "2026-11-01", "until": "2026-11-30"} and len(data["messages"]["days"]) == 30
        assert client.get("/console/static/stats.js").headers["content-type"].startswith("text/javascript")
        vendored = client.get("/console/static/echarts.min.js?v=5.6.0")
        assert vendored.status_code == 200 and "max-age" in vendored.headers["cache-control"]
        assert 'src="/console/static/echarts.min.js?v=5.6.0"' in page.text
        assert "Apache" in (console_stats.STATIC / "echarts.LICENSE.txt").read_text(encoding="utf-8")
        monkeypatch.setattr(console_stats, "PAGE_ROWS", 10)
        long = client.get("/console/stats?since=2026-11-01&until=2026-11-30")
        assert long.text.count("<tr>") < 30 + 10 and "共 30 行，这里显示前 10 行" in long.text
        bad = client.get("/console/stats?since=yesterday")
        assert bad.status_code == 200 and "起始日期的格式不对" in bad.text
        # the other console pages keep their policy without scripts
        assert "script-src" not in client.get("/console").headers["content-security-policy"]


def test_roles(app, users, client):
    assert client.get("/console/api/stats").status_code == 401
    assert client.get("/console/stats", follow_redirects=False).headers["location"].startswith("/console/login")
    assert client.get("/console/stats/export/referrals.csv", follow_redirects=False).status_code == 303
    with logged_in(app, "agent1") as agent:
        assert agent.get("/console/stats", follow_redirects=False).status_code == 403
        assert agent.get("/console/api/stats").status_code == 403
        assert agent.get("/console/stats/export/referrals.csv").status_code == 403
    with logged_in(app, "clerk1") as clerk:
        page = clerk.get("/console/stats")
        assert page.status_code == 200 and 'id="scope"' in page.text and 'id="chart-messages"' not in page.text
        assert clerk.get("/console/api/stats").json()["messages"] is None
        assert clerk.get("/console/stats/export/messages.csv").status_code == 404   # not a clerk's table


def test_csv_export_is_audited_masked_and_formula_safe(app, users, db, monkeypatch):
    # the route reads the clock: held at NOW, or the set of overdue cases grows as real days pass (it did on 12-01)
    monkeypatch.setattr(console_stats, "utcnow", lambda: NOW)
    seed(db)
    db.add(Referral(case_number="=HYPERLINK(1)", idempotency_key="x", kind="apply", channel="web",
                    township_code=TOWNSHIP, status="pending", created_at=at(10, 1), contact_phone=PHONE))
    db.commit()
    with logged_in(app, "admin1") as client:
        answer = client.get("/console/stats/export/overdue.csv?since=2026-11-24&until=2026-11-30")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
        assert "attachment" in answer.headers["content-disposition"]
        body = answer.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0][0] == "工单号" and {r[0] for r in rows[1:]} == {"SL-2026-000005", "SL-2026-000003",
                                                                     "'=HYPERLINK(1)"}
        assert PHONE not in body and "张桂兰" not in body
        messages = client.get("/console/stats/export/messages.csv?since=2026-11-24&until=2026-11-30")
        assert messages.content.decode("utf-8-sig").splitlines()[1] == "2026-11-24,1,0,1"
        assert client.get("/console/stats/export/nothing.csv").status_code == 404
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.id)).all()
    assert [(e.actor_name, e.subject) for e in entries] == [("admin1", "stats:overdue"), ("admin1", "stats:messages")]
    assert "2026-11-24～2026-11-30" in entries[0].detail and "3 行" in entries[0].detail


def test_an_extension_moves_the_limit_as_on_the_queue(db):
    seed(db)
    referral = db.scalars(select(Referral).where(Referral.case_number == "SL-2026-000003")).one()
    db.add(ReferralEvent(referral_id=referral.id, actor="clerk1", kind="extension", from_status="pending", days=2,
                         approver="科长", note="等村里核实", at=at(27, 1)))
    db.commit()
    report = stats.collect(db, PERIOD, stats.scope_of(Reviewer), now=NOW)
    assert [o.case_number for o in report.overdue] == ["SL-2026-000005"]


# ---- the time limits: the knowledge base's, on the queue's clocks ----------------------------------------------

TEKUN = [{"programme": "tekun", "outcome": "likely", "reasons": []},
         {"programme": "dibao", "outcome": "possible", "reasons": []}]


def add_referral(session: Session, number: str, status: str, received: datetime,
                 events: list[ReferralEvent] | None = None, suggestions: list | None = None,
                 township: str = TOWNSHIP, department: str | None = None) -> None:
    referral = Referral(case_number=number, idempotency_key=number, kind="apply", channel="web",
                        township_code=township, status=status, created_at=received, suggestions=suggestions or [],
                        department=department, urgency="normal")
    referral.events = [ReferralEvent(actor="test", kind="created", to_status="pending", at=received), *(events or [])]
    session.add(referral)
    session.commit()


def accepted_on(when: datetime) -> ReferralEvent:
    return ReferralEvent(actor="clerk1", kind="status", from_status="pending", to_status="accepted", at=when)


def with_calendar(limits: TimeLimits, calendar: Calendar) -> TimeLimits:
    return TimeLimits(limits.by_programme, limits.fallback, calendar)


def test_a_tekun_case_runs_tekuns_fifteen_days_not_dibaos_three(seeded, kb):
    limits = kb.referrals.time_limits
    # accepted Fri 11-20: 6 working days by Mon 11-30, within 特困's 15 (低保's 3 would have run out)
    add_referral(seeded, "SL-2026-000007", "accepted", at(17, 1), [accepted_on(at(20, 2))], TEKUN)
    # accepted Tue 10-20: 29 working days by 11-30, 14 past 特困's 15
    add_referral(seeded, "SL-2026-000008", "home_visit", at(19, 1, 10), [accepted_on(at(20, 2, 10))], TEKUN)
    report = stats.collect(seeded, PERIOD, stats.scope_of(Reviewer), now=NOW, limits=limits)
    assert [(o.case_number, o.goal, o.overdue_by) for o in report.overdue] == [
        ("SL-2026-000008", "入户调查并提出初审意见", 14), ("SL-2026-000005", "受理", 11), ("SL-2026-000003", "受理", 1)]
    on_dibaos = stats.collect(seeded, PERIOD, stats.scope_of(Reviewer), now=NOW, limits=DEFAULT)
    assert "SL-2026-000007" in [o.case_number for o in on_dibaos.overdue]   # what the KB's limits prevent
    assert "特困供养：已受理 15 个工作日内入户调查并提出初审意见" in stats.limits_text(
        limits, {name: p.short_name for name, p in kb.programmes.items()})


def test_a_holiday_on_the_calendar_is_not_a_working_day_for_overdue_or_accepted_late(seeded, kb):
    # a fixture calendar: Thu 11-26 off (policies/workdays.yml ships empty)
    limits = with_calendar(kb.referrals.time_limits, Calendar(frozenset({date(2026, 11, 26)})))
    report = stats.collect(seeded, PERIOD, stats.scope_of(Reviewer), now=NOW, limits=limits)
    # 000003, received Tue 11-24: 25, 27, 30 → 3 working days, on time; 000005 is a day less late
    assert [(o.case_number, o.overdue_by) for o in report.overdue] == [("SL-2026-000005", 10)]
    # 000006, received Tue 11-24 and accepted Mon 11-30: 3 working days, not late
    assert {r.name: r.accepted_late for r in report.referrals} == {"茂林镇": 0, "双山镇": 0}
    weekdays_only = stats.collect(seeded, PERIOD, stats.scope_of(Reviewer), now=NOW, limits=kb.referrals.time_limits)
    assert {r.name: r.accepted_late for r in weekdays_only.referrals} == {"茂林镇": 0, "双山镇": 1}
    assert len(weekdays_only.overdue) == 2


class Admin:
    username, role, township_code = "admin1", "admin", None


def test_stats_and_the_queue_agree_on_what_is_overdue(seeded, kb):
    limits = with_calendar(kb.referrals.time_limits, Calendar(frozenset({date(2026, 11, 26)})))
    add_referral(seeded, "SL-2026-000007", "accepted", at(17, 1), [accepted_on(at(20, 2))], TEKUN)
    add_referral(seeded, "SL-2026-000008", "home_visit", at(19, 1, 10), [accepted_on(at(20, 2, 10))], TEKUN)
    transfer = ReferralEvent(actor="clerk1", kind="transfer", from_status="pending", to_status="transferred",
                             department="yibao", note="属医保", at=at(3, 2))
    # transferred to 医保局 on 11-03, not accepted there: 待受理's clock still runs (overdue)
    add_referral(seeded, "SL-2026-000009", "transferred", at(2, 2), [transfer], township=OTHER_TOWNSHIP,
                 department="yibao")
    handover = ReferralEvent(actor="clerk1", kind=queue.HANDOVER, department="yibao", at=at(4, 2))
    transfer_too = ReferralEvent(actor="clerk1", kind="transfer", from_status="pending", to_status="transferred",
                                 department="yibao", note="属医保", at=at(3, 2))
    # the same, but 医保局 accepted it: no clock
    add_referral(seeded, "SL-2026-000010", "transferred", at(2, 2), [transfer_too, handover], department="yibao")
    found = stats.overdue_referrals(seeded, stats.scope_of(Reviewer), NOW, limits)
    assert {o.case_number for o in found} == {"SL-2026-000005", "SL-2026-000008", "SL-2026-000009"}
    waiting = next(o for o in found if o.case_number == "SL-2026-000009")
    assert (waiting.status, waiting.goal, waiting.township) == ("已转医保局，等待对方接收", "受理", "双山镇")
    assert len(found) == queue.overdue_count(seeded, Admin, NOW, limits)
    on_the_queue = queue.list_page(seeded, Admin, queue.Filter("open"), NOW, page_size=100, limits=limits).rows
    assert {o.case_number for o in found} == {row.referral.case_number for row in on_the_queue
                                              if row.clock is not None and row.clock.overdue}
    for staff in (Clerk, Admin):
        report = stats.collect(seeded, PERIOD, stats.scope_of(staff), now=NOW, limits=limits)
        assert len(report.overdue) == queue.overdue_count(seeded, staff, NOW, limits)
