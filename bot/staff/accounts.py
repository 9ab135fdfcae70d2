"""Staff accounts and logging in: create, reset a password, and the login decision with its lockout.

Lockout: `config.lockout_failures` wrong passwords in a row lock an account for `config.lockout` (a reset
password unlocks it). A name that is no account (or a disabled one) costs the same argon2 work and "locks"
after as many failures (counted in the shared store), so neither the time taken nor the message tells anyone
which usernames exist. One address may try `CONSOLE_LOGINS_PER_CLIENT` logins per window, across accounts.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.intake.models import Township
from bot.security.limits import CONSOLE_LOGINS_PER_CLIENT, Limiter, Rule
from bot.staff import audit, passwords, sessions
from bot.staff.config import StaffConfig
from bot.staff.models import StaffSession, StaffUser
from bot.staff.roles import CLERK, ROLES

logger = logging.getLogger(__name__)
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
CLI_ACTOR = "(命令行)"


class AccountError(ValueError):
    """A request about an account that cannot be done; the message says why, in Chinese."""


def normalize(username: str) -> str:
    return (username or "").strip().lower()


def find(db: Session, username: str) -> StaffUser | None:
    return db.scalar(select(StaffUser).where(StaffUser.username == normalize(username)))


def check_scope(db: Session, role: str, township_code: str | None) -> None:
    if role not in ROLES:
        raise AccountError(f"没有这个角色：{role}（可选：{', '.join(ROLES)}）")
    if role == CLERK and not township_code:
        raise AccountError("乡镇经办人（clerk）必须指定乡镇：--township 区划代码")
    if role != CLERK and township_code:
        raise AccountError("只有乡镇经办人（clerk）才绑定乡镇")
    if township_code and db.get(Township, township_code) is None:
        raise AccountError(f"没有这个乡镇代码：{township_code}")


def check_new(db: Session, username: str, role: str, township_code: str | None = None) -> None:
    """Raise AccountError unless an account with this name, role and township could be created."""
    name = normalize(username)
    if not USERNAME.fullmatch(name):
        raise AccountError("用户名用 2–40 个小写字母、数字或 . _ -，以字母或数字开头")
    check_scope(db, role, township_code)
    if find(db, name) is not None:
        raise AccountError(f"用户名 {name} 已经有了")


def create(db: Session, config: StaffConfig, username: str, role: str, password: str,
           township_code: str | None = None, display_name: str = "", *, actor: audit.Actor | str = CLI_ACTOR,
           address: str | None = None, must_change: bool = False) -> StaffUser:
    """A new account. `must_change`: the password is a temporary one, to be replaced at the first login."""
    check_new(db, username, role, township_code)
    name = normalize(username)
    passwords.check_rule(password, name)
    user = StaffUser(username=name, role=role, township_code=township_code, display_name=display_name.strip()[:40],
                     password_hash=passwords.hash_password(config.hasher, password), must_change_password=must_change)
    db.add(user)
    db.flush()
    scope = f"，乡镇 {township_code}" if township_code else ""
    temporary = "，临时密码（首次登录须修改）" if must_change else ""
    audit.record(db, actor, audit.USER_CREATED, f"staff:{name}", f"角色 {role}{scope}{temporary}", address=address)
    return user


def reset_password(db: Session, config: StaffConfig, username: str, password: str, *,
                   actor: audit.Actor | str = CLI_ACTOR, address: str | None = None,
                   must_change: bool = False) -> StaffUser:
    """New password, lock lifted, every session of the account ended."""
    user = find(db, username)
    if user is None:
        raise AccountError(f"没有这个用户：{normalize(username)}")
    passwords.check_rule(password, user.username)
    user.password_hash = passwords.hash_password(config.hasher, password)
    user.password_changed_at = utcnow()
    user.failed_logins, user.locked_until = 0, None
    user.must_change_password = must_change
    ended = sessions.revoke_all(db, user)
    temporary = "，发了临时密码（下次登录须修改）" if must_change else ""
    audit.record(db, actor, audit.PASSWORD_RESET, f"staff:{user.username}", f"结束了 {ended} 个登录会话{temporary}",
                 address=address)
    return user


def change_own_password(db: Session, config: StaffConfig, user: StaffUser, current: str, new: str,
                        session_token: str, address: str | None = None) -> int:
    """The holder's own change: the current password first, then the rule; the temporary-password flag is
    cleared and every other session of the account ended (returns how many)."""
    if not passwords.verify(config.hasher, user.password_hash, current):
        raise AccountError("原密码不对，没有修改。")
    passwords.check_rule(new, user.username)
    if new == current:
        raise AccountError("新密码不能和原来的一样。")
    user.password_hash = passwords.hash_password(config.hasher, new)
    user.password_changed_at, user.must_change_password = utcnow(), False
    ended = _revoke_others(db, user, session_token)
    audit.record(db, user, audit.PASSWORD_CHANGED, f"staff:{user.username}", f"结束了其他 {ended} 个登录会话",
                 address=address)
    return ended


def _revoke_others(db: Session, user: StaffUser, session_token: str) -> int:
    kept = sessions.token_id(session_token)
    result = db.execute(update(StaffSession)
                        .where(StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None),
                               StaffSession.id != kept)
                        .values(revoked_at=utcnow()))
    return result.rowcount or 0


@dataclass(frozen=True)
class Login:
    outcome: str                  # ok | wrong | locked | throttled
    user: StaffUser | None = None
    token: str | None = None      # the new session's cookie token when ok


def _unknown_rule(config: StaffConfig) -> Rule:
    # allowed failures before the "lock": one fewer than lock an account, so the same attempt says locked
    return Rule("console-unknown-account", config.lockout_failures - 1, config.lockout.total_seconds())


def login(db: Session, config: StaffConfig, limiter: Limiter, username: str, password: str, address: str,
          now: datetime | None = None) -> Login:
    now = now or utcnow()
    if not limiter.allow(CONSOLE_LOGINS_PER_CLIENT, address):
        return Login("throttled")
    user = find(db, username)
    if user is None or not user.active:
        passwords.waste_time(config.hasher)
        locked = not limiter.allow(_unknown_rule(config), normalize(username))
        audit.record(db, username, audit.LOGIN_FAILED, "", "没有这个账号或账号已停用", address=address)
        return Login("locked" if locked else "wrong")
    if user.locked_until is not None and user.locked_until > now:
        passwords.waste_time(config.hasher)  # the password is not even looked at while locked
        audit.record(db, user, audit.LOGIN_FAILED, f"staff:{user.username}", "账号锁定中", address=address)
        return Login("locked", user)
    if not passwords.verify(config.hasher, user.password_hash, password):
        return _wrong(db, config, user, address, now)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    if passwords.needs_rehash(config.hasher, user.password_hash):
        user.password_hash = passwords.hash_password(config.hasher, password)
    token = sessions.open_session(db, user, address, now)
    audit.record(db, user, audit.LOGIN, f"staff:{user.username}", address=address)
    return Login("ok", user, token)


def _wrong(db: Session, config: StaffConfig, user: StaffUser, address: str, now: datetime) -> Login:
    user.failed_logins += 1
    audit.record(db, user, audit.LOGIN_FAILED, f"staff:{user.username}", f"密码错误（连续第 {user.failed_logins} 次）",
                 address=address)
    if user.failed_logins < config.lockout_failures:
        return Login("wrong", user)
    minutes = int(config.lockout.total_seconds() // 60)
    audit.record(db, user, audit.LOCKOUT, f"staff:{user.username}",
                 f"连续 {user.failed_logins} 次密码错误，锁定 {minutes} 分钟", address=address)
    logger.warning("staff account locked after %d failures", user.failed_logins)
    user.failed_logins, user.locked_until = 0, now + config.lockout
    return Login("locked", user)
