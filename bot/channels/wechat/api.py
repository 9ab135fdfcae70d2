"""WeChat's HTTP API as the gateway needs it: the shared access token, customer-service messages, the menu.

The token lives in the database (wechat_tokens): every replica reads the same one, and a refresh happens
under a row lock, so replicas never invalidate each other's tokens by refreshing at the same time.
"""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db.base import utcnow
from bot.db.session import Database
from bot.channels.wechat.models import WechatToken

logger = logging.getLogger(__name__)
REFRESH_MARGIN = timedelta(minutes=5)
TOKEN_ERRORS = {40001, 40014, 42001}       # invalid or expired access token: refresh once and retry
WINDOW_CLOSED = 45015                       # the resident has not written for 48 hours


class WeChatApiError(Exception):
    def __init__(self, errcode: int, errmsg: str):
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass
class WeChatApi:
    base_url: str
    app_id: str
    app_secret: str
    db: Database  # where the access token is kept, shared by the app's replicas
    timeout_s: float = 5.0

    def _fresh(self, row: WechatToken | None) -> str | None:
        if row is not None and row.token and row.expires_at and row.expires_at - REFRESH_MARGIN > utcnow():
            return row.token
        return None

    def _refresh(self, stale: str | None) -> str:
        """Fetch a new token under a lock on the token row; a token another replica just fetched is reused."""
        with self.db.scope() as session:
            if session.get(WechatToken, self.app_id) is None:
                try:
                    with session.begin_nested():  # another replica may create the row at the same moment
                        session.add(WechatToken(app_id=self.app_id))
                except IntegrityError:
                    pass
            row = session.scalars(select(WechatToken).where(WechatToken.app_id == self.app_id)
                                  .with_for_update()).one()
            current = self._fresh(row)
            if current and current != stale:
                return current
            response = httpx.get(f"{self.base_url}/cgi-bin/token", timeout=self.timeout_s, params={
                "grant_type": "client_credential", "appid": self.app_id, "secret": self.app_secret})
            body = response.json()
            if "access_token" not in body:
                raise WeChatApiError(int(body.get("errcode", -1)), str(body.get("errmsg", "no token")))
            row.token = body["access_token"]
            row.expires_at = utcnow() + timedelta(seconds=int(body.get("expires_in", 7200)))
            logger.info("wechat access token refreshed (valid %ss)", body.get("expires_in"))
            return row.token

    async def token(self, stale: str | None = None) -> str:
        with self.db.scope() as session:
            current = self._fresh(session.get(WechatToken, self.app_id))
        if current and current != stale:
            return current
        return await asyncio.to_thread(self._refresh, stale)

    async def _call(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        token = await self.token()
        for attempt in (1, 2):
            async with httpx.AsyncClient(timeout=self.timeout_s) as client:
                # WeChat wants UTF-8 characters, not \u escapes
                response = await client.post(f"{self.base_url}{path}", params={"access_token": token},
                                             content=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                                             headers={"Content-Type": "application/json; charset=utf-8"})
            body = response.json()
            errcode = int(body.get("errcode", 0))
            if errcode == 0:
                return body
            if errcode in TOKEN_ERRORS and attempt == 1:
                token = await self.token(stale=token)
                continue
            raise WeChatApiError(errcode, str(body.get("errmsg", "")))
        raise AssertionError("unreachable")

    async def send_text(self, openid: str, content: str) -> None:
        await self._call("/cgi-bin/message/custom/send",
                         {"touser": openid, "msgtype": "text", "text": {"content": content}})

    async def send_subscribe(self, openid: str, template_id: str, data: dict[str, str]) -> None:
        """A subscription message (订阅通知): no 48-hour window, but only after the resident agreed to it."""
        await self._call("/cgi-bin/message/subscribe/bizsend",
                         {"touser": openid, "template_id": template_id,
                          "data": {key: {"value": value} for key, value in data.items()}})

    async def create_menu(self, menu: dict[str, Any]) -> None:
        await self._call("/cgi-bin/menu/create", menu)
