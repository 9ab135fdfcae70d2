"""Server-side login sessions: a random token in the cookie, its SHA-256 in `staff_sessions`.

A session ends when it is revoked (logout, password reset, an admin), when it has been idle longer than
`config.idle`, when it is older than `config.absolute`, or when its account is disabled. `last_seen_at` is
written at most once a minute, so busy screens do not write on every request.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.staff.config import StaffConfig
from bot.staff.models import StaffSession, StaffUser

TOUCH_EVERY = timedelta(seconds=60)
TOKEN_BYTES = 32


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(db: Session, user: StaffUser, address: str | None = None,
                 now: datetime | None = None) -> str:
    """A new session for `user`; returns the token for the cookie (the only place it is ever kept)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.add(StaffSession(id=token_id(token), user_id=user.id, created_at=now, last_seen_at=now,
                        address=(address or "")[:64] or None))
    db.flush()
    return token


def expired(row: StaffSession, config: StaffConfig, now: datetime) -> bool:
    return now - row.last_seen_at > config.idle or now - row.created_at > config.absolute


def resume(db: Session, token: str | None, config: StaffConfig, now: datetime | None = None) -> StaffSession | None:
    """The live session behind a cookie's token, touched; None (and the row revoked) when it is over."""
    if not token or len(token) > 200:
        return None
    row = db.get(StaffSession, token_id(token))
    if row is None or row.revoked_at is not None:
        return None
    now = now or utcnow()
    if expired(row, config, now) or not row.user.active:
        row.revoked_at = now
        db.flush()
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.flush()
    return row


def revoke(db: Session, token: str, now: datetime | None = None) -> bool:
    row = db.get(StaffSession, token_id(token))
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = now or utcnow()
    db.flush()
    return True


def revoke_all(db: Session, user: StaffUser, now: datetime | None = None) -> int:
    """End every session of an account (password reset, account disabled); returns how many were live."""
    result = db.execute(update(StaffSession)
                        .where(StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None))
                        .values(revoked_at=now or utcnow()))
    return result.rowcount or 0
