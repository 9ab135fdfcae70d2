"""账号管理 (`/console/users`, admins only) and every staff member's own 修改密码 (`/console/password`); thin:
the rules are in bot/staff/users.py and bot/staff/accounts.py. No script on these pages.

- GET  /console/users                     the accounts and the form for a new one
- POST /console/users                     create (a temporary password, shown once in the answer)
- GET  /console/users/{username}          one account: role and township, password, disable/enable
- POST /console/users/{username}/role     change the role (a clerk's township with it)
- POST /console/users/{username}/password a temporary password, shown once; the account's sessions end
- POST /console/users/{username}/active   disable (sessions end at once) or enable
- GET/POST /console/password              change one's own password (forced after a temporary one)

Every POST carries the session's CSRF token (`checked_form`) and is audited. A temporary password is shown
only in the answer to the POST that made it (never in a URL, never stored or logged in the clear).
"""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.api.deps import AppServices, Db
from bot.gazetteer.divisions import Division
from bot.staff import accounts, passwords, users
from bot.staff.accounts import AccountError
from bot.staff.models import StaffUser
from bot.staff.roles import ADMIN, ROLES
from bot.staff.web import (HERE, PASSWORD_PATH, Staff, checked_form, client_address, config, current_staff, render,
                           require_role, static_file)

router = APIRouter(tags=["console"])
STYLESHEET = HERE / "static" / "users.css"
USERS_PATH = "/console/users"
may_manage = require_role(ADMIN)
DONE = {"role": "角色已修改，对方下一次操作起生效", "disabled": "账号已停用，对方已被退出登录",
        "enabled": "账号已启用"}


@router.get("/console/static/users.css", include_in_schema=False)
def stylesheet() -> Response:
    return static_file(STYLESHEET, "text/css")


def divisions(svc: AppServices) -> tuple[Division, ...]:
    """The gazetteer's townships (a clerk's scope), loaded once at start."""
    return svc.gazetteer.divisions


Divisions = Annotated[tuple[Division, ...], Depends(divisions)]


def _township_names(divisions: tuple[Division, ...]) -> dict[str, str]:
    return {d.code: d.name for d in divisions}


def _field(form: dict[str, str], name: str, limit: int = 40) -> str:
    return str(form.get(name, "")).strip()[:limit]


def _list_page(request: Request, db: Session, divisions: tuple[Division, ...], status: int = 200, error: str = "",
               form: dict[str, str] | None = None, done: str = "") -> Response:
    return render(request, "users.html", status, accounts=users.listing(db), roles=ROLES,
                  divisions=divisions, townships=_township_names(divisions), error=error, form=form or {},
                  done=DONE.get(done, ""))


def _account_page(request: Request, user: StaffUser, divisions: tuple[Division, ...], status: int = 200,
                  error: str = "", done: str = "") -> Response:
    return render(request, "users_account.html", status, account=users.account(user), roles=ROLES,
                  divisions=divisions, townships=_township_names(divisions), error=error,
                  done=DONE.get(done, ""))


def _secret_page(request: Request, user: StaffUser, password: str, created: bool,
                 divisions: tuple[Division, ...]) -> Response:
    return render(request, "users_secret.html", account=user, password=password, created=created,
                  townships=_township_names(divisions))


def _missing(request: Request) -> Response:
    return render(request, "users_missing.html", 404)


def _account_url(user: StaffUser, done: str) -> str:
    return f"{USERS_PATH}/{quote(user.username)}?done={done}"


@router.get(USERS_PATH, include_in_schema=False)
def users_page(request: Request, db: Db, divisions: Divisions, staff: Staff = Depends(may_manage),
               done: str = "") -> Response:
    return _list_page(request, db, divisions, done=done)


@router.post(USERS_PATH, include_in_schema=False)
def create(request: Request, db: Db, divisions: Divisions, form: dict[str, str] = Depends(checked_form),
           staff: Staff = Depends(may_manage)) -> Response:
    try:
        user, password = users.create(db, config(request), staff, _field(form, "username"), _field(form, "role", 10),
                                      _field(form, "township", 12), _field(form, "display_name"),
                                      client_address(request))
    except AccountError as exc:
        db.rollback()
        return _list_page(request, db, divisions, 400, error=str(exc), form=form)
    db.commit()
    return _secret_page(request, user, password, True, divisions)


@router.get(USERS_PATH + "/{username}", include_in_schema=False)
def account_page(request: Request, username: str, db: Db, divisions: Divisions, staff: Staff = Depends(may_manage),
                 done: str = "") -> Response:
    user = users.get(db, username)
    return _missing(request) if user is None else _account_page(request, user, divisions, done=done)


def _refused(request: Request, db: Session, username: str, exc: AccountError,
             divisions: tuple[Division, ...]) -> Response:
    db.rollback()
    user = users.get(db, username)
    return _missing(request) if user is None else _account_page(request, user, divisions, 400, error=str(exc))


@router.post(USERS_PATH + "/{username}/role", include_in_schema=False)
def change_role(request: Request, username: str, db: Db, divisions: Divisions, form: dict[str, str] = Depends(checked_form),
                staff: Staff = Depends(may_manage)) -> Response:
    try:
        user = users.change_role(db, staff, username, _field(form, "role", 10), _field(form, "township", 12),
                                 client_address(request))
    except AccountError as exc:
        return _refused(request, db, username, exc, divisions)
    db.commit()
    return RedirectResponse(_account_url(user, "role"), status_code=303)


@router.post(USERS_PATH + "/{username}/password", include_in_schema=False)
def reset_password(request: Request, username: str, db: Db, divisions: Divisions, form: dict[str, str] = Depends(checked_form),
                   staff: Staff = Depends(may_manage)) -> Response:
    try:
        user, password = users.reset_password(db, config(request), staff, username, client_address(request))
    except AccountError as exc:
        return _refused(request, db, username, exc, divisions)
    db.commit()
    return _secret_page(request, user, password, False, divisions)


@router.post(USERS_PATH + "/{username}/active", include_in_schema=False)
def set_active(request: Request, username: str, db: Db, divisions: Divisions, form: dict[str, str] = Depends(checked_form),
               staff: Staff = Depends(may_manage)) -> Response:
    active = _field(form, "active", 1) == "1"
    try:
        user = users.set_active(db, staff, username, active, client_address(request))
    except AccountError as exc:
        return _refused(request, db, username, exc, divisions)
    db.commit()
    return RedirectResponse(_account_url(user, "enabled" if active else "disabled"), status_code=303)


# ---- one's own password -------------------------------------------------------------------------------------

def _password_page(request: Request, db: Session, staff: Staff, status: int = 200, error: str = "",
                   done: bool = False) -> Response:
    user = db.get(StaffUser, staff.id)
    return render(request, "users_password.html", status, forced=bool(user and user.must_change_password),
                  error=error, done=done, min_length=passwords.MIN_LENGTH)


@router.get(PASSWORD_PATH, include_in_schema=False)
def password_form(request: Request, db: Db, staff: Staff = Depends(current_staff), done: str = "") -> Response:
    return _password_page(request, db, staff, done=done == "1")


@router.post(PASSWORD_PATH, include_in_schema=False)
def change_password(request: Request, db: Db, form: dict[str, str] = Depends(checked_form),
                    staff: Staff = Depends(current_staff)) -> Response:
    new = str(form.get("new", ""))
    if new != str(form.get("again", "")):
        return _password_page(request, db, staff, 400, "两次输入的新密码不一样，没有修改。")
    user = db.get(StaffUser, staff.id)
    if user is None:  # the session resolved it a moment ago
        return _password_page(request, db, staff, 400, "找不到您的账号。")
    try:
        accounts.change_own_password(db, config(request), user, str(form.get("current", "")), new,
                                     staff.session_token, client_address(request))
    except (AccountError, passwords.WeakPassword) as exc:
        db.rollback()
        return _password_page(request, db, staff, 400, str(exc))
    db.commit()
    return RedirectResponse(PASSWORD_PATH + "?done=1", status_code=303)
