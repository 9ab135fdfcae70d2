"""Tables of the staff wing: accounts, login sessions (stored by a hash of their id) and the audit log.

The audit log is append-only: the ORM refuses to change or delete an entry (`_append_only` below) and the
migration adds triggers that refuse it in the database too. `actor_id` is deliberately no foreign key: an
entry outlives the account it names.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, event, false
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from bot.db.base import Base, UtcDateTime, utcnow


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40), default="")
    role: Mapped[str] = mapped_column(String(10))                    # agent | clerk | reviewer | admin
    township_code: Mapped[str | None] = mapped_column(ForeignKey("townships.code"))  # a clerk's township
    password_hash: Mapped[str] = mapped_column(String(200))          # argon2id, PHC string
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)   # wrong passwords since the last success
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # a temporary password an admin handed out: every console page but the password page is closed until changed
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class StaffSession(Base):
    """A login. The cookie holds a random token; only its SHA-256 is kept, so a copy of the table logs nobody in."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)    # sha256 hex of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    address: Mapped[str | None] = mapped_column(String(64))          # where the login came from

    user: Mapped[StaffUser] = relationship(lazy="joined")


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)             # staff_users.id (no FK: entries outlive accounts)
    actor_name: Mapped[str] = mapped_column(String(40), index=True)   # username, "" when nobody was logged in
    actor_role: Mapped[str | None] = mapped_column(String(10))
    action: Mapped[str] = mapped_column(String(24), index=True)       # bot/staff/audit.py ACTIONS
    subject: Mapped[str] = mapped_column(String(120), default="", index=True)  # e.g. referral:SL-2026-000123
    detail: Mapped[str] = mapped_column(Text, default="")             # masked (bot.privacy.mask) at write
    address: Mapped[str | None] = mapped_column(String(64))


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, _context, _instances) -> None:
    for changed in (*session.dirty, *session.deleted):
        if isinstance(changed, AuditEntry) and (changed in session.deleted or session.is_modified(changed)):
            raise AuditLogIsAppendOnly(f"audit entry {changed.id} cannot be changed or deleted")
