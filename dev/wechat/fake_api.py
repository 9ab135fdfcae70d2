"""A stand-in for WeChat's HTTP API (api.weixin.qq.com), the true external border of the gateway.

Access tokens (valid 7200 s; a new one leaves the previous one valid 5 more minutes, as WeChat does),
customer-service messages and subscription messages (订阅通知, `/cgi-bin/message/subscribe/bizsend`; both
recorded, for the demo page and the tests), the menu, and failure injection:

    POST /wechat-sim/control {"fail_next": 3, "errcode": 45015}  the next 3 send calls fail with 45015
    POST /wechat-sim/control {"expire_tokens": true}            every issued token expires now (→ 42001)
    POST /wechat-sim/control {"reset": true}                    forget everything

In development the app mounts it at /wechat-sim (settings.wechat_api_url). Tests run it as its own process
(it outlives app restarts): `python -m dev.wechat.fake_api --port N --app-id .. --secret ..`;
there WeChat's paths are also served at the root (WECHAT_API_BASE=http://127.0.0.1:N works as well as
http://127.0.0.1:N/wechat-sim).

Only clients on this machine are answered; /sent, /stats and /control also need the simulator's token
(header X-Simulator-Token, settings.simulator_token or --token); WeChat's paths (/cgi-bin/*) keep WeChat's
access_token (guard.py).
"""
from __future__ import annotations

import argparse
import json
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request

from dev.wechat.guard import loopback_only, token_required

TOKEN_TTL_S = 7200
OVERLAP_S = 300                 # the previous token stays valid this long after a new one is issued
TEXT_LIMIT_BYTES = 2048         # a customer-service text longer than this is refused (45002)
ERRORS = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40008: "invalid message type",
    40013: "invalid appid",
    40016: "invalid button size",
    40017: "invalid button type",
    40018: "invalid button name size",
    40019: "invalid button key size",
    40023: "invalid sub button size",
    40025: "invalid sub button name size",
    40125: "invalid appsecret",
    41001: "access_token missing",
    42001: "access_token expired",
    44002: "empty post data",
    44003: "empty news data",
    44004: "empty content",
    45002: "content size out of limit",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit",
    46003: "menu no exist",
    47001: "data format error",
    47003: "argument invalid",
}
EMPTY = object()     # a POST without a body (44002)
NOT_JSON = object()  # a body that is not JSON (47001)
BUTTON_TYPES = {"click", "view", "miniprogram", "scancode_push", "scancode_waitmsg", "pic_sysphoto",
                "pic_photo_or_album", "pic_weixin", "location_select", "media_id", "view_limited", "article_id",
                "article_view_limited"}
MSG_TYPES = {"text", "image", "voice", "video", "music", "news", "mpnews", "mpnewsarticle", "msgmenu",
             "wxcard", "miniprogrampage"}


def error(errcode: int, errmsg: str | None = None) -> dict[str, Any]:
    # WeChat appends a request id to every error message
    return {"errcode": errcode, "errmsg": f"{errmsg or ERRORS.get(errcode, 'error')} rid: {secrets.token_hex(12)}"}


class FakeWeChat:
    """WeChat's API state, in memory; every method is safe to call from several threads."""

    def __init__(self, app_id: str, secret: str, clock: Callable[[], float] = time.time):
        self.app_id = app_id
        self.secret = secret
        self.clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.tokens: dict[str, float] = {}        # token → expires at (clock seconds)
            self.superseded: dict[str, float] = {}    # token → end of its grace period after a newer one
            self.sent: list[dict[str, Any]] = []       # {id, touser, content, at}
            self.menu: dict[str, Any] | None = None
            self.fail_next = 0
            self.fail_errcode = -1
            self.counts = {"token_fetches": 0, "token_refusals": 0, "send_calls": 0, "sends": 0,
                           "send_failures": 0, "menu_creates": 0}

    # -- access token --------------------------------------------------------------------------------
    def issue_token(self, grant_type: str | None, appid: str | None, secret: str | None) -> dict[str, Any]:
        with self._lock:
            if grant_type != "client_credential":
                self.counts["token_refusals"] += 1
                return error(40002)
            if appid != self.app_id:
                self.counts["token_refusals"] += 1
                return error(40013)
            if not secrets.compare_digest((secret or "").encode(), self.secret.encode()):
                self.counts["token_refusals"] += 1
                return error(40125)
            now = self.clock()
            for old in self.tokens:  # the tokens issued before stay valid a few more minutes
                self.superseded.setdefault(old, now + OVERLAP_S)
            token = secrets.token_urlsafe(96)
            self.tokens[token] = now + TOKEN_TTL_S
            self.counts["token_fetches"] += 1
            return {"access_token": token, "expires_in": TOKEN_TTL_S}

    def _check_token(self, token: str | None) -> dict[str, Any] | None:
        """None if the token is good; else WeChat's error. Call with the lock held."""
        if not token:
            return error(41001)
        expires = self.tokens.get(token)
        now = self.clock()
        if expires is None or self.superseded.get(token, float("inf")) <= now:
            return error(40001)  # never issued, or replaced by a newer token more than 5 minutes ago
        if expires <= now:
            return error(42001)
        return None

    def expire_tokens(self) -> None:
        with self._lock:
            now = self.clock()
            self.tokens = {token: min(expires, now) for token, expires in self.tokens.items()}

    # -- customer-service messages --------------------------------------------------------------------
    def custom_send(self, token: str | None, payload: Any) -> dict[str, Any]:
        with self._lock:
            self.counts["send_calls"] += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                self.counts["send_failures"] += 1
                return error(self.fail_errcode)
            refused = self._check_token(token) or self._check_message(payload)
            if refused:
                self.counts["send_failures"] += 1
                return refused
            msgtype = payload["msgtype"]
            content = payload["text"]["content"] if msgtype == "text" else f"[{msgtype}]"
            self.sent.append({"id": len(self.sent) + 1, "touser": payload["touser"], "content": content,
                              "at": round(self.clock(), 3)})
            self.counts["sends"] += 1
            return {"errcode": 0, "errmsg": "ok"}

    @staticmethod
    def _check_message(payload: Any) -> dict[str, Any] | None:
        if payload is EMPTY:
            return error(44002)
        if not isinstance(payload, dict):
            return error(47001)
        touser = payload.get("touser")
        if not isinstance(touser, str) or not touser:
            return error(40003)
        msgtype = payload.get("msgtype")
        if msgtype not in MSG_TYPES or not isinstance(payload.get(msgtype), dict):
            return error(40008)
        if msgtype == "text":
            content = payload["text"].get("content")
            if not isinstance(content, str) or not content:
                return error(44004)
            if len(content.encode("utf-8")) > TEXT_LIMIT_BYTES:
                return error(45002)
        return None

    def subscribe_send(self, token: str | None, payload: Any) -> dict[str, Any]:
        """A subscription message (订阅通知): a template and its fields, no 48-hour window. Recorded like a
        customer-service text, its fields joined ("[订阅] 工单号 状态 说明"), with msgtype "subscribe"."""
        with self._lock:
            self.counts["send_calls"] += 1
            refused = self._check_token(token)
            if refused is None and not (isinstance(payload, dict) and isinstance(payload.get("touser"), str)
                                        and payload["touser"] and isinstance(payload.get("template_id"), str)
                                        and isinstance(payload.get("data"), dict) and payload["data"]):
                refused = error(47003)
            if refused is None and not all(isinstance(v, dict) and isinstance(v.get("value"), str)
                                           for v in payload["data"].values()):
                refused = error(47003)
            if refused:
                self.counts["send_failures"] += 1
                return refused
            values = " ".join(v["value"] for v in payload["data"].values())
            self.sent.append({"id": len(self.sent) + 1, "touser": payload["touser"], "content": f"[订阅] {values}",
                              "msgtype": "subscribe", "at": round(self.clock(), 3)})
            self.counts["sends"] += 1
            return {"errcode": 0, "errmsg": "ok"}

    def inject(self, fail_next: int, errcode: int = -1) -> None:
        with self._lock:
            self.fail_next = max(0, int(fail_next))
            self.fail_errcode = int(errcode)

    def delivered(self, touser: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(row) for row in self.sent if touser is None or row["touser"] == touser]

    # -- menu ----------------------------------------------------------------------------------------
    def create_menu(self, token: str | None, payload: Any) -> dict[str, Any]:
        with self._lock:
            refused = self._check_token(token) or self._check_menu(payload)
            if refused:
                return refused
            self.menu = payload
            self.counts["menu_creates"] += 1
            return {"errcode": 0, "errmsg": "ok"}

    @staticmethod
    def _check_menu(payload: Any) -> dict[str, Any] | None:
        if payload is EMPTY:
            return error(44002)
        if not isinstance(payload, dict):
            return error(47001)
        buttons = payload.get("button")
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
            return error(40016)

        def leaf(item: dict[str, Any], name_limit: int, name_error: int) -> dict[str, Any] | None:
            if len(str(item.get("name", "")).encode("utf-8")) not in range(1, name_limit + 1):
                return error(name_error)
            if item.get("type") not in BUTTON_TYPES:
                return error(40017)
            if item["type"] == "click" and not 1 <= len(str(item.get("key", "")).encode("utf-8")) <= 128:
                return error(40019)
            return None

        for button in buttons:
            if not isinstance(button, dict):
                return error(47001)
            subs = button.get("sub_button")
            if subs:
                if not isinstance(subs, list) or len(subs) > 5:
                    return error(40023)
                if not 1 <= len(str(button.get("name", "")).encode("utf-8")) <= 16:
                    return error(40018)
                for sub in subs:
                    refused = leaf(sub, 60, 40025) if isinstance(sub, dict) else error(47001)
                    if refused:
                        return refused
            elif refused := leaf(button, 16, 40018):
                return refused
        return None

    def current_menu(self, token: str | None) -> dict[str, Any]:
        """get_current_selfmenu_info: the menu in its "selfmenu" form (sub-buttons under "list")."""
        with self._lock:
            refused = self._check_token(token)
            if refused:
                return refused
            if self.menu is None:
                return {"is_menu_open": 0, "selfmenu_info": {"button": []}}

            def shown(item: dict[str, Any]) -> dict[str, Any]:
                if item.get("sub_button"):
                    return {"name": item["name"], "sub_button": {"list": [shown(s) for s in item["sub_button"]]}}
                return dict(item)
            return {"is_menu_open": 1, "selfmenu_info": {"button": [shown(b) for b in self.menu["button"]]}}

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {**self.counts, "tokens_valid": sum(self._check_token(t) is None for t in self.tokens),
                    "fail_next": self.fail_next, "menu_set": self.menu is not None}


async def _json(request: Request) -> Any:
    body = await request.body()
    if not body.strip():
        return EMPTY
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return NOT_JSON


def routes(fake: FakeWeChat, token: str | None = None) -> APIRouter:
    """The endpoints, without a prefix. token: the simulator's (None: the settings' at each request)."""
    router = APIRouter(tags=["wechat-sim"], dependencies=[Depends(loopback_only)])
    simulator_only = [Depends(token_required(token))]

    @router.get("/cgi-bin/token")
    def token(grant_type: str | None = None, appid: str | None = None, secret: str | None = None) -> dict:
        return fake.issue_token(grant_type, appid, secret)

    @router.post("/cgi-bin/message/custom/send")
    async def custom_send(request: Request, access_token: str | None = None) -> dict:
        return fake.custom_send(access_token, await _json(request))

    @router.post("/cgi-bin/message/subscribe/bizsend")
    async def subscribe_send(request: Request, access_token: str | None = None) -> dict:
        return fake.subscribe_send(access_token, await _json(request))

    @router.post("/cgi-bin/menu/create")
    async def menu_create(request: Request, access_token: str | None = None) -> dict:
        return fake.create_menu(access_token, await _json(request))

    @router.get("/cgi-bin/get_current_selfmenu_info")
    def menu_info(access_token: str | None = None) -> dict:
        return fake.current_menu(access_token)

    @router.get("/sent", dependencies=simulator_only)
    def sent(touser: str | None = None) -> list[dict]:
        return fake.delivered(touser)

    @router.get("/stats", dependencies=simulator_only)
    def stats() -> dict:
        return fake.stats()

    @router.post("/control", dependencies=simulator_only)
    async def control(request: Request) -> dict:
        payload = await _json(request)
        if not isinstance(payload, dict):
            return error(47001)
        if payload.get("reset"):
            fake.reset()
        if payload.get("expire_tokens"):
            fake.expire_tokens()
        if "fail_next" in payload:
            try:
                fake.inject(int(payload["fail_next"]), int(payload.get("errcode", -1)))
            except (TypeError, ValueError):
                return error(47001)
        return {"errcode": 0, "errmsg": "ok", "stats": fake.stats()}

    return router


def make_router(app_id: str, secret: str, fake: FakeWeChat | None = None, token: str | None = None) -> APIRouter:
    """The stand-in at /wechat-sim (mounted by the app outside production); its state is `router.fake`."""
    fake = fake or FakeWeChat(app_id, secret)
    router = APIRouter(prefix="/wechat-sim")
    router.include_router(routes(fake, token))
    router.fake = fake  # type: ignore[attr-defined]
    return router


def make_app(app_id: str | None = None, secret: str | None = None, fake: FakeWeChat | None = None,
             token: str | None = None) -> FastAPI:
    """The stand-in as its own app: at /wechat-sim and, like api.weixin.qq.com, at the root.
    Without app_id / secret it accepts the configured ones (settings.wechat_app_id / wechat_app_secret),
    without token the configured simulator token."""
    if fake is None:
        if app_id is None or secret is None:
            from bot.settings import get_settings

            settings = get_settings()
            app_id = settings.wechat_app_id if app_id is None else app_id
            secret = settings.wechat_app_secret if secret is None else secret
        fake = FakeWeChat(app_id, secret)
    app = FastAPI(title="WeChat API stand-in", docs_url=None, redoc_url=None, openapi_url=None)
    inner = routes(fake, token)
    app.include_router(inner, prefix="/wechat-sim")
    app.include_router(inner)
    app.state.fake = fake
    return app


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m dev.wechat.fake_api", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--app-id", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--token", help="the simulator token for /sent, /stats, /control (default: the settings')")
    args = parser.parse_args(argv)
    uvicorn.run(make_app(args.app_id, args.secret, token=args.token), host="127.0.0.1", port=args.port,
                log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
