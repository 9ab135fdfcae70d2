"""账号管理: what an admin does to staff accounts in the console (`/console/users`).

Create an account or reset its password with a temporary password (shown once, to the admin, and never
stored or logged in the clear; the holder must change it at the next login), disable or enable an account
(disabling ends its sessions at once), change a role or a clerk's township. Each is audited in the same
transaction. An admin may not disable, demote or reset themselves here, and the last active admin can
be neither disabled nor demoted (the active admins' rows are locked while that is decided, so two admins
disabling each other at once cannot leave none).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.staff import accounts, audit, passwords, sessions
from bot.staff.accounts import AccountError
from bot.staff.config import StaffConfig
from bot.staff.models import StaffUser
from bot.staff.roles import ADMIN, CLERK, ROLES, label

# no 0/o, 1/l/i: read aloud or copied by hand without mistakes
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_GROUPS, GROUP_LENGTH = 3, 4   # xxxx-xxxx-xxxx: 31^12, about 2^59


@dataclass(frozen=True)
class Account:
    """A row of the list: the account and what the list shows about it."""

    user: StaffUser
    locked: bool

    @property
    def status(self) -> str:
        if not self.user.active:
            return "已停用"
        return "锁定中" if self.locked else "正常"


def temporary_password(username: str) -> str:
    while True:
        password = "-".join("".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(GROUP_LENGTH))
                            for _ in range(TEMPORARY_GROUPS))
        try:
            passwords.check_rule(password, username)
        except passwords.WeakPassword:
            continue
        return password


def account(user: StaffUser, now: datetime | None = None) -> Account:
    now = now or utcnow()
    return Account(user, user.locked_until is not None and user.locked_until > now)


def listing(db: Session, now: datetime | None = None) -> list[Account]:
    """Every account: active first, then by role (admins first) and name."""
    now = now or utcnow()
    order = {role: index for index, role in enumerate((ADMIN, CLERK, "agent", "reviewer"))}
    rows = db.scalars(select(StaffUser)).all()
    return [account(u, now) for u in sorted(rows, key=lambda u: (not u.active, order.get(u.role, 9), u.username))]


def get(db: Session, username: str) -> StaffUser | None:
    return accounts.find(db, username[:40])


def _scope(role: str, township_code: str) -> str | None:
    """The township to keep for `role`: required for a clerk, dropped for the others."""
    if role not in ROLES:
        raise AccountError("请选择角色。")
    if role != CLERK:
        return None
    if not township_code:
        raise AccountError("乡镇经办人要选一个乡镇。")
    return township_code


def create(db: Session, config: StaffConfig, admin: audit.Actor, username: str, role: str, township_code: str,
           display_name: str = "", address: str | None = None) -> tuple[StaffUser, str]:
    """A new account with a temporary password; returns it and the password (to show once)."""
    township = _scope(role, township_code)
    accounts.check_new(db, username, role, township)
    password = temporary_password(accounts.normalize(username))
    user = accounts.create(db, config, username, role, password, township, display_name, actor=admin,
                           address=address, must_change=True)
    return user, password


def _target(db: Session, username: str) -> StaffUser:
    user = get(db, username)
    if user is None:
        raise AccountError("没有这个账号。")
    return user


def _not_self(admin: audit.Actor, user: StaffUser, what: str) -> None:
    if user.id == admin.id:
        raise AccountError(what)


def _keep_an_admin(db: Session, user: StaffUser) -> None:
    """Refuse to take away the last active admin: `user` is about to stop being one."""
    if user.role != ADMIN or not user.active:
        return
    others = db.scalars(select(StaffUser.id)
                        .where(StaffUser.role == ADMIN, StaffUser.active.is_(True), StaffUser.id != user.id)
                        .with_for_update()).all()
    if not others:
        raise AccountError("这是最后一个可用的管理员账号，不能停用或改成别的角色。")


def reset_password(db: Session, config: StaffConfig, admin: audit.Actor, username: str,
                   address: str | None = None) -> tuple[StaffUser, str]:
    """A temporary password (to show once): the account is unlocked and all its sessions end."""
    user = _target(db, username)
    _not_self(admin, user, "自己的密码请在“修改密码”里改。")
    password = temporary_password(user.username)
    accounts.reset_password(db, config, user.username, password, actor=admin, address=address, must_change=True)
    return user, password


def set_active(db: Session, admin: audit.Actor, username: str, active: bool,
               address: str | None = None) -> StaffUser:
    """Disable (every session ends at once) or enable an account."""
    user = _target(db, username)
    if user.active == active:
        return user
    if not active:
        _not_self(admin, user, "不能停用自己的账号。")
        _keep_an_admin(db, user)
        user.active = False
        ended = sessions.revoke_all(db, user)
        audit.record(db, admin, audit.USER_DISABLED, f"staff:{user.username}", f"结束了 {ended} 个登录会话",
                     address=address)
    else:
        user.active = True
        user.failed_logins, user.locked_until = 0, None
        audit.record(db, admin, audit.USER_ENABLED, f"staff:{user.username}", address=address)
    db.flush()
    return user


def _scope_text(user: StaffUser) -> str:
    return label(user.role) + (f"（乡镇 {user.township_code}）" if user.township_code else "")


def change_role(db: Session, admin: audit.Actor, username: str, role: str, township_code: str,
                address: str | None = None) -> StaffUser:
    """A new role, and for a clerk a township; takes effect at the account's next request."""
    user = _target(db, username)
    _not_self(admin, user, "不能修改自己的角色，请另一位管理员来改。")
    township = _scope(role, township_code)
    if (role, township) == (user.role, user.township_code):
        raise AccountError("角色和乡镇都没有变化。")
    accounts.check_scope(db, role, township)
    if role != ADMIN:
        _keep_an_admin(db, user)
    before = _scope_text(user)
    user.role, user.township_code = role, township
    db.flush()
    audit.record(db, admin, audit.USER_CHANGED, f"staff:{user.username}", f"{before} → {_scope_text(user)}",
                 address=address)
    return user

