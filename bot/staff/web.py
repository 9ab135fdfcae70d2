"""What every console screen uses: the logged-in staff member, role checks, CSRF-checked forms, pages.

    @router.get("/console/queue")
    def queue(db: Db, staff: Staff = Depends(require_role(CLERK, ADMIN))): ...

    @router.post("/console/queue/{case}/status")
    def change(form: dict[str, str] = Depends(checked_form), staff: Staff = Depends(require_role(CLERK, ADMIN))): ...

Not logged in (no cookie, or a session that ended): HTML pages redirect to the login page, which comes back
afterwards; `/console/api/*` answers JSON 401. Logged in with the wrong role, out of township scope
(`bot.staff.scope.OutOfScope`) or a form without its CSRF token: a 403 page in Chinese (JSON 403 under
`/console/api/`), and an audit entry. The login page never requires a login and the home page never
requires a role, so no answer here can loop.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.api.deps import Db, services
from bot.staff import audit, csrf, sessions
from bot.staff.alerts import board
from bot.staff.config import StaffConfig
from bot.staff.models import StaffUser
from bot.staff.roles import label
from bot.staff.scope import OutOfScope

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STYLESHEET = HERE / "static" / "console.css"
COOKIE = "jz_console"              # the session token (path /console)
LOGIN_COOKIE = "jz_console_login"  # binds the login form's CSRF token before there is a session
LOGIN_PATH, HOME_PATH, API_PREFIX = "/console/login", "/console", "/console/api/"
PASSWORD_PATH = "/console/password"  # the one page (with logout) open to a temporary password's holder
MAX_FORM_FIELDS = 50
# the console's own pages: its stylesheet, forms posting to itself, nothing else, never framed
PAGE_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
# a page that runs the app's own script files (坐席助手, 统计, 告警): nothing inline, nothing from elsewhere
SCRIPT_PAGE_HEADERS = {**PAGE_HEADERS, "content-security-policy": PAGE_HEADERS["content-security-policy"].replace(
    "default-src 'none';", "default-src 'none'; script-src 'self'; connect-src 'self';")}

pages = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                    trim_blocks=True, lstrip_blocks=True)
pages.globals["role_label"] = label
pages.filters["china"] = lambda at: at.astimezone(audit.CHINA).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Staff:
    """The logged-in staff member of a request: a copy of the account's fields (usable after the request's
    database session has closed, e.g. on the 403 page) and the session's cookie token."""

    id: int
    username: str
    display_name: str
    role: str
    township_code: str | None  # a clerk's township (bot.staff.scope)
    session_token: str = field(repr=False)

    @classmethod
    def of(cls, user: StaffUser, session_token: str) -> Staff:
        return cls(user.id, user.username, user.display_name, user.role, user.township_code, session_token)

    @property
    def csrf(self) -> str:
        return csrf.token_for(self.session_token)


class LoginRequired(Exception):
    def __init__(self, ended: bool):
        super().__init__("login required")
        self.ended = ended  # a cookie was presented but its session is over (timed out, revoked)


class PasswordChangeRequired(Exception):
    """The account logged in with a temporary password an admin handed out: it must choose its own first."""


class Denied(Exception):
    """`reason` for the log (English), `message` for the person (the 403 page), `detail` for the audit log."""

    def __init__(self, reason: str, message: str = "您的角色不能使用这个页面。", staff: Staff | None = None,
                 detail: str = ""):
        super().__init__(reason)
        self.reason, self.message, self.staff, self.detail = reason, message, staff, detail or message


def config(request: Request) -> StaffConfig:
    return request.app.state.staff_config


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    staff = getattr(request.state, "staff", None)
    alerts = getattr(request.state, "alerts", None)  # the nav's open alerts (current_staff), None: not shown
    html = pages.get_template(template).render(staff=staff, path=request.url.path, alerts=alerts, **context)
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def static_file(path: Path, media_type: str) -> Response:
    """One of the console's own stylesheets or scripts (small; re-read so an edit shows on reload)."""
    return Response(path.read_text(encoding="utf-8"), media_type=media_type, headers={"cache-control": "no-cache"})


# ---- dependencies -------------------------------------------------------------------------------------------

def current_staff(request: Request, db: Db) -> Staff:
    """The logged-in staff member (any role); raises LoginRequired."""
    token = request.cookies.get(COOKIE)
    row = sessions.resume(db, token, config(request))
    if row is None:
        db.commit()  # a session found over is revoked for good
        raise LoginRequired(ended=bool(token))
    staff = Staff.of(row.user, token or "")
    request.state.staff = staff
    request.state.alerts = board.nav_counts(db, staff.role)  # every page's nav, for the roles that see 告警
    if row.user.must_change_password and request.url.path not in (PASSWORD_PATH, "/console/logout"):
        raise PasswordChangeRequired()
    return staff


def require_role(*roles: str) -> Callable[..., Staff]:
    """A dependency: the logged-in staff member if their role is one of `roles`, else the 403 page."""
    allowed = frozenset(roles)

    def dependency(staff: Staff = Depends(current_staff)) -> Staff:
        if staff.role not in allowed:
            needed = "、".join(label(role) for role in sorted(allowed))
            raise Denied(f"role {staff.role} is not one of {sorted(allowed)}", staff=staff,
                         detail=f"{label(staff.role)}不能使用（需要：{needed}）")
        return staff

    return dependency


async def read_form(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body (the last value of a repeated field wins)."""
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    return dict(parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS))


async def checked_form(request: Request, staff: Staff = Depends(current_staff)) -> dict[str, str]:
    """The submitted form of a logged-in staff member, refused (403) unless it carries the session's CSRF token
    (field `csrf`, or the X-CSRF-Token header for scripts)."""
    try:
        form = await read_form(request)
    except ValueError:  # more fields than any console form has
        form = {}
    if not csrf.valid(staff.session_token, form.get("csrf") or request.headers.get("x-csrf-token")):
        raise Denied("missing or wrong CSRF token", "页面已过期或来源不明，没有保存。请回到上一页刷新后再提交。", staff,
                     "表单没有带本次登录的防伪令牌（CSRF），未执行")
    return form


# ---- answers to the exceptions above ------------------------------------------------------------------------

def safe_next(target: str | None) -> str:
    """Where to go after logging in: a console page of this site, never elsewhere and never the login page."""
    if not target or not target.startswith(HOME_PATH) or target.startswith("//") or "\\" in target:
        return HOME_PATH
    path = target.split("?", 1)[0]
    if path != HOME_PATH and not path.startswith(HOME_PATH + "/") or path.startswith(LOGIN_PATH):
        return HOME_PATH
    return target


async def login_required(request: Request, exc: LoginRequired) -> Response:
    if is_api(request):
        return JSONResponse({"error": "unauthorized", "reason": "login required", "message": "请先登录。"},
                            status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    query = f"?next={quote(target, safe='')}" if request.method == "GET" and target != HOME_PATH else ""
    if exc.ended:
        query += ("&" if query else "?") + "ended=1"
    response = RedirectResponse(LOGIN_PATH + query, status_code=303)
    if exc.ended:
        response.delete_cookie(COOKIE, path=HOME_PATH)
    return response


async def password_change_required(request: Request, _exc: PasswordChangeRequired) -> Response:
    if is_api(request):
        return JSONResponse({"error": "forbidden", "reason": "password change required",
                             "message": "请先修改临时密码。"}, status_code=403)
    return RedirectResponse(PASSWORD_PATH, status_code=303)


def _record_denial(request: Request, staff: Staff | None, path: str, detail: str, address: str) -> None:
    if staff is None:
        return
    with services(request).db.scope() as db:  # an exception handler: no dependencies to receive it through
        audit.record(db, staff, audit.DENIED, path, detail, address=address)


async def denied(request: Request, exc: Exception) -> Response:
    if isinstance(exc, OutOfScope):
        exc = Denied("outside the township scope", "这条记录不属于您负责的乡镇。", getattr(request.state, "staff", None),
                     str(exc))
    assert isinstance(exc, Denied)
    logger.info("console: %s %s refused: %s", request.method, request.url.path, exc.reason)
    await run_in_threadpool(_record_denial, request, exc.staff, request.url.path, exc.detail, client_address(request))
    if is_api(request):
        return JSONResponse({"error": "forbidden", "reason": exc.reason, "message": exc.message}, status_code=403)
    return render(request, "forbidden.html", status=403, message=exc.message)


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(PasswordChangeRequired, password_change_required)
    app.add_exception_handler(Denied, denied)
    app.add_exception_handler(OutOfScope, denied)


def form_day(text: str, name: str, problems: list[str]) -> date | None:
    """A date field of a console filter (YYYY-MM-DD, what a date input sends): empty is no filter; anything
    else is ignored with a note in `problems` for the page to show."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        problems.append(f"{name}的格式不对（应为 2026-01-31），已忽略")
        return None
