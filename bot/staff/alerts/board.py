"""告警 (/console/alerts): the staff alerts the bureau works through — emergencies, complaints, requests for a
person, referrals the intake system refused (referral_failed) and referrals overdue past the queue's second
escalation step (referral_overdue, bot.staff.queue.escalate).

An alert goes open → acknowledged (someone is on it) → closed (done, with a short note of what was done).
Both steps are audited (who, when, the note) in the same transaction; the audit log is where the note and
the handler live, so the alerts table needs no column of its own for them. Listed open first, then
acknowledged, then closed; within each, emergencies on top, newest first.

Who: the bureau (admin) sees and handles every alert. A reviewer sees the list but changes nothing: the list
shows them which conversations went wrong (emergencies, complaints) worth reviewing, while closing one would
take it off the bureau's open list without the bureau having acted. Agents and clerks work their own screens
(handoffs, referral queue) and get the 403 page here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.staff import audit
from bot.staff.alerts.models import Alert
from bot.staff.handoffs import CHANNELS, aware, channel_of, waited
from bot.staff.models import AuditEntry
from bot.staff.roles import ADMIN, REVIEWER

MAY_SEE = (ADMIN, REVIEWER)
MAY_HANDLE = (ADMIN,)
OPEN, ACKNOWLEDGED, CLOSED = "open", "acknowledged", "closed"
STATUSES = {OPEN: "待处理", ACKNOWLEDGED: "已知悉", CLOSED: "已关闭"}
KINDS = {"emergency": "紧急情况", "complaint": "投诉", "handoff": "要求人工", "referral_failed": "转介没有送达",
         "referral_overdue": "转介单超期"}
OTHER_CHANNELS = {"12345": "12345 热线", "console": "工作台"}  # channels with no resident sender id
NOTE_MIN, NOTE_MAX = 2, 200  # characters: "已回电" is a note, a blank is not
PAGE_SIZE = 50


class BoardError(ValueError):
    """A step the alert's state or the note does not allow; the message is for the person."""


@dataclass(frozen=True)
class Counts:
    open: int         # nobody has picked them up yet
    emergencies: int  # of which emergencies: the nav turns red


@dataclass(frozen=True)
class Handled:
    """The last step taken on an alert, from the audit log."""

    by: str
    at: datetime
    detail: str


@dataclass(frozen=True)
class Row:
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    channel: str
    text: str  # masked at write (bot.staff.alerts.service)
    created_at: datetime
    age: str
    handled: Handled | None


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int


def subject(alert_id: int) -> str:
    """How the audit log names an alert (searchable on the audit page)."""
    return f"alert:{alert_id}"


def counts(session: Session) -> Counts:
    emergency = case((Alert.kind == "emergency", 1), else_=0)
    found = session.execute(select(func.count(), func.coalesce(func.sum(emergency), 0))
                            .where(Alert.status == OPEN)).one()
    return Counts(int(found[0]), int(found[1]))


def nav_counts(session: Session, role: str) -> Counts | None:
    """What the console's nav shows this role: the open alerts, or None for a role that may not see them."""
    return counts(session) if role in MAY_SEE else None


def channel_label(alert: Alert) -> str:
    return CHANNELS.get(alert.channel or "") or OTHER_CHANNELS.get(alert.channel or "") or channel_of(alert.sender)


def _order() -> list:
    rank = case((Alert.status == OPEN, 0), (Alert.status == ACKNOWLEDGED, 1), else_=2)
    return [rank, case((Alert.kind == "emergency", 0), else_=1), Alert.created_at.desc(), Alert.id.desc()]


def _last_steps(session: Session, alert_ids: list[int]) -> dict[str, Handled]:
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == audit.STATUS_CHANGE,
                                                       AuditEntry.subject.in_([subject(i) for i in alert_ids]))
                              .order_by(AuditEntry.id))
    return {e.subject: Handled(e.actor_name, e.at, e.detail) for e in entries}  # the last one wins


def listing(session: Session, page: int = 1, now: datetime | None = None, page_size: int = PAGE_SIZE) -> Page:
    now = now or utcnow()
    total = session.scalar(select(func.count()).select_from(Alert)) or 0
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    alerts = list(session.scalars(select(Alert).order_by(*_order()).offset((page - 1) * page_size).limit(page_size)))
    steps = _last_steps(session, [a.id for a in alerts])
    rows = [Row(a.id, a.kind, KINDS.get(a.kind, a.kind), a.status, STATUSES.get(a.status, a.status), channel_label(a),
                a.text_masked, aware(a.created_at), waited(aware(a.created_at), now), steps.get(subject(a.id)))
            for a in alerts]
    return Page(rows, total, page, pages)


def _note(text: str, required: bool) -> str:
    note = " ".join((text or "").split())[:NOTE_MAX]
    if required and len(note) < NOTE_MIN:
        raise BoardError("关闭告警请写一句怎么处理的（比如“已电话联系，居民安全”）。")
    return note


def _step(session: Session, actor: audit.Actor, alert_id: int, to: str, allowed_from: tuple[str, ...], note: str,
          address: str | None) -> Alert:
    """Move one alert (a single conditional UPDATE: two people closing at once change it once) and audit it."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise BoardError("没有这条告警（可能已按保存期限删除）。")
    before = alert.status
    changed = session.execute(update(Alert).where(Alert.id == alert_id, Alert.status.in_(allowed_from))
                              .values(status=to).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise BoardError(f"这条告警已经是“{STATUSES.get(alert.status, alert.status)}”了，没有再改。")
    detail = f"{KINDS.get(alert.kind, alert.kind)}：{STATUSES.get(before, before)} → {STATUSES[to]}"
    audit.record(session, actor, audit.STATUS_CHANGE, subject(alert_id), detail + (f"。{note}" if note else ""),
                 address=address)
    session.refresh(alert)
    return alert


def acknowledge(session: Session, actor: audit.Actor, alert_id: int, note: str = "", *,
                address: str | None = None) -> Alert:
    """Someone is on it: it leaves the open count (the nav's red), stays on the list. Caller commits."""
    return _step(session, actor, alert_id, ACKNOWLEDGED, (OPEN,), _note(note, required=False), address)


def close(session: Session, actor: audit.Actor, alert_id: int, note: str, *, address: str | None = None) -> Alert:
    """Done, with a short note of what was done. Caller commits."""
    return _step(session, actor, alert_id, CLOSED, (OPEN, ACKNOWLEDGED), _note(note, required=True), address)
