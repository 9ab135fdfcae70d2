"""Time limits of a referral, counted in working days as a 12345 centre counts them.

The figures are the knowledge base's, per programme (policies/timelimits.yml, checked at start-up by
bot.knowledge.referrals: each limit quotes the programme's own sentence that states it, with that sentence's
sources, or names the bureau's rule where no policy text has one). A programme without its own limit for a
status runs 低保's, marked `borrowed` (shown "（按低保时限）"). Which limit runs depends on the status:
待受理 → 受理 counts from receipt, the limits after it from acceptance.

Working days are Monday to Friday in China time, minus the public holidays and plus the weekend days worked in
their place (调休) of policies/workdays.yml, which the bureau fills in from each year's 国务院办公厅 notice.

A transfer to another township does not restart the clock: the receiving office's 待受理 counts from the
day the referral was first received. An extension adds working days to the limit running when it is given.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
REMIND_CLERK_AFTER = 0    # working days overdue: the clerk is reminded as soon as the limit has passed
REPORT_BUREAU_AFTER = 2   # working days overdue: then the bureau is told
RECEIVED, ACCEPTED = "received", "accepted"   # where a clock starts
CLOCK_STATUSES = ("pending", "accepted", "needs_materials", "home_visit")   # a limit runs in these


@dataclass(frozen=True)
class Limit:
    days: int
    goal: str     # what must happen within the limit (shown to the clerk)
    since: str    # RECEIVED | ACCEPTED: where the clock starts
    source: str   # where the figure comes from
    borrowed: bool = False   # 低保's limit, run for a programme the knowledge base gives none for


@dataclass(frozen=True)
class Calendar:
    """Which days are working days: Monday to Friday, except `holidays`, and the 调休 `workdays` besides."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)


WEEKDAYS = Calendar()


@dataclass(frozen=True)
class TimeLimits:
    """Every programme's limits by status (bot.knowledge.referrals builds it from policies/) and the calendar."""

    by_programme: dict[str, dict[str, Limit]]
    fallback: str = "dibao"
    calendar: Calendar = field(default_factory=Calendar)

    def limit(self, programme: str | None, status: str) -> Limit | None:
        own = self.by_programme.get(programme or "", {}).get(status)
        if own is not None:
            return own
        base = self.by_programme.get(self.fallback, {}).get(status)
        return replace(base, borrowed=True) if base is not None and programme != self.fallback else base


# 低保's figures: the default of the queue's and the statistics' functions for a caller that passes no knowledge
# base (tests); the app always passes policies/timelimits.yml's. A test keeps them equal to its dibao.
LIMITS = {
    "pending": Limit(3, "受理", RECEIVED, "3个工作日内受理（市民政局对转介工单的要求，知识库暂无条文）"),
    "accepted": Limit(3, "开始入户调查", ACCEPTED, "受理后3个工作日内开始调查（policies/dibao.yml）"),
    "needs_materials": Limit(30, "办结", ACCEPTED, "一般30个工作日内办完（policies/dibao.yml）"),
    "home_visit": Limit(30, "办结", ACCEPTED, "一般30个工作日内办完（policies/dibao.yml）"),
}
DEFAULT = TimeLimits({"dibao": LIMITS})


def china_day(at: datetime) -> date:
    return at.astimezone(CHINA).date()


def is_working_day(day: date, calendar: Calendar = WEEKDAYS) -> bool:
    return calendar.is_working_day(day)


def working_days_between(start: date, end: date, calendar: Calendar = WEEKDAYS) -> int:
    """Working days after `start` up to and including `end` (0 on the same day; negative never)."""
    if end <= start:
        return 0
    whole_weeks, rest = divmod((end - start).days, 7)
    count = whole_weeks * 5 + sum(
        (start + timedelta(days=whole_weeks * 7 + offset)).weekday() < 5 for offset in range(1, rest + 1))
    # the calendar's exceptions inside (start, end]: a weekday off, a weekend day worked
    count -= sum(1 for day in calendar.holidays if start < day <= end and day.weekday() < 5
                 and day not in calendar.workdays)
    return count + sum(1 for day in calendar.workdays if start < day <= end and day.weekday() >= 5)


def add_working_days(start: date, days: int, calendar: Calendar = WEEKDAYS) -> date:
    """The day `days` working days after `start` (the last day of a limit that starts at `start`)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= calendar.is_working_day(day)
    return day


@dataclass(frozen=True)
class Clock:
    """Where a referral stands against its running limit."""

    limit: Limit
    started: date
    extended: int       # working days added by extensions
    elapsed: int        # working days since the clock started
    due: date           # last day within the limit

    @property
    def allowed(self) -> int:
        return self.limit.days + self.extended

    @property
    def overdue_by(self) -> int:
        return max(0, self.elapsed - self.allowed)

    @property
    def overdue(self) -> bool:
        return self.elapsed > self.allowed

    @property
    def left(self) -> int:
        return max(0, self.allowed - self.elapsed)


def clock(status: str, received: datetime, accepted: datetime | None, extended: int, now: datetime,
          limits: TimeLimits = DEFAULT, programme: str | None = None) -> Clock | None:
    """The running clock of a referral of `programme` in `status`, or None when no limit runs (closed,
    rejected). `accepted`: the last time it was accepted (None if never: the clock of receipt runs)."""
    limit = limits.limit(programme, status)
    if limit is None:
        return None
    start = china_day(accepted if limit.since == ACCEPTED and accepted else received)
    calendar = limits.calendar
    return Clock(limit, start, extended, working_days_between(start, china_day(now), calendar),
                 add_working_days(start, limit.days + extended, calendar))
