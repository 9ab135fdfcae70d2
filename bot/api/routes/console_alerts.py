"""告警 (/console/alerts): staff alerts, open first, emergencies on top; thin, the rules are in
bot/staff/alerts/board.py (who may see and handle them, and why).

- GET  /console/alerts                     the list (masked text, channel, age, who handled it and when)
- POST /console/alerts/{id}/acknowledge    someone is on it (admin; a note is optional)
- POST /console/alerts/{id}/close          done (admin; a short note is required)

The page refreshes its list every 30 s with a small script of the app's own (`alerts.js`, no CDN), which
skips a round while a note is being written; without the script the page still works (a 刷新 link).
Every POST carries the session's CSRF token (`checked_form`) and is audited.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.api.deps import Db
from bot.staff.alerts import board
from bot.staff.web import (HERE, SCRIPT_PAGE_HEADERS, Staff, checked_form, client_address, render, require_role,
                           static_file)

router = APIRouter(tags=["console"])
LIST = "/console/alerts"
may_see = require_role(*board.MAY_SEE)
may_handle = require_role(*board.MAY_HANDLE)
AlertId = Annotated[int, Path(ge=1, le=2**31 - 1)]
DONE = {"acknowledged": "已标记为“已知悉”，这条告警不再计入待处理。", "closed": "告警已关闭，处理记录已写入审计日志。"}


@router.get("/console/static/alerts.js", include_in_schema=False)
def script() -> Response:
    return static_file(HERE / "static" / "alerts.js", "text/javascript; charset=utf-8")


@router.get("/console/static/alerts.css", include_in_schema=False)
def stylesheet() -> Response:
    return static_file(HERE / "static" / "alerts.css", "text/css")


def _page(request: Request, db: Session, staff: Staff, page: int = 1, done: str = "", error: str = "",
          error_alert: int | None = None, status: int = 200) -> Response:
    response = render(request, "alerts.html", status, page=board.listing(db, page), notice=DONE.get(done, ""),
                      error=error, error_alert=error_alert, may_handle=staff.role in board.MAY_HANDLE,
                      note_max=board.NOTE_MAX, link=lambda number: f"{LIST}?page={number}")
    response.headers.update(SCRIPT_PAGE_HEADERS)
    return response


@router.get(LIST, include_in_schema=False)
def alerts(request: Request, db: Db, staff: Staff = Depends(may_see), page: str = "1", done: str = "") -> Response:
    return _page(request, db, staff, int(page) if page.isdigit() and len(page) < 7 else 1, done[:20])


def _step(request: Request, db: Session, staff: Staff, alert_id: int, note: str, done: str) -> Response:
    try:
        if done == "closed":
            board.close(db, staff, alert_id, note, address=client_address(request))
        else:
            board.acknowledge(db, staff, alert_id, note, address=client_address(request))
    except board.BoardError as exc:
        db.rollback()
        return _page(request, db, staff, error=str(exc), error_alert=alert_id, status=409)
    db.commit()
    return RedirectResponse(f"{LIST}?done={done}#alert-{alert_id}", status_code=303)


@router.post(LIST + "/{alert_id}/acknowledge", include_in_schema=False)
def acknowledge(request: Request, alert_id: AlertId, db: Db, form: dict[str, str] = Depends(checked_form),
                staff: Staff = Depends(may_handle)) -> Response:
    return _step(request, db, staff, alert_id, form.get("note", ""), "acknowledged")


@router.post(LIST + "/{alert_id}/close", include_in_schema=False)
def close(request: Request, alert_id: AlertId, db: Db, form: dict[str, str] = Depends(checked_form),
          staff: Staff = Depends(may_handle)) -> Response:
    return _step(request, db, staff, alert_id, form.get("note", ""), "closed")
