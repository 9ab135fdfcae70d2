"""The staff console's login, home and audit pages (`/console`); thin: the work is in bot/staff/.

Later screens (assist, review, queue, handoffs, stats) add their own routers (告警's is mounted here, with the
nav whose count it feeds) and guard them with
`bot.staff.web.require_role`; `install(app, settings)` mounts this router and the console's answers to
"not logged in" and "not allowed" (create_app calls it).
"""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.api.deps import AppServices, Db
from bot.api.routes import console_alerts
from bot.intake.models import Township
from bot.security.limits import Limiter
from bot.settings import Settings
from bot.staff import accounts, audit, csrf, sessions
from bot.staff.config import StaffConfig
from bot.staff.roles import ADMIN, label, screens_for
from bot.staff.web import (COOKIE, HOME_PATH, LOGIN_COOKIE, LOGIN_PATH, STYLESHEET, Staff, checked_form,
                           client_address, config, current_staff, form_day, install_handlers, read_form, render,
                           require_role, safe_next)

router = APIRouter(tags=["console"])


@router.get("/console/static/console.css", include_in_schema=False)
def stylesheet() -> Response:
    return Response(STYLESHEET.read_text(encoding="utf-8"), media_type="text/css",
                    headers={"cache-control": "no-cache"})


def _login_page(request: Request, status: int = 200, *, error: str = "", info: str = "", username: str = "",
                next_path: str = HOME_PATH) -> Response:
    """The login form, bound to a fresh login cookie (its CSRF token)."""
    login_token = csrf.new_login_token()
    response = render(request, "login.html", status, error=error, info=info, username=username[:40],
                      next=safe_next(next_path), form_token=csrf.login_form_token(login_token))
    response.set_cookie(LOGIN_COOKIE, login_token, max_age=3600, path=LOGIN_PATH, httponly=True, samesite="strict",
                        secure=config(request).secure_cookies)
    return response


@router.get(LOGIN_PATH, include_in_schema=False)
def login_form(request: Request, db: Db, next: str = "", ended: str = "",
               out: str = "") -> Response:
    if sessions.resume(db, request.cookies.get(COOKIE), config(request)) is not None:
        return RedirectResponse(safe_next(next), status_code=303)  # already logged in
    db.commit()
    info = "您已安全退出。" if out else "登录已过期（长时间没有操作或已在别处退出），请重新登录。" if ended else ""
    return _login_page(request, info=info, next_path=next)


def _lockout_message(cfg: StaffConfig) -> str:
    minutes = int(cfg.lockout.total_seconds() // 60)
    return f"密码连续输错次数太多，账号已暂时锁定。请 {minutes} 分钟后再试，或请系统管理员重置密码。"


def _login(db: Session, cfg: StaffConfig, limiter: Limiter, username: str, password: str,
           address: str) -> accounts.Login:
    result = accounts.login(db, cfg, limiter, username, password, address)
    db.commit()
    return result


@router.post(LOGIN_PATH, include_in_schema=False)
async def login(request: Request, db: Db, svc: AppServices) -> Response:
    form = await read_form(request)
    username, next_path = form.get("username", ""), form.get("next", "")
    if not csrf.valid_login(request.cookies.get(LOGIN_COOKIE), form.get("csrf")):
        return _login_page(request, 400, error="登录页面已过期，请再输入一次。", username=username, next_path=next_path)
    cfg = config(request)
    # argon2 takes a fifth of a second of CPU: off the event loop, so residents' turns never wait for a login
    result = await run_in_threadpool(_login, db, cfg, svc.limiter, username,
                                     form.get("password", ""), client_address(request))
    if result.outcome == "ok":
        response = RedirectResponse(safe_next(next_path), status_code=303)
        response.set_cookie(COOKIE, result.token, path=HOME_PATH, httponly=True, samesite="strict",
                            secure=cfg.secure_cookies)
        response.delete_cookie(LOGIN_COOKIE, path=LOGIN_PATH)
        return response
    if result.outcome == "throttled":
        return _login_page(request, 429, error="这台电脑登录尝试太多，请 15 分钟后再试。", username=username,
                           next_path=next_path)
    error = (_lockout_message(cfg) if result.outcome == "locked" else
             f"用户名或密码不对。连续输错 {cfg.lockout_failures} 次，账号会锁定 "
             f"{int(cfg.lockout.total_seconds() // 60)} 分钟。")
    return _login_page(request, 401, error=error, username=username, next_path=next_path)


@router.post("/console/logout", include_in_schema=False)
def logout(request: Request, db: Db, _form: dict[str, str] = Depends(checked_form),
           staff: Staff = Depends(current_staff)) -> Response:
    sessions.revoke(db, staff.session_token)
    audit.record(db, staff, audit.LOGOUT, f"staff:{staff.username}", address=client_address(request))
    db.commit()
    response = RedirectResponse(f"{LOGIN_PATH}?out=1", status_code=303)
    response.delete_cookie(COOKIE, path=HOME_PATH)
    return response


@router.get(HOME_PATH, include_in_schema=False)
def home(request: Request, db: Db, staff: Staff = Depends(current_staff)) -> Response:
    township = db.get(Township, staff.township_code) if staff.township_code else None
    return render(request, "home.html", screens=screens_for(staff.role), township=township.name if township else "")



@router.get("/console/audit", include_in_schema=False)
def audit_log(request: Request, db: Db, staff: Staff = Depends(require_role(ADMIN)), user: str = "",
              action: str = "", since: str = "", until: str = "", subject: str = "", page: str = "1") -> Response:
    problems: list[str] = []
    query = audit.Query(user=user[:40], action=action if action in audit.ACTIONS else "",
                        since=form_day(since, "起始日期", problems), until=form_day(until, "截止日期", problems),
                        subject=subject[:120], page=int(page) if page.isdigit() and len(page) < 7 else 1)
    found = audit.search(db, query)
    filters = {"user": query.user, "action": query.action, "since": since if query.since else "",
               "until": until if query.until else "", "subject": query.subject}

    def link(number: int) -> str:
        return "/console/audit?" + urlencode({**{k: v for k, v in filters.items() if v}, "page": number})

    return render(request, "audit.html", query=query, page=found, actions=audit.ACTIONS, problems=problems,
                  since=filters["since"], until=filters["until"], link=link)


@router.get("/console/api/me")
def me(staff: Staff = Depends(current_staff)) -> JSONResponse:
    """The logged-in staff member, and the CSRF token scripts send as X-CSRF-Token (401 when not logged in)."""
    return JSONResponse({"username": staff.username, "role": staff.role, "role_label": label(staff.role),
                         "township_code": staff.township_code, "csrf_token": staff.csrf})


def install(app: FastAPI, settings: Settings) -> None:
    app.state.staff_config = StaffConfig.from_env(settings.env)
    app.include_router(router)
    app.include_router(console_alerts.router)  # 告警 (bot/staff/alerts/board.py)
    install_handlers(app)
