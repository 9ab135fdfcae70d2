"""The WeChat simulator's demo page (development only): chat with the bot as a follower of the official account.

The page posts to /wechat-sim/ui/send; that plays WeChat's servers (WeChatSimulator: signed, optionally
encrypted, retried) against the app's own /wechat, and the page polls the stand-in for WeChat's API
(/wechat-sim/sent) for the customer-service messages that follow.
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from bot.channels.wechat.protocol import WeChatKeys
from bot.channels.wechat.simulator.client import WeChatSimulator

router = APIRouter(tags=["wechat-simulator"])
PAGE = Path(__file__).resolve().parent / "page.html"


class UiSend(BaseModel):
    openid: str = Field(pattern=r"^[A-Za-z0-9_-]{6,64}$")
    text: str | None = Field(default=None, min_length=1, max_length=2000)
    event: Literal["subscribe", "unsubscribe", "CLICK"] | None = None
    key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    encrypted: bool = False


def _settings(request: Request):
    services = getattr(request.app.state, "services", None)
    if services is not None:
        return services.settings
    from bot.settings import get_settings

    return get_settings()


@router.get("/wechat/simulator", include_in_schema=False)
def page() -> FileResponse:
    return FileResponse(PAGE, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-store"})


@router.post("/wechat-sim/ui/send")
async def ui_send(body: UiSend, request: Request) -> dict:
    if (body.text is None) == (body.event is None):
        raise HTTPException(422, "send either text or an event")
    if body.event == "CLICK" and not body.key:
        raise HTTPException(422, "a CLICK event needs a key")
    settings = _settings(request)
    keys = WeChatKeys(settings.wechat_token, settings.wechat_app_id, settings.wechat_aes_key)
    async with WeChatSimulator(f"{settings.app_url}/wechat", keys, encrypted=body.encrypted) as sim:
        if body.text is not None:
            delivery = await sim.send_text(body.openid, body.text)
        else:
            delivery = await sim.send_event(body.openid, body.event, body.key if body.event == "CLICK" else None)
    return asdict(delivery)
