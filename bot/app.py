"""The FastAPI app: web chat, dialogue API for the action server, triage, health.

Run: `make run` (all three processes) or `uvicorn bot.app:create_app --factory`.
"""
from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse

from bot.api.hardening import error_body, harden
from bot.api.routes import answers, chat, console, forms, handoffs, health, intake, triage, wechat
from bot.api.routes import console_handoffs
from bot.api.routes import assist as console_assist
from bot.api.routes import console_stats
from bot.api.routes import console_review
from bot.api.routes import console_users
from bot.api.routes import queue as console_queue
from bot.staff.queue import escalation_worker
from bot.db.migrate import upgrade
from bot.devtools import dev_module
from bot.db.session import Database
from bot.intake.seed import seed_townships
from bot.intake.service import IntakeError
from bot.security.limits import RateLimited
from bot import retention
from bot.services import build_services
from bot.settings import Settings, get_settings

logger = logging.getLogger(__name__)


def prepare_database(settings: Settings, db: Database | None = None) -> None:
    """Newest schema (Alembic), then the townships any missing from the seed file (never overwritten)."""
    upgrade(settings.database_url)
    db = db or Database(settings.database_url)
    with db.scope() as session:
        seed_townships(session, settings.policies_dir / "shuangliao-divisions.yml")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.check_production()
    services = build_services(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        prepare_database(settings, services.db)
        workers = [asyncio.create_task(services.outbox.run()), asyncio.create_task(services.wechat.sweep_forever())]
        # overdue referrals climb the ladder, on the knowledge base's limits and holiday calendar (policies/)
        workers.append(asyncio.create_task(escalation_worker(services.db, services.kb.referrals.time_limits)))
        workers.append(asyncio.create_task(retention.daily(settings, services.db)))  # RETENTION_DAYS (bot/retention.py)
        yield
        for worker in workers:
            worker.cancel()
        await services.engine.close()
        services.db.dispose()

    # /docs from the app's own files (harden → bot/api/docs.py); no ReDoc (it loads from a CDN)
    app = FastAPI(title="救助小助手", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.services = services
    for module in (health, chat, triage, answers, forms, intake, wechat, handoffs):
        app.include_router(module.router)
    console.install(app, settings)  # the staff console: login, roles, audit (bot/staff/)
    app.include_router(console_handoffs.router)  # the console's handoff inbox (bot/staff/handoffs.py)
    app.include_router(console_assist.router)  # 坐席助手, the 12345 agent assist (bot/staff/assist.py)
    app.include_router(console_stats.router)  # the console's statistics (bot/staff/stats.py)
    app.include_router(console_queue.router)  # 转介工单, the township referral queue (bot/staff/queue.py)
    app.include_router(console_review.router)  # 会话审阅, conversation review (bot/staff/review/)
    app.include_router(console_users.router)  # 账号管理 and 修改密码 (bot/staff/users.py)
    harden(app, settings)  # body caps, strict JSON, error format, security headers, local /docs (issue 10)
    if settings.env != "production":  # the WeChat simulator and its stand-in for WeChat's API (dev/, not bot/)
        simulator = dev_module("wechat")
        if simulator is not None:
            simulator.mount(app, settings)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/chat")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = sorted({".".join(str(p) for p in e["loc"][1:]) for e in exc.errors()})
        logger.info("invalid request to %s: %s", request.url.path, fields)
        # the reason names the rule, never echoes the submitted value (it may hold personal data)
        reasons = sorted({e["msg"] for e in exc.errors()})
        return JSONResponse(status_code=422, content={
            "error": "invalid_request", "fields": fields, "reason": "; ".join(reasons),
            "message": "请求内容不对（可能太长或缺少内容），请检查后再发一次。"})

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, exc: RateLimited) -> JSONResponse:
        return JSONResponse(status_code=429, headers={"Retry-After": str(int(exc.rule.window_s))}, content={
            "error": "rate_limited", "reason": exc.rule.name, "message": exc.message})

    @app.exception_handler(IntakeError)
    async def intake_error(request: Request, exc: IntakeError) -> JSONResponse:
        logger.info("intake %s %s → %s %s", request.method, request.url.path, exc.status, exc.code)
        return JSONResponse(status_code=exc.status, content={**error_body(exc.status, exc.reason), "error": exc.code})

    return app
