"""Wrap-ups of 12345 calls taken with the agent assist: the intent the model read and the one the agent
confirmed or corrected, with the caller's words (masked) and the call notes.

A wrap-up whose intent differs from the model's (`corrected`) is a correction of the model, as a reviewer's
is: `bot review export` writes its caller text under the corrected intent (bot/staff/review/export.py,
`spoken`), and the review's insights count it in their confusion table as from the hotline (`confused`,
`corrected_calls`). One row per call, the last wrap-up of a call wins (an agent who saves twice corrects their
own wrap-up, the row is updated, never duplicated).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Boolean, Float, Integer, String, Text, func, select, true
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base, UtcDateTime, utcnow
from bot.privacy.mask import mask

MAX_TEXT = 4000
MAX_NOTES = 2000


class AssistWrapup(Base):
    __tablename__ = "assist_wrapups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(String(40), unique=True)     # the call (the page's id for it)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    agent_id: Mapped[int | None] = mapped_column(Integer)             # staff_users.id (no FK: rows outlive accounts)
    agent_name: Mapped[str] = mapped_column(String(40), index=True)
    text: Mapped[str] = mapped_column(Text, default="")               # what the caller said, masked at write
    model_intent: Mapped[str | None] = mapped_column(String(40))      # the triage's intent (taxonomy name)
    model_confidence: Mapped[float | None] = mapped_column(Float)
    corrected_intent: Mapped[str] = mapped_column(String(40), index=True)  # what the agent says it was
    corrected: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    programme: Mapped[str | None] = mapped_column(String(20))         # as the agent confirmed it
    notes: Mapped[str] = mapped_column(Text, default="")              # call notes, masked at write
    case_number: Mapped[str | None] = mapped_column(String(20))       # the referral opened in the call, if any


@dataclass(frozen=True)
class Wrapup:
    call_id: str
    text: str
    model_intent: str | None
    model_confidence: float | None
    corrected_intent: str
    programme: str | None
    notes: str
    case_number: str | None


class Agent(Protocol):  # what `save` needs of the staff member (bot.staff.web.Staff)
    id: int
    username: str


def save(session: Session, agent: Agent, wrapup: Wrapup) -> AssistWrapup:
    """Store (or update) the wrap-up of one call; text and notes are masked before they are written."""
    row = session.scalars(select(AssistWrapup).where(AssistWrapup.call_id == wrapup.call_id)).first()
    if row is None:
        row = AssistWrapup(call_id=wrapup.call_id)
        session.add(row)
    row.at = utcnow()
    row.agent_id, row.agent_name = agent.id, agent.username[:40]
    row.text = mask(wrapup.text[:MAX_TEXT])
    row.model_intent = wrapup.model_intent
    row.model_confidence = wrapup.model_confidence
    row.corrected_intent = wrapup.corrected_intent
    row.corrected = wrapup.model_intent is not None and wrapup.corrected_intent != wrapup.model_intent
    row.programme = wrapup.programme
    row.notes = mask(wrapup.notes[:MAX_NOTES])
    row.case_number = wrapup.case_number
    session.flush()
    return row


def corrections(session: Session) -> list[AssistWrapup]:
    """The calls whose agent corrected the model's intent, oldest first (what `bot review export` learns from)."""
    w = AssistWrapup
    return list(session.scalars(select(w).where(w.corrected == true()).order_by(w.id)))


def confused(session: Session, since: datetime, limit: int) -> list[tuple[str, str, int]]:
    """Since `since`: (model intent, the agent's intent, calls), most calls first."""
    w = AssistWrapup
    rows = session.execute(select(w.model_intent, w.corrected_intent, func.count().label("n"))
                           .where(w.corrected == true(), w.at >= since)
                           .group_by(w.model_intent, w.corrected_intent)
                           .order_by(func.count().desc(), w.model_intent).limit(limit)).all()
    return [(model or "", corrected, n) for model, corrected, n in rows]


def corrected_calls(session: Session, since: datetime, model: str, corrected: str,
                    limit: int = 100) -> list[AssistWrapup]:
    """Since `since`, the calls whose agent corrected `model` to `corrected`, newest first."""
    w = AssistWrapup
    return list(session.scalars(select(w).where(w.corrected == true(), w.at >= since, w.model_intent == model,
                                                w.corrected_intent == corrected)
                                .order_by(w.at.desc(), w.id.desc()).limit(limit)))
