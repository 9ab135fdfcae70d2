"""The WeChat simulator's demo page (development only): chat with the bot as a follower of the official account.

The page asks /wechat-sim/ui/openid for a follower, posts to /wechat-sim/ui/send; that plays WeChat's
servers (WeChatSimulator: signed, optionally encrypted, retried) against the app's own /wechat, and the page
polls the stand-in for WeChat's API (/wechat-sim/sent) for the customer-service messages that follow.
Loopback clients with the simulator's token only, for followers the simulator issued (guard.py).
"""
from __future__ import annotations

import html
from dataclasses import asdict
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from bot.channels.wechat.protocol import WeChatKeys
from dev.wechat.client import WeChatSimulator
from dev.wechat.guard import IssuedOpenids, loopback_only, settings_of, token_required

router = APIRouter(tags=["wechat-simulator"])
PAGE = Path(__file__).resolve().parent / "page.html"
TOKEN_SLOT = "{{SIMULATOR_TOKEN}}"


class UiSend(BaseModel):
    openid: str = Field(pattern=r"^[A-Za-z0-9_-]{6,64}$")
    text: str | None = Field(default=None, min_length=1, max_length=2000)
    event: Literal["subscribe", "unsubscribe", "CLICK"] | None = None
    key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    encrypted: bool = False


@router.get("/wechat/simulator", include_in_schema=False, dependencies=[Depends(loopback_only)])
def page(request: Request) -> HTMLResponse:
    """The page, with the simulator's token in it (served to this machine only)."""
    text = PAGE.read_text(encoding="utf-8").replace(TOKEN_SLOT, html.escape(settings_of(request).simulator_token))
    return HTMLResponse(text, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


@router.post("/wechat-sim/ui/openid", dependencies=[Depends(token_required())])
def ui_openid(request: Request) -> dict:
    """A new follower, the only kind the simulator speaks as."""
    return {"openid": IssuedOpenids(settings_of(request).simulator_token).issue()}


@router.post("/wechat-sim/ui/send", dependencies=[Depends(token_required())])
async def ui_send(body: UiSend, request: Request) -> dict:
    if (body.text is None) == (body.event is None):
        raise HTTPException(422, "send either text or an event")
    if body.event == "CLICK" and not body.key:
        raise HTTPException(422, "a CLICK event needs a key")
    settings = settings_of(request)
    if body.openid not in IssuedOpenids(settings.simulator_token):
        raise HTTPException(403, "not a follower this simulator created (ask /wechat-sim/ui/openid for one)")
    keys = WeChatKeys(settings.wechat_token, settings.wechat_app_id, settings.wechat_aes_key)
    async with WeChatSimulator(f"{settings.app_url}/wechat", keys, encrypted=body.encrypted) as sim:
        if body.text is not None:
            delivery = await sim.send_text(body.openid, body.text)
        else:
            delivery = await sim.send_event(body.openid, body.event, body.key if body.event == "CLICK" else None)
    return asdict(delivery)
