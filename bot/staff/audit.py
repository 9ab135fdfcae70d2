"""The audit log: who looked at, unmasked, changed or exported what, and every login and logout.

Other screens call `record(session, actor, action, subject, detail)` in the same transaction as what they
record (an entry is never written for something that was rolled back, and nothing is done unrecorded);
`unmask(...)` demands a reason. Details are masked at write (`bot.privacy.mask`): a reason that quotes a
phone number does not put it in the log. Entries are never changed or deleted (bot/staff/models.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.privacy.mask import mask
from bot.staff.models import AuditEntry

CHINA = ZoneInfo("Asia/Shanghai")

LOGIN, LOGIN_FAILED, LOCKOUT, LOGOUT = "login", "login_failed", "lockout", "logout"
VIEW, UNMASK, STATUS_CHANGE, EXPORT = "view", "unmask", "status_change", "export"
DENIED, USER_CREATED, PASSWORD_RESET = "denied", "user_created", "password_reset"
REFERRAL_CREATED = "referral_created"  # a referral opened from the console (the agent assist's 12345 calls)
USER_DISABLED, USER_ENABLED, USER_CHANGED = "user_disabled", "user_enabled", "user_changed"  # 账号管理
PASSWORD_CHANGED = "password_changed"  # by the account's own holder
ACTIONS = {
    LOGIN: "登录成功", LOGIN_FAILED: "登录失败", LOCKOUT: "账号锁定", LOGOUT: "退出登录",
    VIEW: "查看个人信息", UNMASK: "解除遮挡", STATUS_CHANGE: "状态变更", EXPORT: "导出",
    DENIED: "拒绝访问", USER_CREATED: "新建账号", PASSWORD_RESET: "重置密码",
    REFERRAL_CREATED: "开转介单",
    USER_DISABLED: "停用账号", USER_ENABLED: "启用账号", USER_CHANGED: "修改账号角色", PASSWORD_CHANGED: "修改密码",
}
MIN_REASON = 4  # characters: "核实身份" is a reason, "看看" is not
PAGE_SIZE = 50


class Actor(Protocol):
    """Who did it: a StaffUser row, or the console's Staff of the request (bot.staff.web)."""

    id: int
    username: str
    role: str


class ReasonRequired(ValueError):
    """Unmasking without a reason (the screen asks for one; this is the last line)."""


def record(session: Session, actor: Actor | str | None, action: str, subject: str = "", detail: str = "", *,
           address: str | None = None) -> AuditEntry:
    """Append one entry. `actor` is the staff member, or a name with no account behind it (typed at a failed
    login; "(命令行)" for the admin commands)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    account = None if actor is None or isinstance(actor, str) else actor
    name = account.username if account else mask(actor or "")[:40]
    entry = AuditEntry(actor_id=account.id if account else None, actor_name=name,
                       actor_role=account.role if account else None, action=action, subject=subject[:120],
                       detail=mask(detail)[:2000], address=(address or "")[:64] or None)
    session.add(entry)
    session.flush()
    return entry


def unmask(session: Session, actor: Actor, subject: str, reason: str, *, address: str | None = None) -> AuditEntry:
    """Record that `actor` saw `subject` unmasked, and why. Call it before showing the data."""
    if len((reason or "").strip()) < MIN_REASON:
        raise ReasonRequired(f"解除遮挡要写明原因（至少 {MIN_REASON} 个字）。")
    return record(session, actor, UNMASK, subject, reason.strip(), address=address)


@dataclass(frozen=True)
class Query:
    user: str = ""
    action: str = ""
    since: date | None = None   # China-time days, both ends included
    until: date | None = None
    subject: str = ""
    page: int = 1


@dataclass(frozen=True)
class Page:
    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def day_start(day: date) -> datetime:
    """Midnight of a China-time day, in UTC (how times are stored, and compared on SQLite)."""
    return datetime.combine(day, time(), tzinfo=CHINA).astimezone(timezone.utc)


def _filtered(query: Query) -> Select:
    stmt = select(AuditEntry)
    if query.user.strip():
        stmt = stmt.where(AuditEntry.actor_name.ilike(_like(query.user.strip()), escape="\\"))
    if query.action:
        stmt = stmt.where(AuditEntry.action == query.action)
    if query.since:
        stmt = stmt.where(AuditEntry.at >= day_start(query.since))
    if query.until:
        stmt = stmt.where(AuditEntry.at < day_start(query.until + timedelta(days=1)))
    if query.subject.strip():
        stmt = stmt.where(AuditEntry.subject.ilike(_like(query.subject.strip()), escape="\\"))
    return stmt


def search(session: Session, query: Query, page_size: int = PAGE_SIZE) -> Page:
    """Newest first, one page; a page past the end shows the last page."""
    stmt = _filtered(query)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, query.page), pages)
    entries = session.scalars(stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                              .offset((page - 1) * page_size).limit(page_size)).all()
    return Page(list(entries), total, page, pages)
