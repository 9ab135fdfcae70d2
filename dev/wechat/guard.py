"""Who may use the WeChat simulator's routes, and whom the simulator may speak as (development only).

The routes sign with the real WeChat token, list every customer-service message and reset or break the
stand-in for WeChat's API, so besides being mounted only outside production (bot/app.py) they answer
only clients on this machine (the connection's own address, `request.client.host`) that present the
simulator's token (`X-Simulator-Token`: SIMULATOR_TOKEN, by default a dev secret kept in var/). The
demo page gets the token inside the HTML, which only a loopback client is served; `bot wechat simulate`
reads it from the settings like the other dev secrets. WeChat's own paths (/cgi-bin/*) keep WeChat's
shape (access_token) for the outbox, on this machine only.

The simulator signs only for followers it created itself (`IssuedOpenids`): a real follower's openid,
or one made up, is refused.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Callable
from typing import Any

from fastapi import Header, HTTPException, Request

TOKEN_HEADER = "X-Simulator-Token"


def settings_of(request: Request) -> Any:
    services = getattr(request.app.state, "services", None)
    if services is not None:
        return services.settings
    from bot.settings import get_settings

    return get_settings()


def is_loopback(host: str | None) -> bool:
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:  # no address at all ("testclient", a unix socket)
        return False
    return (getattr(address, "ipv4_mapped", None) or address).is_loopback


def loopback_only(request: Request) -> None:
    if not is_loopback(request.client.host if request.client else None):
        raise HTTPException(status_code=403, detail="the WeChat simulator answers only on this machine")


def token_required(token: str | None = None) -> Callable[..., None]:
    """A dependency: a loopback client with the simulator's token (`token`, or the settings' when None)."""

    def check(request: Request, x_simulator_token: str = Header(default="")) -> None:
        loopback_only(request)
        expected = token if token is not None else settings_of(request).simulator_token
        if not expected or not hmac.compare_digest(x_simulator_token.encode(), expected.encode()):
            raise HTTPException(status_code=401, detail="simulator token required")

    return check


class IssuedOpenids:
    """The registry of followers the simulator created: each openid it issues (28 characters like
    WeChat's) ends with a tag, an HMAC of the rest under the simulator's token, so it knows its own after a
    restart and in every process of this checkout (the page, `bot wechat simulate`) without storing any,
    and nobody without the token can add one."""

    TAG = 11

    def __init__(self, secret: str):
        self._key = secret.encode()

    def _tag(self, stem: str) -> str:
        mac = hmac.new(self._key, b"wechat-simulator-openid\n" + stem.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode()[:self.TAG]

    def issue(self) -> str:
        stem = "o" + secrets.token_urlsafe(12)[:16]
        return stem + self._tag(stem)

    def __contains__(self, openid: object) -> bool:
        if not isinstance(openid, str) or len(openid) != 28:
            return False
        stem, tag = openid[:-self.TAG], openid[-self.TAG:]
        return hmac.compare_digest(tag.encode(), self._tag(stem).encode())
