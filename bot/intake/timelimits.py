"""Time limits of a referral, counted in working days as a 12345 centre counts them.

Working days are Monday to Friday in China time. China's public holidays and the weekend days worked in
their place (调休) are not known here: no holiday calendar is bundled, so a limit that spans 国庆 or 春节
shows overdue a few days early. A bureau that needs it exact adds a calendar to `is_working_day`.

Which limit runs depends on the status (`LIMITS`). The figures and where they come from:
- 待受理 → 受理: 3 working days from receipt. Issue 11's figure for the intake office; the knowledge base has
  no article for it (policies/dibao.yml states limits from 受理 on, not before it).
- 已受理 → 入户调查: 3 working days from acceptance, policies/dibao.yml process: "受理后3个工作日内开始调查"
  (最低生活保障审核确认办法 第十五条—第十七条).
- 待补材料 / 入户调查 → 办结: 30 working days from acceptance, policies/dibao.yml process: "一般30个工作日内办完，
  特殊情况最长45个工作日" (同办法 第二十二条); an extension (延期) covers the special case.

A transfer to another township does not restart the clock: the receiving office's 待受理 counts from the
day the referral was first received. An extension adds working days to the limit running when it is given.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
REMIND_CLERK_AFTER = 0    # working days overdue: the clerk is reminded as soon as the limit has passed
REPORT_BUREAU_AFTER = 2   # working days overdue: then the bureau is told


@dataclass(frozen=True)
class Limit:
    days: int
    goal: str     # what must happen within the limit (shown to the clerk)
    since: str    # "received" | "accepted": where the clock starts
    source: str   # where the figure comes from


LIMITS = {
    "pending": Limit(3, "受理", "received", "3个工作日内受理（议题11的时限要求，知识库暂无条文）"),
    "accepted": Limit(3, "开始入户调查", "accepted",
                      "受理后3个工作日内开始调查（最低生活保障审核确认办法 第十五条，policies/dibao.yml）"),
    "needs_materials": Limit(30, "办结", "accepted",
                             "一般30个工作日内办完（最低生活保障审核确认办法 第二十二条，policies/dibao.yml）"),
    "home_visit": Limit(30, "办结", "accepted",
                        "一般30个工作日内办完（最低生活保障审核确认办法 第二十二条，policies/dibao.yml）"),
}


def china_day(at: datetime) -> date:
    return at.astimezone(CHINA).date()


def is_working_day(day: date) -> bool:
    return day.weekday() < 5  # Mon–Fri; no public-holiday calendar (see the module's note)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 on the same day; negative never)."""
    if end <= start:
        return 0
    whole_weeks, rest = divmod((end - start).days, 7)
    count = whole_weeks * 5
    for offset in range(1, rest + 1):
        count += is_working_day(start + timedelta(days=whole_weeks * 7 + offset))
    return count


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (the last day of a limit that starts at `start`)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= is_working_day(day)
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


def clock(status: str, received: datetime, accepted: datetime | None, extended: int, now: datetime) -> Clock | None:
    """The running clock of a referral in `status`, or None when no limit runs (closed, rejected, sent to a
    department). `accepted`: the last time it was accepted (None if never: the clock of receipt runs)."""
    limit = LIMITS.get(status)
    if limit is None:
        return None
    start = china_day(accepted if limit.since == "accepted" and accepted else received)
    return Clock(limit, start, extended, working_days_between(start, china_day(now)),
                 add_working_days(start, limit.days + extended))
