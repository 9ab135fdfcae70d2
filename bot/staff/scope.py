"""Township scope: which referrals a staff member may see. A clerk sees their own township's only; an admin
sees all; other roles see none (an agent opens referrals, it does not browse them).

Screens filter lists with `referral_filter(user)` in the query itself (never after loading) and guard a
single referral with `ensure_may_see(user, referral)`, which raises `OutOfScope` (the console answers it
with its 403 page).
"""
from __future__ import annotations

from typing import Protocol

from sqlalchemy import ColumnElement, false, true

from bot.intake.models import Referral
from bot.staff.roles import ADMIN, CLERK


class Scoped(Protocol):
    """A StaffUser row, or the console's Staff of the request (bot.staff.web)."""

    username: str
    role: str
    township_code: str | None


class OutOfScope(Exception):
    """Not this staff member's to see."""


def township_scope(user: Scoped) -> str | None:
    """The township a user is confined to, or None for all (admin). A clerk without a township sees nothing."""
    return user.township_code if user.role == CLERK else None


def referral_filter(user: Scoped) -> ColumnElement[bool]:
    if user.role == ADMIN:
        return true()
    if user.role == CLERK and user.township_code:
        return Referral.township_code == user.township_code
    return false()


def may_see(user: Scoped, referral: Referral) -> bool:
    if user.role == ADMIN:
        return True
    return user.role == CLERK and bool(user.township_code) and referral.township_code == user.township_code


def ensure_may_see(user: Scoped, referral: Referral) -> Referral:
    if not may_see(user, referral):
        raise OutOfScope(f"转介 {referral.case_number} 不在 {user.username} 负责的乡镇")
    return referral
