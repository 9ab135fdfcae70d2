"""The statistics screen's figures (`/console/stats`): typed results from the database, one function each.

    report = stats.collect(session, stats.Period.of(since, until, today), stats.scope_of(staff), now=utcnow())

What is counted, from what (everything in China time, a period is whole China-time days, both ends included):

- messages per day by channel: `inbound_messages` (every resident message is written there first).
- intents: the engine's intent of each resident turn, from the review screen's tables (`review_turns`, read in
  from the engine's event broker when the review page opens or `bot review sync` runs: events not read in yet
  are not counted); alert kinds (emergency, handoff, complaint, referral_failed) and referral kinds (apply,
  discovery, urgent). Staff-side alerts (referral_overdue) are no resident's intent.
- rates: handoffs (handoff alerts) per conversation (a resident who wrote in the period); messages the
  engine could not answer (`inbound_messages.status = failed`) per message; the fallback rate from the same
  review tables: turns read as nlu_fallback per turn with an intent, and conversations with a fallback (the
  intent or a fallback action) per conversation started in the period. None while nothing is read in.
- emergencies: emergency alerts per day and by safety-net category.
- referrals received in the period by township and status; median time from receipt to the first
  acceptance (已受理) and to the first closing (已办结), from `referral_events`; referrals accepted late.
- overdue: referrals on the clock past their running time limit now, whenever received (an old overdue case
  matters most), by the referral queue's own clocks (bot.staff.queue.clock_of): open ones and those transferred
  to a department that has not accepted them yet; each programme's limits and the working-day calendar are the
  knowledge base's (`kb.referrals.time_limits`, passed in by the route: policies/timelimits.yml, workdays.yml),
  extensions added. "Accepted late": the same clock's limit to accept had run out when it was first accepted.

Scope: reviewers and admins see everything; a clerk sees their own township's referral figures and nothing
else (messages, alerts and emergencies belong to no township: the resident's township is known only once a
referral is made). The figures are counts: no resident's name, phone or words appear in any of them.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, cast, false, func, select, true
from sqlalchemy.orm import Session

from bot.staff.alerts.models import Alert
from bot.channels.inbox import InboundMessage
from bot.intake.models import Referral, ReferralEvent, Township
from bot.intake.timelimits import DEFAULT, Limit, TimeLimits
from bot.intake.workflow import KINDS as REFERRAL_KINDS
from bot.intake.workflow import STATUSES
from bot.staff import queue
from bot.staff.audit import CHINA, day_start
from bot.staff.queue import clock_of
from bot.staff.review.events import FALLBACK_INTENTS
from bot.staff.review.models import ReviewConversation, ReviewTurn
from bot.staff.roles import ADMIN, CLERK, REVIEWER

DEFAULT_DAYS = 30
MAX_DAYS = 366

CHANNELS = {"web": "网页", "wechat": "微信", "12345": "12345 热线", "api": "接口"}
ALERT_KINDS = {"emergency": "紧急情况", "handoff": "要求转人工", "complaint": "投诉", "referral_failed": "转介没开成"}
ENGINE_INTENTS_SHOWN = 15  # the most frequent; the rest add up to one "其他" row
NOT_COUNTED = ("居民每句话的意图和兜底率来自会话审阅读入的对话引擎事件（打开会话审阅页或运行 bot review sync 时读入），"
               "还没读入的不算。")


# ---- the period and who asks ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """China-time days `since` to `until`, both included."""

    since: date
    until: date

    @classmethod
    def of(cls, since: date | None, until: date | None, today: date) -> Period:
        """The asked days, made sensible: the last DEFAULT_DAYS days by default, ends swapped if reversed,
        never past today, at most MAX_DAYS long (counted back from `until`)."""
        if since and until and since > until:
            since, until = until, since
        until = min(until or today, today)
        since = min(since or until - timedelta(days=DEFAULT_DAYS - 1), until)
        since = max(since, until - timedelta(days=MAX_DAYS - 1))
        return cls(since, until)

    @property
    def start(self) -> datetime:
        return day_start(self.since)

    @property
    def end(self) -> datetime:  # exclusive
        return day_start(self.until + timedelta(days=1))

    @property
    def days(self) -> list[date]:
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]


def presets(today: date) -> list[tuple[str, Period]]:
    """Ranges offered with one click: the last 7 and 30 days, this month, last month."""
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    return [("近 7 天", Period(today - timedelta(days=6), today)), ("近 30 天", Period(today - timedelta(days=29), today)),
            ("本月", Period(first, today)), ("上月", Period(last_month_end.replace(day=1), last_month_end))]


@dataclass(frozen=True)
class Scope:
    """Whose figures: every township (None) or one, and whether the resident-wide figures are shown."""

    township_code: str | None
    residents: bool  # messages, intents from alerts, rates, emergencies

    @property
    def nothing(self) -> bool:
        return self.township_code == ""


def scope_of(user: Any) -> Scope:
    """A reviewer or admin: all; a clerk: their township's referrals only; anyone else (or a clerk without a
    township): nothing."""
    if user.role in (ADMIN, REVIEWER):
        return Scope(None, True)
    if user.role == CLERK and user.township_code:
        return Scope(user.township_code, False)
    return Scope("", False)


# ---- results -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    name: str       # code, e.g. "wechat"
    label: str      # for people, e.g. "微信"
    values: list[int]


@dataclass(frozen=True)
class PerDay:
    days: list[date]
    series: list[Series]

    @property
    def total(self) -> int:
        return sum(sum(s.values) for s in self.series)


@dataclass(frozen=True)
class Count:
    source: str  # "提醒" (an alert) | "转介" (a referral)
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class Rate:
    code: str
    label: str
    numerator: int | None
    denominator: int | None
    note: str = ""

    @property
    def value(self) -> float | None:
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator


@dataclass(frozen=True)
class TownshipRow:
    code: str
    name: str
    by_status: dict[str, int]
    total: int
    median_accept_hours: float | None
    median_close_hours: float | None
    accepted_late: int
    overdue: int


@dataclass(frozen=True)
class Timing:
    code: str            # accept | close
    label: str
    median_hours: float | None
    count: int           # referrals that reached it


@dataclass(frozen=True)
class Overdue:
    case_number: str
    township: str
    kind: str
    urgency: str
    status: str         # for people: 待受理…
    goal: str           # what was due: 受理 | 开始入户调查 | 办结
    due: date           # the last working day of the limit
    received: datetime
    overdue_by: int     # working days past the limit


@dataclass(frozen=True)
class Report:
    period: Period
    scope: Scope
    messages: PerDay | None            # None: not this staff member's to see
    intents: list[Count]
    rates: list[Rate] | None
    emergencies: PerDay | None
    emergency_categories: list[Count] | None
    referrals: list[TownshipRow]
    statuses: dict[str, str] = field(default_factory=lambda: dict(STATUSES))
    timings: list[Timing] = field(default_factory=list)
    overdue: list[Overdue] = field(default_factory=list)
    not_counted: str = NOT_COUNTED


# ---- helpers -------------------------------------------------------------------------------------------------

def china_day(session: Session, column: Any) -> Any:
    """The China-time calendar day of a stored UTC time, in SQL (China has no daylight saving)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("Asia/Shanghai", column), Date)
    return func.date(column, "+8 hours")


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _aware(at: datetime) -> datetime:
    from datetime import timezone
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def _median_hours(spans: list[timedelta]) -> float | None:
    return round(statistics.median(s.total_seconds() for s in spans) / 3600, 1) if spans else None


def _referral_filter(scope: Scope) -> ColumnElement[bool]:
    if scope.nothing:
        return false()
    return Referral.township_code == scope.township_code if scope.township_code else true()


def _per_day(session: Session, period: Period, column: Any, key: Any, where: ColumnElement[bool],
             labels: dict[str, str]) -> PerDay:
    day = china_day(session, column)
    rows = session.execute(select(day, key, func.count()).where(column >= period.start, column < period.end, where)
                           .group_by(day, key)).all()
    index = {d: n for n, d in enumerate(period.days)}
    values: dict[str, list[int]] = defaultdict(lambda: [0] * len(index))
    for when, name, count in rows:
        values[name or "unknown"][index[_as_date(when)]] += count
    names = [n for n in labels if n in values] + sorted(n for n in values if n not in labels)
    return PerDay(period.days, [Series(n, labels.get(n, n), values[n]) for n in names])


# ---- the figures ---------------------------------------------------------------------------------------------

def messages_per_day(session: Session, period: Period) -> PerDay:
    return _per_day(session, period, InboundMessage.created_at, InboundMessage.channel, true(), CHANNELS)


def emergencies_per_day(session: Session, period: Period) -> PerDay:
    return _per_day(session, period, Alert.created_at, Alert.kind, Alert.kind == "emergency",
                    {"emergency": "紧急情况"})


def _alert_counts(session: Session, period: Period, key: Any, where: ColumnElement[bool]) -> Counter[str]:
    rows = session.execute(select(key, func.count()).where(Alert.created_at >= period.start,
                                                            Alert.created_at < period.end, where).group_by(key))
    return Counter({name or "": count for name, count in rows})


def intents(session: Session, period: Period, scope: Scope) -> list[Count]:
    found: list[Count] = []
    if scope.residents:
        alerts = _alert_counts(session, period, Alert.kind, Alert.kind.in_(list(ALERT_KINDS)))
        found += engine_intents(session, period)
        found += [Count("提醒", code, label, alerts.get(code, 0)) for code, label in ALERT_KINDS.items()]
    kinds = Counter(dict(session.execute(
        select(Referral.kind, func.count()).where(Referral.created_at >= period.start,
                                                  Referral.created_at < period.end, _referral_filter(scope))
        .group_by(Referral.kind)).all()))
    found += [Count("转介", code, REFERRAL_KINDS.get(code, code), kinds.get(code, 0))
              for code in [*REFERRAL_KINDS, *sorted(set(kinds) - set(REFERRAL_KINDS))]]
    return found


def engine_intents(session: Session, period: Period) -> list[Count]:
    """The engine's intent of each resident turn (review_turns, as the review screen has read them in), the most
    frequent first; the intents past ENGINE_INTENTS_SHOWN add up to one row."""
    rows = session.execute(select(ReviewTurn.intent, func.count())
                           .where(ReviewTurn.at >= period.start, ReviewTurn.at < period.end,
                                  ReviewTurn.intent.is_not(None))
                           .group_by(ReviewTurn.intent).order_by(func.count().desc(), ReviewTurn.intent)).all()
    found = [Count("引擎", name, name, n) for name, n in rows[:ENGINE_INTENTS_SHOWN]]
    rest = sum(n for _, n in rows[ENGINE_INTENTS_SHOWN:])
    return found + ([Count("引擎", "other", "其他", rest)] if rest else [])


def emergency_categories(session: Session, period: Period, labels: dict[str, str] | None = None) -> list[Count]:
    """Emergency alerts by safety-net category (`labels`: its names for people, policies/emergency.yml)."""
    counts = _alert_counts(session, period, Alert.category, Alert.kind == "emergency")
    labels = labels or {}
    return [Count("提醒", code or "none", labels.get(code, code) or "未分类", n) for code, n in counts.most_common()]


def rates(session: Session, period: Period) -> list[Rate]:
    in_period = and_(InboundMessage.created_at >= period.start, InboundMessage.created_at < period.end)
    messages, conversations, failed = session.execute(
        select(func.count(), func.count(func.distinct(InboundMessage.sender)),
               func.count().filter(InboundMessage.status == "failed")).where(in_period)).one()
    handoffs = _alert_counts(session, period, Alert.kind, Alert.kind == "handoff").get("handoff", 0)
    found = [
        Rate("handoff", "转人工率（转人工次数 / 来访居民数）", handoffs, conversations),
        Rate("engine_failed", "没能回答的消息（对话引擎不可用）/ 消息数", failed, messages),
    ]
    turns, fallback_turns = session.execute(
        select(func.count(), func.count().filter(ReviewTurn.intent.in_(list(FALLBACK_INTENTS))))
        .where(ReviewTurn.at >= period.start, ReviewTurn.at < period.end, ReviewTurn.intent.is_not(None))).one()
    talks, fallback_talks = session.execute(
        select(func.count(), func.count().filter(ReviewConversation.fallback.is_(True)))
        .where(ReviewConversation.started_at >= period.start, ReviewConversation.started_at < period.end)).one()
    unread = "还没有读入这段时间的对话引擎事件（打开会话审阅页会读入）。"
    found += [Rate("fallback", "兜底率（没听懂的句子 / 引擎识别的句子）", fallback_turns if turns else None,
                   turns or None, "" if turns else unread),
              Rate("fallback_conversations", "有兜底的会话 / 会话数", fallback_talks if talks else None,
                   talks or None, "" if talks else unread)]
    return found


def _first_reached(session: Session, received: ColumnElement[bool], status: str) -> dict[int, datetime]:
    """When each referral matching `received` first reached `status` (one query, a join: no long IN lists)."""
    rows = session.execute(select(ReferralEvent.referral_id, func.min(ReferralEvent.at))
                           .join(Referral, Referral.id == ReferralEvent.referral_id)
                           .where(ReferralEvent.to_status == status, received)
                           .group_by(ReferralEvent.referral_id))
    return {rid: _aware(at) for rid, at in rows}


def referrals(session: Session, period: Period, scope: Scope, now: datetime, limits: TimeLimits = DEFAULT
              ) -> tuple[list[TownshipRow], list[Timing], list[Overdue]]:
    """Referrals received in the period by township and status, with their timings; the overdue list (now)."""
    in_period = and_(Referral.created_at >= period.start, Referral.created_at < period.end, _referral_filter(scope))
    received = _clock_rows(session, in_period, ("extension",))  # extensions move the limit to accept
    accepted = _first_reached(session, in_period, "accepted")
    closed = _first_reached(session, in_period, "closed")
    overdue = overdue_referrals(session, scope, now, limits)
    overdue_by_township = Counter(o.township for o in overdue)
    names = dict(session.execute(select(Township.code, Township.name)).all())

    groups: dict[str | None, list[_ClockRow]] = defaultdict(list)
    for row in received.values():
        groups[row.township_code].append(row)
    rows: list[TownshipRow] = []
    all_accept: list[timedelta] = []
    all_close: list[timedelta] = []
    for code in sorted(groups, key=lambda c: (c is None, names.get(c or "", c or ""))):
        members = groups[code]
        accept = [accepted[r.id] - r.created_at for r in members if r.id in accepted]
        close = [closed[r.id] - r.created_at for r in members if r.id in closed]
        late = sum(1 for r in members if r.id in accepted and _accepted_late(r, accepted[r.id], limits))
        name = names.get(code or "", code) if code else "未定乡镇"
        rows.append(TownshipRow(code or "", name, dict(Counter(r.status for r in members)), len(members),
                                _median_hours(accept), _median_hours(close), late, overdue_by_township.get(name, 0)))
        all_accept += accept
        all_close += close
    timings = [Timing("accept", "从收到到受理", _median_hours(all_accept), len(all_accept)),
               Timing("close", "从收到到办结", _median_hours(all_close), len(all_close))]
    return rows, timings, overdue


@dataclass
class _ClockRow:
    """What bot.staff.queue reads of a referral for its clock and status label, without loading ORM objects
    (thousands of referrals with their events load ten times faster as plain rows)."""

    id: int
    case_number: str
    township_code: str | None
    kind: str
    urgency: str
    status: str
    department: str | None
    suggestions: list[dict[str, Any]] | None   # the programme whose limits run (bot.staff.queue.programme_of)
    created_at: datetime
    events: list[Any] = field(default_factory=list)


CLOCK_COLUMNS = (Referral.id, Referral.case_number, Referral.township_code, Referral.kind, Referral.urgency,
                 Referral.status, Referral.department, Referral.suggestions, Referral.created_at)
CLOCK_EVENTS = ("status", "followup", "extension", "transfer", queue.HANDOVER)  # what the queue's clocks read


def _clock_rows(session: Session, where: ColumnElement[bool], event_kinds: tuple[str, ...] = CLOCK_EVENTS
                ) -> dict[int, _ClockRow]:
    """The referrals matching `where`, each with its events of `event_kinds`, oldest first: two queries."""
    found = {row.id: _ClockRow(*row) for row in session.execute(select(*CLOCK_COLUMNS).where(where))}
    # the referrals by a subquery, not a join: `where` may hold a correlated EXISTS on referral_events
    events = (select(ReferralEvent.referral_id, ReferralEvent.kind, ReferralEvent.from_status,
                     ReferralEvent.to_status, ReferralEvent.at, ReferralEvent.days)
              .where(ReferralEvent.referral_id.in_(select(Referral.id).where(where)),
                     ReferralEvent.kind.in_(event_kinds)).order_by(ReferralEvent.id))
    for event in session.execute(events):
        if event.referral_id in found:  # not one that arrived between the two queries
            found[event.referral_id].events.append(event)
    for row in found.values():
        row.created_at = _aware(row.created_at)
    return found


def _accepted_late(referral: _ClockRow, accepted: datetime, limits: TimeLimits) -> bool:
    """Whether the queue's clock to accept (待受理's, extensions given before added) had run out when the
    referral was first accepted: its clock as it stood then."""
    then = replace(referral, status="pending", events=[e for e in referral.events if e.at < accepted])
    running = clock_of(then, accepted, limits)  # type: ignore[arg-type]  (reads the fields _ClockRow has)
    return running is not None and running.overdue


def overdue_referrals(session: Session, scope: Scope, now: datetime, limits: TimeLimits = DEFAULT) -> list[Overdue]:
    """Referrals on the clock (bot.staff.queue: open, or transferred to a department that has not accepted them)
    past their running limit now, whenever received, by the queue's own clocks on `limits` (each programme's,
    the working-day calendar; extensions count); longest overdue first."""
    # a clock starts at receipt or later and counts at most one working day a day: none has run out sooner
    shortest = min((limit.days for own in limits.by_programme.values() for limit in own.values()), default=0)
    candidates = and_(queue.on_the_clock(), Referral.created_at < now - timedelta(days=shortest),
                      _referral_filter(scope))
    names = dict(session.execute(select(Township.code, Township.name)).all())
    found = []
    for referral in _clock_rows(session, candidates).values():
        running = clock_of(referral, now, limits)  # type: ignore[arg-type]  (reads the fields _ClockRow has)
        if running is None or not running.overdue:
            continue
        found.append(Overdue(referral.case_number, names.get(referral.township_code or "", "未定乡镇"),
                             REFERRAL_KINDS.get(referral.kind, referral.kind), referral.urgency,
                             queue.status_label(referral), running.limit.goal,  # type: ignore[arg-type]
                             running.due, referral.created_at, running.overdue_by))
    return sorted(found, key=lambda o: (-o.overdue_by, o.received))


def limits_text(limits: TimeLimits = DEFAULT, names: Mapping[str, str] | None = None) -> str:
    """The time limits in a line, for the page: the fallback programme's (低保: also every programme without
    its own), then each programme's own where they differ. `names`: programme → its name for people."""
    names = names or {}
    fallback = limits.by_programme.get(limits.fallback, {})

    def listed(by_status: Mapping[str, Limit]) -> str:
        return "，".join(f"{STATUSES.get(s, s)} {limit.days} 个工作日内{limit.goal}" for s, limit in by_status.items())

    parts = [f"{listed(fallback)}（{names.get(limits.fallback, '低保')}，知识库没写时限的项目同此）"]
    for name, own in limits.by_programme.items():
        differs = {s: limit for s, limit in own.items()
                   if s not in fallback or (limit.days, limit.goal) != (fallback[s].days, fallback[s].goal)}
        if name != limits.fallback and differs:
            parts.append(f"{names.get(name, name)}：{listed(differs)}")
    return "；".join(parts)


def collect(session: Session, period: Period, scope: Scope, now: datetime,
            category_labels: dict[str, str] | None = None, limits: TimeLimits = DEFAULT) -> Report:
    """Every figure; `limits`: the knowledge base's time limits (`kb.referrals.time_limits`), as the queue's."""
    rows, timings, overdue = referrals(session, period, scope, now, limits)
    residents = scope.residents
    return Report(
        period=period, scope=scope,
        messages=messages_per_day(session, period) if residents else None,
        intents=intents(session, period, scope),
        rates=rates(session, period) if residents else None,
        emergencies=emergencies_per_day(session, period) if residents else None,
        emergency_categories=emergency_categories(session, period, category_labels) if residents else None,
        referrals=rows, timings=timings, overdue=overdue,
    )


# ---- tables (the page's, the CSV's and the charts' data) ----------------------------------------------------

@dataclass(frozen=True)
class Table:
    name: str
    title: str
    header: list[str]
    rows: list[list[Any]]


def _hours(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _percent(rate: Rate) -> str:
    return "" if rate.value is None else f"{rate.value * 100:.1f}%"


def tables(report: Report) -> dict[str, Table]:
    """Every table of the report, by name (also the CSV export's names); a clerk's lacks the resident-wide ones."""
    found: dict[str, Table] = {}
    if report.messages is not None:
        found["messages"] = Table("messages", "每天消息数（按渠道）", ["日期", *[s.label for s in report.messages.series], "合计"],
                                  [[d.isoformat(), *[s.values[i] for s in report.messages.series],
                                    sum(s.values[i] for s in report.messages.series)]
                                   for i, d in enumerate(report.messages.days)])
    found["intents"] = Table("intents", "意图（现有记录能数的部分）", ["来源", "类别", "次数"],
                             [[c.source, c.label, c.count] for c in report.intents])
    if report.rates is not None:
        found["rates"] = Table("rates", "转人工率和未回答率", ["指标", "次数", "基数", "比率", "说明"],
                               [[r.label, "" if r.numerator is None else r.numerator,
                                 "" if r.denominator is None else r.denominator, _percent(r), r.note]
                                for r in report.rates])
    if report.emergencies is not None and report.emergency_categories is not None:
        found["emergencies"] = Table("emergencies", "紧急情况（按类别）", ["类别", "次数"],
                                     [[c.label, c.count] for c in report.emergency_categories])
    statuses = list(report.statuses)
    found["referrals"] = Table(
        "referrals", "转介工单（按乡镇和状态）",
        ["乡镇", *[report.statuses[s] for s in statuses], "合计", "受理用时中位数（小时）", "办结用时中位数（小时）",
         "超过时限才受理", "现在超期"],
        [[r.name, *[r.by_status.get(s, 0) for s in statuses], r.total, _hours(r.median_accept_hours),
          _hours(r.median_close_hours), r.accepted_late, r.overdue] for r in report.referrals])
    found["timings"] = Table("timings", "办理用时", ["环节", "中位数（小时）", "工单数"],
                             [[t.label, _hours(t.median_hours), t.count] for t in report.timings])
    found["overdue"] = Table("overdue", "超期工单（现在，不限日期范围）",
                             ["工单号", "乡镇", "类型", "紧急程度", "状态", "应办", "期限", "超期工作日",
                              "收到时间（北京时间）"],
                             [[o.case_number, o.township, o.kind, "急" if o.urgency == "urgent" else "一般", o.status,
                               o.goal, o.due.isoformat(), o.overdue_by,
                               o.received.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")] for o in report.overdue])
    return found


def chart_data(report: Report) -> dict[str, Any]:
    """What /console/static/stats.js draws (the JSON endpoint's body)."""
    def per_day(found: PerDay | None) -> dict[str, Any] | None:
        if found is None:
            return None
        return {"days": [d.isoformat() for d in found.days], "total": found.total,
                "series": [{"name": s.label, "values": s.values} for s in found.series]}

    statuses = list(report.statuses)
    return {
        "period": {"since": report.period.since.isoformat(), "until": report.period.until.isoformat()},
        "messages": per_day(report.messages),
        "intents": [{"source": c.source, "name": c.label, "value": c.count} for c in report.intents],
        "rates": None if report.rates is None else [
            {"name": r.label, "value": None if r.value is None else round(r.value * 100, 1), "note": r.note}
            for r in report.rates],
        "emergencies": per_day(report.emergencies),
        "referrals": {"townships": [r.name for r in report.referrals],
                      "series": [{"name": report.statuses[s],
                                  "values": [r.by_status.get(s, 0) for r in report.referrals]}
                                 for s in statuses if any(r.by_status.get(s) for r in report.referrals)]},
        "timings": [{"name": t.label, "hours": t.median_hours, "count": t.count} for t in report.timings],
        "overdue": {"townships": sorted(Counter(o.township for o in report.overdue).items(), key=lambda x: -x[1]),
                    "total": len(report.overdue)},
    }
