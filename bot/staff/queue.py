"""The township referral queue (转介工单): what a clerk sees and does, apart from the pages that show it.

Lists are scoped in the query (bot.staff.scope); a single referral is guarded before it is read. Every
change is one transaction: the referral, its event, the audit entry and the message to the resident
(bot.staff.notify) are written together or not at all. Time limits: bot.intake.timelimits.
"""
from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.staff.alerts.models import Alert
from bot.channels.inbox import InboundMessage
from bot.db.base import utcnow
from bot.db.session import Database
from bot.intake.models import Referral, ReferralEvent, Township
from bot.intake.timelimits import REMIND_CLERK_AFTER, REPORT_BUREAU_AFTER, Clock, clock
from bot.intake.workflow import DEPARTMENTS, KINDS, OPEN, STATUSES, can_move
from bot.knowledge.loader import KnowledgeBase
from bot.privacy.mask import mask
from bot.staff import audit, notify
from bot.staff.scope import Scoped, ensure_may_see, referral_filter

logger = logging.getLogger(__name__)
PAGE_SIZE = 20
ESCALATION_INTERVAL_S = 600
TRANSCRIPT_LIMIT = 200
MAX_EXTENSION_DAYS = 15   # working days one extension may add (30 → 45: the KB's "特殊情况最长45个工作日")
MIN_REASON = 4
ESCALATION = {1: "已超期，提醒经办人尽快办理", 2: "超期未办，已报市民政局"}


class QueueError(ValueError):
    """A change the rules refuse; the message is for the clerk (Chinese)."""


@dataclass(frozen=True)
class Filter:
    status: str = "open"   # open | all | one of STATUSES
    kind: str = ""         # "" | one of KINDS
    page: int = 1

    @classmethod
    def of(cls, status: str, kind: str, page: str) -> Filter:
        return cls(status if status in STATUSES or status in ("open", "all") else "open",
                   kind if kind in KINDS else "", int(page) if page.isdigit() and len(page) < 6 else 1)


@dataclass(frozen=True)
class Row:
    referral: Referral
    clock: Clock | None


@dataclass(frozen=True)
class QueuePage:
    rows: list[Row]
    total: int
    page: int
    pages: int


def actor(staff: Scoped) -> str:
    return f"staff:{staff.username}"


# ---- time limits -------------------------------------------------------------------------------------------

def accepted_at(referral: Referral) -> datetime | None:
    times = [e.at for e in referral.events if e.kind in ("status", "followup") and e.to_status == "accepted"]
    return times[-1] if times else None


def clock_started(referral: Referral) -> datetime:
    """When the running limit began: acceptance for the limits after it, else receipt (a transfer to another
    township does not reset it)."""
    accepted = accepted_at(referral)
    return accepted if referral.status != "pending" and accepted else referral.created_at


def extended_days(referral: Referral) -> int:
    started = clock_started(referral)
    return sum(e.days or 0 for e in referral.events
               if e.kind == "extension" and e.from_status == referral.status and e.at >= started)


def clock_of(referral: Referral, now: datetime | None = None) -> Clock | None:
    return clock(referral.status, referral.created_at, accepted_at(referral), extended_days(referral),
                 now or utcnow())


# ---- reading -----------------------------------------------------------------------------------------------

def _filtered(staff: Scoped, filt: Filter):
    stmt = select(Referral).where(referral_filter(staff))
    if filt.status == "open":
        stmt = stmt.where(Referral.status.in_(OPEN))
    elif filt.status != "all":
        stmt = stmt.where(Referral.status == filt.status)
    if filt.kind:
        stmt = stmt.where(Referral.kind == filt.kind)
    return stmt


def list_page(session: Session, staff: Scoped, filt: Filter, now: datetime | None = None,
              page_size: int = PAGE_SIZE) -> QueuePage:
    """Urgent (急难) first, then new (待受理), then the rest; within each, the longest waiting first (the
    nearest to its limit)."""
    stmt = _filtered(staff, filt)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, filt.page), pages)
    order = (case((Referral.urgency == "urgent", 0), else_=1), case((Referral.status == "pending", 0), else_=1),
             Referral.created_at, Referral.id)
    referrals = session.scalars(stmt.order_by(*order).offset((page - 1) * page_size).limit(page_size)).unique()
    now = now or utcnow()
    return QueuePage([Row(r, clock_of(r, now)) for r in referrals], total, page, pages)


def overdue_count(session: Session, staff: Scoped, now: datetime | None = None) -> int:
    """Open referrals in this staff member's scope past their limit (the reminder at the top of the queue)."""
    now = now or utcnow()
    open_ones = session.scalars(select(Referral).where(referral_filter(staff), Referral.status.in_(OPEN))).unique()
    return sum(1 for r in open_ones if (running := clock_of(r, now)) is not None and running.overdue)


def get(session: Session, staff: Scoped, case_number: str) -> Referral | None:
    """One referral, if it exists; OutOfScope (the 403 page) if it is another township's."""
    referral = session.scalars(select(Referral).where(Referral.case_number == case_number)).first()
    return ensure_may_see(staff, referral) if referral is not None else None


def view(session: Session, staff: audit.Actor, referral: Referral, address: str | None) -> None:
    """Opening the detail shows personal data: recorded."""
    audit.record(session, staff, audit.VIEW, referral.case_number, "查看转介工单详情和居民对话（已遮挡）",
                 address=address)
    session.commit()


def transcript(session: Session, referral: Referral) -> list[InboundMessage]:
    """The resident's own messages (masked when they were written), oldest first, the last 200."""
    if not referral.sender:
        return []
    rows = session.scalars(select(InboundMessage).where(InboundMessage.sender == referral.sender)
                           .order_by(InboundMessage.id.desc()).limit(TRANSCRIPT_LIMIT)).all()
    return list(reversed(rows))


def materials(kb: KnowledgeBase, referral: Referral) -> list[tuple[str, list[str]]]:
    """The knowledge base's materials for the programmes the screening suggested (urgent: 临时救助)."""
    names = [s.get("programme") for s in referral.suggestions if s.get("outcome") in ("likely", "possible")]
    if referral.kind == "urgent" and "linshi" not in names:
        names.insert(0, "linshi")
    found = []
    for name in dict.fromkeys(n for n in names if n in kb.programmes):
        programme = kb.programme(name)
        items = programme.aspects.get("materials", [])
        found.append((programme.name, [item.text for item in items]))
    return found


def townships(session: Session) -> list[Township]:
    return list(session.scalars(select(Township).order_by(Township.code)))


# ---- changes -----------------------------------------------------------------------------------------------

def _tell(session: Session, referral: Referral, reason: str = "", materials_text: str = "") -> notify.Delivery:
    items = [m.strip() for m in materials_text.replace("，", "、").replace(",", "、").split("、") if m.strip()]
    delivery = notify.send(session, referral, notify.status_text(referral, reason, items))
    referral.events.append(ReferralEvent(actor="system", kind="notice", note=delivery.label, at=utcnow()))
    return delivery


def _reason(text: str, what: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_REASON:
        raise QueueError(f"{what}要写明原因（至少 {MIN_REASON} 个字）。")
    return text[:2000]


def _commit(session: Session, staff: audit.Actor, referral: Referral, detail: str, address: str | None) -> None:
    referral.updated_at = utcnow()
    audit.record(session, staff, audit.STATUS_CHANGE, referral.case_number, detail, address=address)
    session.commit()


def change_status(session: Session, staff, referral: Referral, to_status: str, note: str = "",
                  materials_text: str = "", address: str | None = None) -> notify.Delivery:
    if not can_move(referral.status, to_status):
        raise QueueError(f"现在是“{STATUSES[referral.status]}”，不能改成“{STATUSES.get(to_status, to_status)}”。")
    if to_status == "rejected":
        note = _reason(note, "不予受理")
    if to_status == "needs_materials" and not materials_text.strip():
        raise QueueError("请写明要补哪些材料（一次性告知居民）。")
    note = note.strip()[:2000]
    full_note = "；".join(x for x in (note, f"要补：{materials_text.strip()}" if materials_text.strip() else "") if x)
    before = referral.status
    referral.status = to_status
    referral.events.append(ReferralEvent(actor=actor(staff), kind="status", from_status=before, to_status=to_status,
                                         note=mask(full_note) or None, at=utcnow()))
    delivery = _tell(session, referral, note, materials_text)
    moved = f"{STATUSES[before]} → {STATUSES[to_status]}"
    _commit(session, staff, referral, moved + (f"：{full_note}" if full_note else ""), address)
    return delivery


def transfer(session: Session, staff, referral: Referral, target: str, reason: str,
             address: str | None = None) -> notify.Delivery:
    """To another township (待受理 there; its clock keeps running from receipt) or to a department."""
    if referral.status not in OPEN:
        raise QueueError("已经办结、不予受理或已转办的工单不能再转办。")
    reason = _reason(reason, "转办")
    before = referral.status
    event = ReferralEvent(actor=actor(staff), kind="transfer", from_status=before, note=mask(reason), at=utcnow())
    if target in DEPARTMENTS:
        referral.department = event.department = target
        referral.status = event.to_status = "transferred"
        where = DEPARTMENTS[target]
    else:
        township = session.get(Township, target)
        if township is None:
            raise QueueError("请选择要转到的乡镇（街道）或部门。")
        if township.code == referral.township_code:
            raise QueueError("这张工单已经在这个乡镇（街道）了。")
        referral.township = township
        referral.status = event.to_status = "pending"
        event.township_code = township.code
        where = township.name
    referral.events.append(event)
    delivery = _tell(session, referral, reason)
    _commit(session, staff, referral, f"转办到{where}：{reason}", address)
    return delivery


def add_note(session: Session, staff, referral: Referral, note: str, address: str | None = None) -> None:
    note = (note or "").strip()
    if not note:
        raise QueueError("备注不能为空。")
    referral.events.append(ReferralEvent(actor=actor(staff), kind="note", note=mask(note[:2000]), at=utcnow()))
    _commit(session, staff, referral, "添加备注", address)


def extend(session: Session, staff, referral: Referral, days: str, reason: str, approver: str,
           address: str | None = None) -> notify.Delivery:
    """延期: working days added to the running limit, with a reason and who approved it; the resident is told."""
    if referral.status not in OPEN:
        raise QueueError("只有办理中的工单可以延期。")
    if not days.isdigit() or not 1 <= int(days) <= MAX_EXTENSION_DAYS:
        raise QueueError(f"延期天数要在 1 到 {MAX_EXTENSION_DAYS} 个工作日之间。")
    reason = _reason(reason, "延期")
    approver = (approver or "").strip()[:40]
    if len(approver) < 2:
        raise QueueError("延期要写明批准人。")
    referral.events.append(ReferralEvent(actor=actor(staff), kind="extension", from_status=referral.status,
                                         days=int(days), approver=mask(approver), note=mask(reason), at=utcnow()))
    text = (f"您的救助转介单{referral.case_number}办理时间延长{days}个工作日。原因：{mask(reason)[:200]}\n"
            f"有疑问可以找{notify.office_line(referral)}，或打12345。")
    delivery = notify.send(session, referral, text)
    referral.events.append(ReferralEvent(actor="system", kind="notice", note=delivery.label, at=utcnow()))
    _commit(session, staff, referral, f"延期{days}个工作日，批准人{approver}：{reason}", address)
    return delivery


def follow_up(session: Session, staff, referral: Referral, satisfied: str, note: str = "",
              address: str | None = None) -> notify.Delivery | None:
    """回访 after 已办结: satisfied is recorded; not satisfied reopens the referral (已受理, a new clock)."""
    if referral.status != "closed":
        raise QueueError("办结以后才能回访。")
    if satisfied not in ("yes", "no"):
        raise QueueError("请选择居民满意还是不满意。")
    note = note.strip()[:2000]
    event = ReferralEvent(actor=actor(staff), kind="followup", from_status="closed",
                          note=("满意" if satisfied == "yes" else "不满意") + (f"：{mask(note)}" if note else ""),
                          at=utcnow())
    referral.events.append(event)
    delivery = None
    if satisfied == "no":
        referral.status = event.to_status = "accepted"
        delivery = _tell(session, referral)
    _commit(session, staff, referral, "回访：" + event.note + ("，重新办理" if satisfied == "no" else ""), address)
    return delivery


# ---- escalation --------------------------------------------------------------------------------------------

def escalate(session: Session, now: datetime | None = None, township_code: str | None = None) -> int:
    """The overdue ladder: past its limit a referral gets a reminder to the clerk (an event), two working
    days later the bureau is told (an event and an alert). Each step once per running limit. Returns how many
    steps were taken."""
    now = now or utcnow()
    stmt = select(Referral).where(Referral.status.in_(OPEN))
    if township_code:
        stmt = stmt.where(Referral.township_code == township_code)
    taken = 0
    for referral in session.scalars(stmt).unique():
        running = clock_of(referral, now)
        if running is None or not running.overdue:
            continue
        started = clock_started(referral)
        done = {e.days for e in referral.events
                if e.kind == "escalation" and e.from_status == referral.status and e.at >= started}
        due = [1] + ([2] if running.overdue_by > REPORT_BUREAU_AFTER else [])
        for level in (lvl for lvl in due if lvl not in done and running.overdue_by > REMIND_CLERK_AFTER):
            text = (f"{ESCALATION[level]}：{STATUSES[referral.status]}，时限{running.allowed}个工作日，"
                    f"已过{running.elapsed}个工作日（应在{running.due:%m月%d日}前{running.limit.goal}）")
            referral.events.append(ReferralEvent(actor="system", kind="escalation", from_status=referral.status,
                                                 days=level, note=text, at=now))
            if level == 2:
                session.add(Alert(kind="referral_overdue", channel=referral.channel, sender=referral.sender or "",
                                  text_masked=f"转介单{referral.case_number}{text}", created_at=now))
            taken += 1
    if taken:
        session.commit()
    return taken


def escalate_now(db: Database) -> int:
    with db.scope() as session:
        return escalate(session)


async def escalation_worker(db: Database, interval_s: float = ESCALATION_INTERVAL_S) -> None:
    """The ladder also climbs when nobody opens the queue: one round now and then, in each app replica (a
    step is recorded once per referral and limit; two replicas racing on the same step at the same second
    could both record it)."""
    while True:
        await asyncio.sleep(interval_s)  # not at start: the queue page escalates when it is opened anyway
        try:
            taken = await asyncio.to_thread(escalate_now, db)
            if taken:
                logger.info("referral queue: %d overdue steps taken", taken)
        except Exception:
            logger.exception("referral queue: an escalation round failed; trying again")
