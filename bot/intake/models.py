"""Tables of the bundled township intake system: townships, referrals, their history, case counters."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, UtcDateTime, utcnow


class Township(Base):
    """A township or street (乡镇/街道) and its social-assistance intake office. Editable by an admin."""

    __tablename__ = "townships"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)   # 统计用区划代码, e.g. 220382101
    name: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(8))                      # 街道 | 镇 | 乡
    office_name: Mapped[str] = mapped_column(String(80))
    office_phone: Mapped[str | None] = mapped_column(String(40))
    office_address: Mapped[str | None] = mapped_column(String(120))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)     # other names people use (那木乡)
    places: Mapped[list[str]] = mapped_column(JSON, default=list)      # communities and villages
    verified: Mapped[bool] = mapped_column(Boolean, default=False)    # checked by the bureau?
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Referral(Base):
    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(20), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)          # apply | discovery | urgent
    channel: Mapped[str] = mapped_column(String(40))
    sender: Mapped[str | None] = mapped_column(String(200), index=True)  # channel user, for "my case"
    township_code: Mapped[str | None] = mapped_column(ForeignKey("townships.code"), index=True)
    place_text: Mapped[str | None] = mapped_column(String(200))       # where, in the resident's words
    contact_name: Mapped[str | None] = mapped_column(String(40))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text, default="")            # masked: safe to show staff
    screening: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)     # the answers given
    suggestions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # programme, outcome, reasons
    urgency: Mapped[str] = mapped_column(String(10), default="normal")  # normal | urgent
    consent_text: Mapped[str | None] = mapped_column(Text)
    consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    department: Mapped[str | None] = mapped_column(String(20))        # set when transferred out
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    township: Mapped[Township | None] = relationship(lazy="joined")
    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral", order_by="ReferralEvent.id", cascade="all, delete-orphan")


class ReferralEvent(Base):
    """Every change to a referral: creation, status, note, transfer — who and when."""

    __tablename__ = "referral_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    # created | status | note | transfer; the console's: extension | escalation | followup | notice
    kind: Mapped[str] = mapped_column(String(12))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    township_code: Mapped[str | None] = mapped_column(String(12))     # transfer target township
    department: Mapped[str | None] = mapped_column(String(20))        # transfer target department
    note: Mapped[str | None] = mapped_column(Text)
    days: Mapped[int | None] = mapped_column(Integer)                 # extension: working days; escalation: level
    approver: Mapped[str | None] = mapped_column(String(40))          # extension: who approved it

    referral: Mapped[Referral] = relationship(back_populates="events")


class CaseCounter(Base):
    """Last case number handed out per year; incremented under a row lock (one sequence per year)."""

    __tablename__ = "case_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
