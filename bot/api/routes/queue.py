"""转介工单: the township referral queue of the staff console (`/console/queue`); thin, the rules are in
bot/staff/queue.py. Clerks see their own township's referrals, admins all; no script on these pages.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.api.deps import AppServices, Db
from bot.forms.prescreen import PRESCREEN
from bot.intake.models import Referral, Township
from bot.intake.timelimits import TimeLimits
from bot.intake.workflow import DEPARTMENTS, KINDS, STATUSES, TRANSITIONS
from bot.privacy.mask import mask, mask_name, mask_phone
from bot.services import Services
from bot.staff import audit, queue
from bot.staff.roles import ADMIN, CLERK
from bot.staff.web import HERE, Staff, checked_form, client_address, pages, render, require_role

router = APIRouter(tags=["console"])
STYLESHEET = HERE / "static" / "queue.css"
may_work = require_role(CLERK, ADMIN)
EVENT_KINDS = {"created": "收到", "status": "状态变更", "note": "备注", "transfer": "转办", "extension": "延期",
               "escalation": "超期提醒", "followup": "回访", "notice": "告知居民", queue.HANDOVER: "对方已接收",
               queue.MATERIALS: "材料清单"}
CHANNELS = {"wechat": "微信公众号", "webchat": "网页对话", "12345": "12345热线", "console": "工作台"}
DONE = {"status": "状态已更新", "transfer": "已转办", "note": "备注已保存", "extend": "已延期", "followup": "回访已记录",
        "handover": "已登记对方接收", "materials": "材料清单已保存"}
CHECKBOX = "item-"   # the checklist's fields: item-0, item-1, … each carrying the text of a ticked material
pages.filters["day"] = lambda day: f"{day.month}月{day.day}日"


@router.get("/console/static/queue.css", include_in_schema=False)
def stylesheet() -> Response:
    return Response(STYLESHEET.read_text(encoding="utf-8"), media_type="text/css",
                    headers={"cache-control": "no-cache"})


def limits_of(svc: Services) -> TimeLimits:
    return svc.kb.referrals.time_limits


def next_steps_of(svc: Services) -> dict[str, str]:
    return svc.kb.referrals.next_step_texts


@router.get("/console/queue", include_in_schema=False)
def queue_page(request: Request, db: Db, svc: AppServices, staff: Staff = Depends(may_work), status: str = "open",
               kind: str = "", page: str = "1") -> Response:
    limits = limits_of(svc)
    queue.escalate(db, township_code=staff.township_code if staff.role == CLERK else None, limits=limits)
    filt = queue.Filter.of(status, kind, page)
    found = queue.list_page(db, staff, filt, limits=limits)

    def link(number: int) -> str:
        return "/console/queue?" + urlencode({"status": filt.status, **({"kind": filt.kind} if filt.kind else {}),
                                              "page": number})

    return render(request, "queue.html", filt=filt, page=found, statuses=STATUSES, kinds=KINDS, link=link,
                  township=_township_name(db, staff), phone=_phone, name=mask_name,
                  status_label=queue.status_label, overdue=queue.overdue_count(db, staff, limits=limits),
                  show_township=staff.role == ADMIN)


def _township_name(db: Session, staff: Staff) -> str:
    township = db.get(Township, staff.township_code) if staff.township_code else None
    return township.name if township else ""


def _phone(referral: Referral) -> str:
    return mask_phone(referral.contact_phone) if referral.contact_phone else "未留"


def _answers(referral: Referral) -> list[tuple[str, str]]:
    """The pre-screen's answers as the resident confirmed them (labels of the form), masked."""
    known = {q.slot: q for q in PRESCREEN.questions}
    shown = []
    for slot, value in (referral.screening or {}).items():
        question = known.get(slot)
        try:
            text = question.show(value) if question else str(value)
        except Exception:  # an answer of an older form's shape: show it as it is
            text = str(value)
        shown.append((question.label if question else slot, mask(str(text))))
    return shown


def _detail(request: Request, db: Session, svc: Services, staff: Staff, referral: Referral, status: int = 200,
            error: str = "", done: str = "", form: dict[str, str] | None = None, unmasked: bool = False) -> Response:
    if not unmasked:
        queue.view(db, staff, referral, client_address(request))
    events = list(referral.events)
    return render(request, "referral.html", status, r=referral, clock=queue.clock_of(referral, limits=limits_of(svc)),
                  error=error, done=DONE.get(done, ""), answers=_answers(referral),
                  transcript=queue.transcript(db, referral), events=list(reversed(events)), event_kinds=EVENT_KINDS,
                  statuses=STATUSES, kinds=KINDS,
                  moves=[s for s in STATUSES if s in TRANSITIONS.get(referral.status, set())],
                  townships=[t for t in queue.townships(db) if t.code != referral.township_code],
                  departments=DEPARTMENTS, materials=queue.materials(svc.kb, referral),
                  received=queue.received_materials(referral), checkbox=CHECKBOX,
                  waiting=queue.waiting_for_department(referral), running=queue.running_status(referral),
                  approvers=[u for u in queue.approvers(db) if u.username != staff.username],
                  phone=(referral.contact_phone if unmasked else _phone(referral)), unmasked=unmasked,
                  form=form or {}, max_days=queue.MAX_EXTENSION_DAYS, channels=CHANNELS,
                  programmes={name: p.short_name for name, p in svc.kb.programmes.items()})


def _not_found(request: Request) -> Response:
    return render(request, "queue_missing.html", 404)


@router.get("/console/queue/{case_number}", include_in_schema=False)
def referral_page(request: Request, case_number: str, db: Db, svc: AppServices, staff: Staff = Depends(may_work),
                  done: str = "") -> Response:
    referral = queue.get(db, staff, case_number[:20])
    if referral is None:
        return _not_found(request)
    return _detail(request, db, svc, staff, referral, done=done)


def _act(request: Request, db: Session, svc: Services, staff: Staff, case_number: str, done: str,
         form: dict[str, str], action) -> Response:
    referral = queue.get(db, staff, case_number[:20])
    if referral is None:
        return _not_found(request)
    try:
        action(referral)
    except queue.QueueError as exc:
        db.rollback()
        referral = queue.get(db, staff, case_number[:20])
        return _detail(request, db, svc, staff, referral, 400, error=str(exc), form=form)
    return RedirectResponse(f"/console/queue/{referral.case_number}?done={done}", status_code=303)


def _field(form: dict[str, Any], name: str, limit: int = 2000) -> str:
    return str(form.get(name, ""))[:limit]


@router.post("/console/queue/{case_number}/unmask", include_in_schema=False)
def unmask(request: Request, case_number: str, db: Db, svc: AppServices, form: dict[str, str] = Depends(checked_form),
           staff: Staff = Depends(may_work)) -> Response:
    """The full phone, to call the resident: only with a reason, recorded first; shown in this answer only."""
    referral = queue.get(db, staff, case_number[:20])
    if referral is None:
        return _not_found(request)
    if not referral.contact_phone:
        return _detail(request, db, svc, staff, referral, 400, error="这张工单没有留电话。")
    try:
        audit.unmask(db, staff, referral.case_number, _field(form, "reason", 200), address=client_address(request))
    except audit.ReasonRequired as exc:
        return _detail(request, db, svc, staff, referral, 400, error=str(exc))
    db.commit()
    return _detail(request, db, svc, staff, referral, unmasked=True)


@router.post("/console/queue/{case_number}/status", include_in_schema=False)
def change_status(request: Request, case_number: str, db: Db, svc: AppServices,
                  form: dict[str, str] = Depends(checked_form), staff: Staff = Depends(may_work)) -> Response:
    return _act(request, db, svc, staff, case_number, "status", form, lambda r: queue.change_status(
        db, staff, r, _field(form, "to_status", 20), _field(form, "note"), _field(form, "materials", 500),
        client_address(request), next_steps_of(svc)))


@router.post("/console/queue/{case_number}/transfer", include_in_schema=False)
def transfer(request: Request, case_number: str, db: Db, svc: AppServices, form: dict[str, str] = Depends(checked_form),
             staff: Staff = Depends(may_work)) -> Response:
    return _act(request, db, svc, staff, case_number, "transfer", form, lambda r: queue.transfer(
        db, staff, r, _field(form, "target", 20), _field(form, "reason"), client_address(request),
        next_steps_of(svc)))


@router.post("/console/queue/{case_number}/handover", include_in_schema=False)
def handover(request: Request, case_number: str, db: Db, svc: AppServices, form: dict[str, str] = Depends(checked_form),
             staff: Staff = Depends(may_work)) -> Response:
    """对方已接收: the department has accepted the transfer; its clock stops."""
    return _act(request, db, svc, staff, case_number, "handover", form, lambda r: queue.record_handover(
        db, staff, r, _field(form, "receiver", 40), client_address(request)))


@router.post("/console/queue/{case_number}/materials", include_in_schema=False)
def materials(request: Request, case_number: str, db: Db, svc: AppServices, form: dict[str, str] = Depends(checked_form),
              staff: Staff = Depends(may_work)) -> Response:
    """The checklist: every ticked box at once (the unticked ones are not sent)."""
    ticked = [str(value) for key, value in form.items() if key.startswith(CHECKBOX)]
    return _act(request, db, svc, staff, case_number, "materials", form, lambda r: queue.tick_materials(
        db, staff, r, svc.kb, ticked, client_address(request)))


@router.post("/console/queue/{case_number}/note", include_in_schema=False)
def note(request: Request, case_number: str, db: Db, svc: AppServices, form: dict[str, str] = Depends(checked_form),
         staff: Staff = Depends(may_work)) -> Response:
    return _act(request, db, svc, staff, case_number, "note", form, lambda r: queue.add_note(
        db, staff, r, _field(form, "note"), client_address(request)))


@router.post("/console/queue/{case_number}/extend", include_in_schema=False)
def extend(request: Request, case_number: str, db: Db, svc: AppServices, form: dict[str, str] = Depends(checked_form),
           staff: Staff = Depends(may_work)) -> Response:
    return _act(request, db, svc, staff, case_number, "extend", form, lambda r: queue.extend(
        db, staff, r, _field(form, "days", 3), _field(form, "reason"), _field(form, "approver", 40),
        client_address(request)))


@router.post("/console/queue/{case_number}/followup", include_in_schema=False)
def followup(request: Request, case_number: str, db: Db, svc: AppServices, form: dict[str, str] = Depends(checked_form),
             staff: Staff = Depends(may_work)) -> Response:
    return _act(request, db, svc, staff, case_number, "followup", form, lambda r: queue.follow_up(
        db, staff, r, _field(form, "satisfied", 3), _field(form, "note"), client_address(request),
        next_steps_of(svc)))
