from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, utcnow


class Alert(Base):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(20))            # emergency | handoff | complaint | referral_failed
    category: Mapped[str | None] = mapped_column(String(40))  # safety-net category, if any
    channel: Mapped[str | None] = mapped_column(String(40))
    sender: Mapped[str] = mapped_column(String(200), index=True)
    text_masked: Mapped[str] = mapped_column(Text)           # what staff see: personal numbers masked
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    # complaints: one per form run (a retried submission finds the first), and the number the resident quotes
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True, index=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True, index=True)
