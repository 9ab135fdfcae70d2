"""The intake system's rules: create referrals exactly once, answer residents, move cases along."""
from __future__ import annotations

import hmac
import unicodedata
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.intake import schemas
from bot.intake.case_numbers import next_case_number
from bot.intake.models import Referral, ReferralEvent, Township
from bot.intake.workflow import DEPARTMENTS, KINDS, OPEN, STATUSES, can_move
from bot.privacy.mask import mask, mask_phone

logger = logging.getLogger(__name__)

# Where a referral with no known township goes: the bureau routes it on.
BUREAU_OFFICE = "双辽市民政局社会救助科（再转到您所在的乡镇）"


@dataclass
class IntakeError(Exception):
    status: int
    code: str
    reason: str


def _office(township: Township | None) -> schemas.Office:
    if township is None:
        return schemas.Office(township_code=None, township=None, name=BUREAU_OFFICE, phone=None, verified=False)
    return schemas.Office(township_code=township.code, township=township.name, name=township.office_name,
                          phone=township.office_phone, verified=township.verified)


def _receipt(referral: Referral, created: bool) -> schemas.ReferralReceipt:
    return schemas.ReferralReceipt(
        case_number=referral.case_number, kind=referral.kind, status=referral.status,
        status_label=STATUSES[referral.status], urgency=referral.urgency,
        office=_office(referral.township), created=created)


def _by_key(session: Session, key: str) -> Referral | None:
    return session.scalars(select(Referral).where(Referral.idempotency_key == key)).first()


def _by_case(session: Session, case_number: str) -> Referral:
    referral = session.scalars(select(Referral).where(Referral.case_number == case_number)).first()
    if referral is None:
        raise IntakeError(404, "not_found", f"no referral {case_number}")
    return referral


def create_referral(session: Session, draft: schemas.ReferralDraft) -> schemas.ReferralReceipt:
    """Idempotent by draft.idempotency_key: a retry (even a concurrent one) returns the first referral."""
    existing = _by_key(session, draft.idempotency_key)
    if existing is not None:
        logger.info("referral %s: repeated create (same key), not duplicated", existing.case_number)
        return _receipt(existing, created=False)
    township = session.get(Township, draft.township_code) if draft.township_code else None
    if draft.township_code and township is None:
        raise IntakeError(422, "unknown_township", f"no township with code {draft.township_code}")
    now = utcnow()
    referral = Referral(
        case_number=next_case_number(session, now), idempotency_key=draft.idempotency_key, kind=draft.kind,
        channel=draft.channel, sender=draft.sender, township=township, place_text=draft.place_text,
        contact_name=draft.contact_name, contact_phone=draft.contact_phone, summary=mask(draft.summary),
        screening=draft.screening, suggestions=[s.model_dump() for s in draft.suggestions],
        urgency="urgent" if draft.kind == "urgent" else draft.urgency,
        consent_text=draft.consent_text, consent_at=now, status="pending", created_at=now)
    referral.events.append(ReferralEvent(actor=f"channel:{draft.channel}", kind="created", to_status="pending",
                                         note=KINDS[draft.kind], at=now))
    session.add(referral)
    try:
        session.commit()
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its referral.
        session.rollback()
        existing = _by_key(session, draft.idempotency_key)
        if existing is None:
            raise
        return _receipt(existing, created=False)
    logger.info("referral %s created: kind=%s township=%s urgency=%s channel=%s", referral.case_number,
                referral.kind, referral.township_code, referral.urgency, referral.channel)
    return _receipt(referral, created=True)


def _digits(phone: str | None) -> str:
    # NFKC: input methods often type full-width digits
    return "".join(ch for ch in unicodedata.normalize("NFKC", phone or "") if ch in "0123456789")


UNMATCHABLE = "x" * 11  # compared when there is no phone to compare with: like a phone, matches none


def lookup_status(session: Session, query: schemas.StatusLookup, trusted: bool,
                  next_steps: Mapping[str, str]) -> schemas.StatusAnswer:
    """The status of one case, for its resident only: the phone given at intake (or, for a trusted
    caller, the same channel user) must match. A wrong phone and an unknown case look the same.
    `next_steps`: status → the next step in plain words, the knowledge base's (`kb.referrals.next_step_texts`,
    policies/referral-notices.yml), as the console's notices word them."""
    not_found = IntakeError(404, "not_found", "no case with this number and phone")
    # An unknown case and a wrong phone do the same work and leave the same log line: neither the answer nor
    # its time tells whether a case exists. The check reads three columns (zero rows or one); the referral
    # itself is loaded only for the resident it belongs to.
    row = session.execute(select(Referral.id, Referral.contact_phone, Referral.sender)
                          .where(Referral.case_number == query.case_number)).first()
    given, expected = _digits(query.phone), _digits(row.contact_phone if row else None)
    by_phone = hmac.compare_digest(given, expected or UNMATCHABLE) and len(given) >= 7
    by_sender = bool(trusted and query.sender and row and row.sender == query.sender)
    if row is None or not (by_phone or by_sender):
        logger.info("status look-up refused: no case with this number and phone")
        raise not_found
    referral = session.get(Referral, row.id)
    department = DEPARTMENTS.get(referral.department or "", "相关部门")
    return schemas.StatusAnswer(
        case_number=referral.case_number, status=referral.status, status_label=STATUSES[referral.status],
        next_step=next_steps[referral.status].format(department=department),
        office=_office(referral.township), updated_at=referral.updated_at)


def latest_case_of(session: Session, sender: str) -> str | None:
    return session.scalars(select(Referral.case_number).where(Referral.sender == sender)
                           .order_by(Referral.id.desc())).first()


def list_referrals(session: Session, *, township_code: str | None = None, status: str | None = None,
                   kind: str | None = None, limit: int = 50, offset: int = 0) -> list[schemas.ReferralRow]:
    query = select(Referral).order_by(Referral.urgency.desc(), Referral.created_at.desc())
    if township_code:
        query = query.where(Referral.township_code == township_code)
    if status == "open":
        query = query.where(Referral.status.in_(OPEN))
    elif status:
        query = query.where(Referral.status == status)
    if kind:
        query = query.where(Referral.kind == kind)
    return [row(r, masked=True) for r in session.scalars(query.limit(limit).offset(offset))]


def row(referral: Referral, masked: bool) -> schemas.ReferralRow:
    return schemas.ReferralRow(
        case_number=referral.case_number, kind=referral.kind, kind_label=KINDS[referral.kind],
        status=referral.status, status_label=STATUSES[referral.status], urgency=referral.urgency,
        township_code=referral.township_code, place_text=referral.place_text, contact_name=referral.contact_name,
        contact_phone=(mask_phone(referral.contact_phone) if masked else referral.contact_phone)
        if referral.contact_phone else None,
        summary=referral.summary, suggestions=referral.suggestions, department=referral.department,
        created_at=referral.created_at, updated_at=referral.updated_at)


def detail(session: Session, case_number: str) -> schemas.ReferralDetail:
    referral = _by_case(session, case_number)
    return schemas.ReferralDetail(
        **row(referral, masked=False).model_dump(), screening=referral.screening,
        consent_text=referral.consent_text, consent_at=referral.consent_at,
        events=[schemas.EventOut.model_validate(e, from_attributes=True) for e in referral.events])


def record_event(session: Session, case_number: str, event: schemas.EventIn) -> schemas.ReferralDetail:
    """A clerk's action on a case: a status move, a note, or a transfer (with its reason)."""
    referral = _by_case(session, case_number)
    entry = ReferralEvent(actor=event.actor, kind=event.action, from_status=referral.status, note=event.note)
    if event.action == "status":
        if not can_move(referral.status, event.to_status or ""):
            raise IntakeError(409, "invalid_transition",
                              f"cannot move from {referral.status} to {event.to_status}")
        referral.status = entry.to_status = event.to_status
    elif event.action == "transfer":
        if referral.status not in OPEN:
            raise IntakeError(409, "closed", f"referral is {referral.status}; it cannot be transferred")
        if event.township_code:
            township = session.get(Township, event.township_code)
            if township is None:
                raise IntakeError(422, "unknown_township", f"no township with code {event.township_code}")
            if township.code == referral.township_code:
                raise IntakeError(409, "same_township", "the referral is already with this township")
            referral.township = township
            referral.status = entry.to_status = "pending"  # the new township receives it afresh
            entry.township_code = township.code
        else:
            referral.department = entry.department = event.department
            referral.status = entry.to_status = "transferred"
    else:
        entry.from_status = None
    referral.updated_at = utcnow()
    referral.events.append(entry)
    session.commit()
    logger.info("referral %s: %s by %s → %s", case_number, event.action, event.actor, referral.status)
    return detail(session, case_number)


def add_details(session: Session, case_number: str, details: schemas.DetailsIn) -> schemas.ReferralReceipt:
    """Fill in what the referral lacked; never overwrites what is there (a clerk may have corrected it)."""
    referral = _by_case(session, case_number)
    added = []
    if details.township_code and referral.township_code is None:
        township = session.get(Township, details.township_code)
        if township is None:
            raise IntakeError(422, "unknown_township", f"no township with code {details.township_code}")
        referral.township = township
        added.append("乡镇")
    if details.place_text and not referral.place_text:
        referral.place_text = details.place_text
        added.append("地点")
    if details.contact_phone and not referral.contact_phone:
        referral.contact_phone = details.contact_phone
        added.append("电话")
    if added:
        referral.updated_at = utcnow()
        referral.events.append(ReferralEvent(actor=details.actor, kind="note", note="补充了" + "、".join(added)))
        session.commit()
        logger.info("referral %s: details added (%s)", case_number, ", ".join(added))
    return _receipt(referral, created=False)


def townships(session: Session) -> list[Township]:
    return list(session.scalars(select(Township).order_by(Township.code)))


def township(session: Session, code: str) -> Township | None:
    """A township's intake office (name, phone, address as the bureau keeps them)."""
    return session.get(Township, code)


def update_township(session: Session, code: str, patch: schemas.TownshipPatch) -> Township:
    township = session.get(Township, code)
    if township is None:
        raise IntakeError(404, "not_found", f"no township with code {code}")
    for name, value in patch.model_dump(exclude_unset=True).items():
        setattr(township, name, value)
    session.commit()
    return township
