"""坐席助手 (`/console/assist`): the 12345 agent's page and its JSON calls under /console/api/assist/; thin,
the work is in bot/staff/assist.py, checklist.py and wrapups.py.

The page runs a small static script of the app's own (`assist.js`): its policy (web.SCRIPT_PAGE_HEADERS) adds
`script-src 'self'` and `connect-src 'self'` to the console's, nothing inline, nothing from outside.
The JSON calls want the console session (cookie) and its CSRF token in X-CSRF-Token; roles agent and admin.
"""
from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from bot.api.deps import AppServices, Db
from bot.gazetteer.divisions import Division
from bot.services import Services
from bot.staff import assist, checklist, csrf, wrapups
from bot.staff.audit import CHINA
from bot.staff.roles import ADMIN, AGENT
from bot.staff.web import (SCRIPT_PAGE_HEADERS, STYLESHEET, Denied, Staff, client_address, render, require_role,
                           static_file)

router = APIRouter(tags=["console"])
STATIC = Path(STYLESHEET).parent
agent = require_role(AGENT, ADMIN)
CallId = Field(pattern=assist.CALL_ID.pattern)


def checked(staff: Staff, token: str | None) -> Staff:
    if not csrf.valid(staff.session_token, token):
        raise Denied("missing or wrong CSRF token", "页面已过期，请刷新页面后再试。", staff,
                     "坐席助手请求没有带本次登录的防伪令牌（CSRF），未执行")
    return staff


async def scripted(staff: Staff = Depends(agent), x_csrf_token: str | None = Header(default=None)) -> Staff:
    """The page's script: an agent (or admin) with the session's CSRF token (async: no thread hop for an HMAC)."""
    return checked(staff, x_csrf_token)


@router.get("/console/static/assist.js", include_in_schema=False)
def script() -> Response:
    return static_file(STATIC / "assist.js", "text/javascript")


@router.get("/console/static/assist.css", include_in_schema=False)
def stylesheet() -> Response:
    return static_file(STATIC / "assist.css", "text/css")


def new_call_id() -> str:
    return datetime.now(CHINA).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(4)


@router.get("/console/assist", include_in_schema=False)
def page(request: Request, svc: AppServices, staff: Staff = Depends(agent)) -> Response:
    townships = [(t.code, t.name, t.office) for t in svc.gazetteer.divisions]
    response = render(request, "assist.html", call_id=new_call_id(), townships=townships,
                      intents=assist.INTENT_LABELS, programmes=svc.kb.programmes,
                      multi=checklist.MULTI, single=checklist.SINGLE, consent=checklist.consent_text({}),
                      consent_template=checklist.consent_text({"place": {"office": "{office}"}}))
    response.headers.update(SCRIPT_PAGE_HEADERS)
    return response


class TriageIn(BaseModel):
    text: str = Field(max_length=20000)


def _townships(svc: Services) -> list[Division]:
    """The gazetteer's divisions (bot/gazetteer/, loaded once at start): no database read per keystroke."""
    return list(svc.gazetteer.divisions)


@router.post("/console/api/assist/triage")
async def triage(body: TriageIn, svc: AppServices, _staff: Staff = Depends(scripted)) -> JSONResponse:
    """One keystroke pause: triage, banner, suggested replies, facts card and checklist of the words so far."""
    townships = _townships(svc)
    shown = await assist.view(body.text, svc.engine, svc.kb, svc.net, svc.settings.max_message_chars, townships)
    return JSONResponse(shown)


class ReferralIn(BaseModel):
    call_id: str = CallId
    consent: bool = False
    checklist: dict = Field(default_factory=dict)


@router.post("/console/api/assist/referral")
def referral(body: ReferralIn, request: Request, svc: AppServices, db: Db,
             staff: Staff = Depends(scripted)) -> JSONResponse:
    """Open the call's referral (channel 12345); the same call always gets the same case number."""
    fields = {k: v for k, v in body.checklist.items() if k in checklist.FIELDS}
    try:
        receipt = assist.open_referral(db, staff, body.call_id, fields, body.consent, svc.forms.standard, svc.kb,
                                       _townships(svc), client_address(request))
    except assist.AssistError as exc:
        return JSONResponse({"error": "incomplete", "message": str(exc)}, status_code=422)
    return JSONResponse(receipt)


class ScreenIn(BaseModel):
    checklist: dict = Field(default_factory=dict)


@router.post("/console/api/assist/screen")
async def screen(body: ScreenIn, svc: AppServices, _staff: Staff = Depends(scripted)) -> JSONResponse:
    """What may apply for the checklist as the agent has it now (the pre-screen's rules, the forms' Standard)."""
    fields = {k: v for k, v in body.checklist.items() if k in checklist.FIELDS}
    return JSONResponse({"findings": assist.screening(fields, _townships(svc), svc.forms.standard, svc.kb)})


class WrapupIn(BaseModel):
    call_id: str = CallId
    text: str = Field(default="", max_length=20000)
    model_intent: str | None = Field(default=None, max_length=40)
    model_confidence: float | None = Field(default=None, ge=0, le=1)
    corrected_intent: str = Field(max_length=40)
    programme: str | None = Field(default=None, max_length=20)
    notes: str = Field(default="", max_length=wrapups.MAX_NOTES)
    case_number: str | None = Field(default=None, pattern=r"^SL-\d{4}-\d{6}$")


@router.post("/console/api/assist/wrapup")
def wrapup(body: WrapupIn, svc: AppServices, db: Db, staff: Staff = Depends(scripted)) -> JSONResponse:
    """The call's wrap-up: the intent the agent confirms or corrects (for review), the notes."""
    kb = svc.kb
    if body.corrected_intent not in assist.INTENT_LABELS:
        return JSONResponse({"error": "invalid", "message": "请选这通电话实际是什么事。"}, status_code=422)
    saved = wrapups.save(db, staff, wrapups.Wrapup(
        call_id=body.call_id, text=body.text,
        model_intent=body.model_intent if body.model_intent in assist.INTENT_LABELS else None,
        model_confidence=body.model_confidence, corrected_intent=body.corrected_intent,
        programme=body.programme if body.programme in kb.programmes else None, notes=body.notes,
        case_number=body.case_number))
    db.commit()
    return JSONResponse({"saved": True, "corrected": saved.corrected,
                         "message": "已保存。" + ("您改正的分类会交给会话审阅。" if saved.corrected else "")})
