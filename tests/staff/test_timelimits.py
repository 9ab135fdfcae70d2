"""The referral queue's time limits as the knowledge base states them: per programme (特困 15 working days,
低保's where a programme has none, marked borrowed), working days on a holiday calendar (a fixture calendar:
policies/workdays.yml ships empty), and the start-up checks of policies/timelimits.yml, workdays.yml and
referral-notices.yml."""
from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone

import pytest
import yaml

from bot.intake.timelimits import LIMITS, Calendar, TimeLimits, add_working_days, clock, working_days_between
from bot.knowledge.loader import KnowledgeError, load
from bot.settings import ROOT
from bot.staff import queue
from tests.staff.test_queue import CLERK, db, new_referral  # noqa: F401  (db: the fixture)

# A fixture calendar in the shape of a 国庆 notice: Thu 1 Oct to Wed 7 Oct off, Sat 10 Oct worked (not real dates)
HOLIDAYS = frozenset(date(2026, 10, d) for d in range(1, 8))
GOLDEN_WEEK = Calendar(HOLIDAYS, frozenset({date(2026, 10, 10)}))


@pytest.fixture(scope="module")
def kb():
    return load(ROOT / "policies")


def at_china(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 8, tzinfo=timezone.utc)


def test_holidays_do_not_count_and_a_weekend_worked_does():
    wednesday = date(2026, 9, 30)
    assert working_days_between(wednesday, date(2026, 10, 9), GOLDEN_WEEK) == 2      # Thu 8, Fri 9
    assert working_days_between(wednesday, date(2026, 10, 9)) == 7                   # weekdays only
    assert working_days_between(wednesday, date(2026, 10, 10), GOLDEN_WEEK) == 3     # the Saturday worked
    assert working_days_between(wednesday, date(2026, 10, 11), GOLDEN_WEEK) == 3     # Sunday is off
    assert add_working_days(wednesday, 3, GOLDEN_WEEK) == date(2026, 10, 10)
    assert add_working_days(wednesday, 3) == date(2026, 10, 5)
    for end in (wednesday + timedelta(days=n) for n in range(40)):  # the arithmetic agrees with counting
        counted = sum(GOLDEN_WEEK.is_working_day(wednesday + timedelta(days=k))
                      for k in range(1, (end - wednesday).days + 1))
        assert working_days_between(wednesday, end, GOLDEN_WEEK) == counted


def test_the_accept_clock_runs_over_a_holiday_on_the_calendar():
    limits = TimeLimits({"dibao": LIMITS}, calendar=GOLDEN_WEEK)
    received = at_china(date(2026, 9, 30))
    running = clock("pending", received, None, 0, at_china(date(2026, 10, 9)), limits, "dibao")
    assert (running.elapsed, running.overdue, running.due) == (2, False, date(2026, 10, 10))
    assert clock("pending", received, None, 0, at_china(date(2026, 10, 9))).overdue  # no calendar: late


def test_each_programme_runs_its_own_limit_from_the_knowledge_base_else_dibaos_marked(kb):
    limits = kb.referrals.time_limits
    tekun = limits.limit("tekun", "accepted")
    assert (tekun.days, tekun.borrowed) == (15, False)
    assert "特困人员认定办法 第十三条" in tekun.source and "policies/tekun.yml" in tekun.source
    dibao = limits.limit("dibao", "home_visit")
    assert (dibao.days, dibao.goal, dibao.borrowed) == (30, "办结", False) and "第二十二条" in dibao.source
    linshi = limits.limit("linshi", "accepted")
    assert (linshi.days, linshi.borrowed) == (3, True)          # no limit for 临时救助 in the KB: 低保's
    assert limits.limit("tekun", "pending").borrowed            # 特困 states none for accepting
    assert limits.limit(None, "pending").borrowed
    assert limits.limit("dibao", "closed") is None


def test_the_bundled_dibao_figures_agree_with_the_knowledge_base(kb):
    """LIMITS stands in where no knowledge base is passed: it must say what policies/timelimits.yml says."""
    table = kb.referrals.time_limits.by_programme["dibao"]
    assert {s: (l.days, l.goal, l.since) for s, l in table.items()} == \
        {s: (l.days, l.goal, l.since) for s, l in LIMITS.items()}


def test_a_tekun_referral_accepted_is_on_a_fifteen_day_clock(db, kb):  # noqa: F811
    limits = kb.referrals.time_limits
    referral = new_referral(db, created=datetime.now(timezone.utc) - timedelta(days=30))
    referral.suggestions = [{"programme": "tekun", "outcome": "likely", "reasons": []},
                            {"programme": "dibao", "outcome": "possible", "reasons": []}]
    db.commit()
    queue.change_status(db, CLERK, referral, "accepted")
    accepted = queue.clock_of(referral, limits=limits)
    assert (accepted.limit.days, accepted.limit.borrowed) == (15, False)
    two_weeks_on = datetime.now(timezone.utc) + timedelta(days=14)   # 10 working days after acceptance
    assert not queue.clock_of(referral, two_weeks_on, limits).overdue
    assert queue.clock_of(referral, two_weeks_on, DEFAULT_ONLY).overdue  # 低保's 3 days would have run out
    referral.kind = "urgent"  # urgent: 临时救助 first, which has no limit of its own
    assert queue.clock_of(referral, limits=limits).limit.borrowed


DEFAULT_ONLY = TimeLimits({"dibao": LIMITS})


# ---- the start-up checks ------------------------------------------------------------------------------------

@pytest.fixture
def policies(tmp_path):
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", target)
    return target


def edit(folder, name, change):
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("name,change,message", [
    ("timelimits.yml", lambda d: d["programmes"]["tekun"]["accepted"].update(days=10), "does not say 10个工作日"),
    ("timelimits.yml", lambda d: d["programmes"]["tekun"]["accepted"].update(quote="乡镇在15个工作日内办完"),
     "does not occur in tekun.yml"),
    ("timelimits.yml", lambda d: d["programmes"]["tekun"]["accepted"].pop("quote"), "either a quote"),
    ("timelimits.yml", lambda d: d["programmes"]["dibao"].pop("home_visit"), "no limit for home_visit"),
    ("timelimits.yml", lambda d: d["programmes"].update(wubao={}), "unknown programme 'wubao'"),
    ("timelimits.yml", lambda d: d["programmes"]["tekun"].update(closed=d["programmes"]["tekun"]["accepted"]),
     "no clock runs in status 'closed'"),
    ("workdays.yml", lambda d: d.update(workdays=["2026-10-09"]), "is a weekday"),
    ("workdays.yml", lambda d: d.update(holidays=["2026-10-10"], workdays=["2026-10-10"]), "both a holiday"),
    ("workdays.yml", lambda d: d.update(holidays=["国庆"]), "is not a date"),
    ("referral-notices.yml", lambda d: d["next_step"].pop("home_visit"), "no next step for status 'home_visit'"),
    ("referral-notices.yml", lambda d: d["next_step"]["closed"].pop("sources"), "sources"),
    ("referral-notices.yml", lambda d: d["next_step"]["rejected"]["sources"][0].update(article="第九百条"),
     "does not occur"),
    ("referral-notices.yml", lambda d: d["next_step"]["accepted"].update(text="请到{office}办理。"),
     "unknown placeholder"),
])
def test_an_inconsistent_queue_file_stops_loading(policies, name, change, message):
    edit(policies, name, change)
    with pytest.raises(KnowledgeError, match=message):
        load(policies)


def test_a_missing_queue_file_stops_loading(policies):
    (policies / "workdays.yml").unlink()
    with pytest.raises(KnowledgeError, match="missing policies/workdays.yml"):
        load(policies)


def test_the_calendar_the_bureau_fills_in_is_read(policies):
    edit(policies, "workdays.yml", lambda d: d.update(holidays=[date(2026, 10, 1)], workdays=["2026-10-10"]))
    calendar = load(policies).referrals.time_limits.calendar
    assert not calendar.is_working_day(date(2026, 10, 1)) and calendar.is_working_day(date(2026, 10, 10))


def test_the_shipped_calendar_is_empty_until_the_bureau_fills_it_in(kb):
    calendar = kb.referrals.time_limits.calendar
    assert calendar.holidays == frozenset() and calendar.workdays == frozenset()


def test_every_status_has_its_sentence_and_the_sourced_ones_cite_the_law(kb):
    steps = kb.referrals.next_steps
    assert set(steps) == set(queue.STATUSES)
    assert steps["needs_materials"].sources and steps["rejected"].sources and steps["home_visit"].sources
    assert kb.referrals.next_step_texts["transferred"].format(department="残联") == "已经转给残联办理，他们会联系您。"
