"""The WeChat simulator and the stand-in for WeChat's API, mounted on the app in development.

client.py plays WeChat's servers, fake_api.py stands in for api.weixin.qq.com, routes.py serves the demo page,
cli.py is `bot wechat simulate`; guard.py keeps all of it to loopback clients with the simulator's token.
"""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def mount(app: FastAPI, settings: Any) -> None:
    """/wechat-sim (the API stand-in) and /wechat/simulator (the page), with the page's own CSP.
    Called after bot.api.hardening.harden, whose page policies it joins."""
    from dev.wechat import fake_api, routes

    app.include_router(fake_api.make_router(settings.wechat_app_id, settings.wechat_app_secret))
    app.include_router(routes.router)
    app.state.page_policies.files["/wechat/simulator"] = routes.PAGE
