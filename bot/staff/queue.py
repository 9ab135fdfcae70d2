"""The township referral queue (转介工单): what a clerk sees and does, apart from the pages that show it.

Lists are scoped in the query (bot.staff.scope); a single referral is guarded before it is read. Every
change is one transaction: the referral, its event, the audit entry and the message to the resident
(bot.staff.notify) are written together or not at all. Time limits: bot.intake.timelimits, with the
knowledge base's figures per programme (`kb.referrals.time_limits`, passed in by the routes).

A transfer to a department (转办到医保局…) keeps the clock of the status it left until a clerk records that the
receiving office has accepted it (对方已接收, a `handover` event): until then it is listed with the open ones,
waiting for the other office, and overdue and escalated like any other.
"""
from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from bot.staff.alerts.models import Alert
from bot.channels.inbox import InboundMessage
from bot.db.base import utcnow
from bot.db.session import Database
from bot.intake.models import Referral, ReferralEvent, Township
from bot.intake.timelimits import DEFAULT, REMIND_CLERK_AFTER, REPORT_BUREAU_AFTER, Clock, TimeLimits, clock
from bot.intake.workflow import DEPARTMENTS, KINDS, NEXT_STEP, OPEN, STATUSES, can_move
from bot.knowledge.loader import KnowledgeBase
from bot.privacy.mask import mask
from bot.staff import audit, notify
from bot.staff.models import StaffUser
from bot.staff.roles import ADMIN
from bot.staff.scope import Scoped, ensure_may_see, referral_filter

logger = logging.getLogger(__name__)
PAGE_SIZE = 20
ESCALATION_INTERVAL_S = 600
TRANSCRIPT_LIMIT = 200
MAX_EXTENSION_DAYS = 15   # working days one extension may add (30 → 45: the KB's "特殊情况最长45个工作日")
MIN_REASON = 4
ESCALATION = {1: "已超期，提醒经办人尽快办理", 2: "超期未办，已报市民政局"}
HANDOVER = "handover"     # event: the department a referral was transferred to has accepted it (对方已接收)
MATERIALS = "materials"   # event: the materials the resident has brought, one per line (the checklist's ticks)


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

def suggested(referral: Referral) -> list[str]:
    """The programmes the screening suggested (likely or possible, most promising first); urgent: 临时救助 first."""
    names = [s.get("programme") for s in getattr(referral, "suggestions", None) or []
             if s.get("outcome") in ("likely", "possible")]
    if referral.kind == "urgent" and "linshi" not in names:
        names.insert(0, "linshi")
    return list(dict.fromkeys(n for n in names if n))


def programme_of(referral: Referral) -> str | None:
    """The programme whose time limits run: the most promising one the screening suggested."""
    names = suggested(referral)
    return names[0] if names else None


def waiting_for_department(referral: Referral) -> bool:
    """Transferred to a department that has not been recorded as accepting it yet."""
    return referral.status == "transferred" and not any(e.kind == HANDOVER for e in referral.events)


def running_status(referral: Referral) -> str | None:
    """The status whose limit runs: the referral's own while open; while a department has not accepted the
    transfer, the status it was transferred from (its clock keeps running); else None."""
    if referral.status in OPEN:
        return referral.status
    if waiting_for_department(referral):
        moves = [e for e in referral.events if e.kind == "transfer" and e.to_status == "transferred"]
        return moves[-1].from_status if moves else None
    return None


def status_label(referral: Referral) -> str:
    if waiting_for_department(referral):
        return f"已转{DEPARTMENTS.get(referral.department or '', '部门')}，等待对方接收"
    return STATUSES[referral.status]


def accepted_at(referral: Referral) -> datetime | None:
    times = [e.at for e in referral.events if e.kind in ("status", "followup") and e.to_status == "accepted"]
    return times[-1] if times else None


def clock_started(referral: Referral) -> datetime:
    """When the running limit began: acceptance for the limits after it, else receipt (a transfer to another
    township does not reset it)."""
    accepted = accepted_at(referral)
    return accepted if running_status(referral) not in (None, "pending") and accepted else referral.created_at


def extended_days(referral: Referral) -> int:
    started, running = clock_started(referral), running_status(referral)
    return sum(e.days or 0 for e in referral.events
               if e.kind == "extension" and e.from_status == running and e.at >= started)


def clock_of(referral: Referral, now: datetime | None = None, limits: TimeLimits = DEFAULT) -> Clock | None:
    running = running_status(referral)
    if running is None:
        return None
    return clock(running, referral.created_at, accepted_at(referral), extended_days(referral), now or utcnow(),
                 limits, programme_of(referral))


# ---- reading -----------------------------------------------------------------------------------------------

def on_the_clock():
    """Open, or transferred to a department that has not accepted it yet."""
    handed_over = exists().where(ReferralEvent.referral_id == Referral.id, ReferralEvent.kind == HANDOVER)
    return or_(Referral.status.in_(OPEN), and_(Referral.status == "transferred", not_(handed_over)))


def _filtered(staff: Scoped, filt: Filter):
    stmt = select(Referral).where(referral_filter(staff))
    if filt.status == "open":
        stmt = stmt.where(on_the_clock())
    elif filt.status != "all":
        stmt = stmt.where(Referral.status == filt.status)
    if filt.kind:
        stmt = stmt.where(Referral.kind == filt.kind)
    return stmt


def list_page(session: Session, staff: Scoped, filt: Filter, now: datetime | None = None,
              page_size: int = PAGE_SIZE, limits: TimeLimits = DEFAULT) -> QueuePage:
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
    return QueuePage([Row(r, clock_of(r, now, limits)) for r in referrals], total, page, pages)


def overdue_count(session: Session, staff: Scoped, now: datetime | None = None, limits: TimeLimits = DEFAULT) -> int:
    """Referrals on the clock in this staff member's scope past their limit (the reminder atop the queue)."""
    now = now or utcnow()
    open_ones = session.scalars(select(Referral).where(referral_filter(staff), on_the_clock())).unique()
    return sum(1 for r in open_ones if (running := clock_of(r, now, limits)) is not None and running.overdue)


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
    found = []
    for name in (n for n in suggested(referral) if n in kb.programmes):
        programme = kb.programme(name)
        found.append((programme.name, [item.text for item in programme.aspects.get("materials", [])]))
    return found


def received_materials(referral: Referral) -> set[str]:
    """What the checklist says the resident has brought: the last tick recorded."""
    ticks = [e for e in referral.events if e.kind == MATERIALS]
    return set(filter(None, (ticks[-1].note or "").split("\n"))) if ticks else set()


def approvers(session: Session) -> list[StaffUser]:
    """Who may approve an extension: the bureau's active admin accounts."""
    return list(session.scalars(select(StaffUser).where(StaffUser.role == ADMIN, StaffUser.active.is_(True))
                                .order_by(StaffUser.username)))


def townships(session: Session) -> list[Township]:
    return list(session.scalars(select(Township).order_by(Township.code)))


# ---- changes -----------------------------------------------------------------------------------------------

def _tell(session: Session, referral: Referral, reason: str = "", materials_text: str = "",
          next_steps: Mapping[str, str] = NEXT_STEP) -> notify.Delivery:
    items = [m.strip() for m in materials_text.replace("，", "、").replace(",", "、").split("、") if m.strip()]
    delivery = notify.send(session, referral, notify.status_text(referral, reason, items, next_steps))
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
                  materials_text: str = "", address: str | None = None,
                  next_steps: Mapping[str, str] = NEXT_STEP) -> notify.Delivery:
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
    delivery = _tell(session, referral, note, materials_text, next_steps)
    moved = f"{STATUSES[before]} → {STATUSES[to_status]}"
    _commit(session, staff, referral, moved + (f"：{full_note}" if full_note else ""), address)
    return delivery


def transfer(session: Session, staff, referral: Referral, target: str, reason: str,
             address: str | None = None, next_steps: Mapping[str, str] = NEXT_STEP) -> notify.Delivery:
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
    delivery = _tell(session, referral, reason, next_steps=next_steps)
    _commit(session, staff, referral, f"转办到{where}：{reason}", address)
    return delivery


def add_note(session: Session, staff, referral: Referral, note: str, address: str | None = None) -> None:
    note = (note or "").strip()
    if not note:
        raise QueueError("备注不能为空。")
    referral.events.append(ReferralEvent(actor=actor(staff), kind="note", note=mask(note[:2000]), at=utcnow()))
    _commit(session, staff, referral, "添加备注", address)


def _approver(session: Session, staff, username: str) -> StaffUser:
    chosen = next((u for u in approvers(session) if u.username == (username or "").strip()), None)
    if chosen is None:
        raise QueueError("延期要由市民政局的管理员批准，请从名单里选择批准人。")
    if chosen.username == staff.username:
        raise QueueError("延期不能自己批准自己，请选择另一位管理员。")
    return chosen


def extend(session: Session, staff, referral: Referral, days: str, reason: str, approver: str,
           address: str | None = None) -> notify.Delivery:
    """延期: working days added to the running limit, with a reason and the bureau's admin who approved it
    (an active admin account, never typed in); the resident is told."""
    running = running_status(referral)
    if running is None:
        raise QueueError("只有办理中的工单可以延期。")
    if not days.isdigit() or not 1 <= int(days) <= MAX_EXTENSION_DAYS:
        raise QueueError(f"延期天数要在 1 到 {MAX_EXTENSION_DAYS} 个工作日之间。")
    reason = _reason(reason, "延期")
    chosen = _approver(session, staff, approver)
    referral.events.append(ReferralEvent(actor=actor(staff), kind="extension", from_status=running,
                                         days=int(days), approver=chosen.username, note=mask(reason), at=utcnow()))
    text = (f"您的救助转介单{referral.case_number}办理时间延长{days}个工作日。原因：{mask(reason)[:200]}\n"
            f"有疑问可以找{notify.office_line(referral)}，或打12345。")
    delivery = notify.send(session, referral, text)
    referral.events.append(ReferralEvent(actor="system", kind="notice", note=delivery.label, at=utcnow()))
    _commit(session, staff, referral, f"延期{days}个工作日，批准人{chosen.username}：{reason}", address)
    return delivery


def record_handover(session: Session, staff, referral: Referral, receiver: str, address: str | None = None) -> None:
    """对方已接收: the department the referral went to has accepted it (who there, recorded by whom, when); its
    clock stops."""
    if not waiting_for_department(referral):
        raise QueueError("只有转到部门、对方还没接收的工单才能登记“对方已接收”。")
    receiver = (receiver or "").strip()[:40]
    if len(receiver) < 2:
        raise QueueError("请写明对方哪位接收的（姓名或科室）。")
    where = DEPARTMENTS.get(referral.department or "", "对方部门")
    note = mask(f"{where}已接收，接收人：{receiver}")
    referral.events.append(ReferralEvent(actor=actor(staff), kind=HANDOVER, department=referral.department,
                                         note=note, at=utcnow()))
    _commit(session, staff, referral, f"登记对方已接收：{note}", address)


def tick_materials(session: Session, staff, referral: Referral, kb: KnowledgeBase, ticked: list[str],
                   address: str | None = None) -> None:
    """The materials checklist: record what the resident has brought now (the full list of ticked items)."""
    offered = {item for _, items in materials(kb, referral) for item in items}
    chosen = set(ticked)
    if not chosen <= offered:
        raise QueueError("清单里没有这一项，请刷新页面后再勾选。")
    if chosen == received_materials(referral) & offered:
        raise QueueError("材料清单没有变化。")
    ordered = [item for _, items in materials(kb, referral) for item in dict.fromkeys(items) if item in chosen]
    referral.events.append(ReferralEvent(actor=actor(staff), kind=MATERIALS, note="\n".join(ordered) or None,
                                         at=utcnow()))
    _commit(session, staff, referral, f"材料清单：已收到 {len(ordered)} / {len(offered)} 项", address)


def follow_up(session: Session, staff, referral: Referral, satisfied: str, note: str = "",
              address: str | None = None, next_steps: Mapping[str, str] = NEXT_STEP) -> notify.Delivery | None:
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
        delivery = _tell(session, referral, next_steps=next_steps)
    _commit(session, staff, referral, "回访：" + event.note + ("，重新办理" if satisfied == "no" else ""), address)
    return delivery


# ---- escalation --------------------------------------------------------------------------------------------

def escalate(session: Session, now: datetime | None = None, township_code: str | None = None,
             limits: TimeLimits = DEFAULT) -> int:
    """The overdue ladder: past its limit a referral gets a reminder to the clerk (an event), two working
    days later the bureau is told (an event and an alert). Each step once per running limit. Returns how many
    steps were taken."""
    now = now or utcnow()
    stmt = select(Referral).where(on_the_clock())
    if township_code:
        stmt = stmt.where(Referral.township_code == township_code)
    taken = 0
    for referral in session.scalars(stmt).unique():
        running, status = clock_of(referral, now, limits), running_status(referral)
        if running is None or not running.overdue:
            continue
        started = clock_started(referral)
        done = {e.days for e in referral.events
                if e.kind == "escalation" and e.from_status == status and e.at >= started}
        due = [1] + ([2] if running.overdue_by > REPORT_BUREAU_AFTER else [])
        for level in (lvl for lvl in due if lvl not in done and running.overdue_by > REMIND_CLERK_AFTER):
            text = (f"{ESCALATION[level]}：{status_label(referral)}，时限{running.allowed}个工作日，"
                    f"已过{running.elapsed}个工作日（应在{running.due:%m月%d日}前{running.limit.goal}）")
            referral.events.append(ReferralEvent(actor="system", kind="escalation", from_status=status,
                                                 days=level, note=text, at=now))
            if level == 2:
                session.add(Alert(kind="referral_overdue", channel=referral.channel, sender=referral.sender or "",
                                  text_masked=f"转介单{referral.case_number}{text}", created_at=now))
            taken += 1
    if taken:
        session.commit()
    return taken


def escalate_now(db: Database, limits: TimeLimits = DEFAULT) -> int:
    with db.scope() as session:
        return escalate(session, limits=limits)


async def escalation_worker(db: Database, limits: TimeLimits, interval_s: float = ESCALATION_INTERVAL_S) -> None:
    """The ladder also climbs when nobody opens the queue: one round now and then, in each app replica (a
    step is recorded once per referral and limit; two replicas racing on the same step at the same second
    could both record it)."""
    while True:
        await asyncio.sleep(interval_s)  # not at start: the queue page escalates when it is opened anyway
        try:
            taken = await asyncio.to_thread(escalate_now, db, limits)
            if taken:
                logger.info("referral queue: %d overdue steps taken", taken)
        except Exception:
            logger.exception("referral queue: an escalation round failed; trying again")

