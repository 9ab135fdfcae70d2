"""`bot wechat simulate`: chat in the terminal as a follower of the official account.

Every line goes to {app_url}/wechat exactly as WeChat would send it (signed, AES-encrypted with --aes,
retried when late); the passive reply is printed, then the customer-service messages that the app sends
through WeChat's API (the stand-in at /wechat-sim) in the next few seconds. The app must be running.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from bot.channels.wechat.protocol import WeChatKeys
from dev.wechat.client import Delivery, WeChatSimulator
from dev.wechat.guard import TOKEN_HEADER, IssuedOpenids

HELP = """命令：直接打字 = 发文字消息
  /subscribe        关注公众号          /unsubscribe   取消关注
  /click KEY        点菜单（POLICY 政策查询 / APPLY 申请救助 / STATUS 进度查询 / HUMAN 人工服务）
  /voice 文本       发语音（文本 = 微信的语音识别结果；不写 = 没识别出来）
  /image  /video    发图片 / 视频       /help          看这段说明
  exit              退出"""
QUIET_S = 2.5     # after a passive reply: how long to wait for customer-service messages
LATE_S = 10.0     # after `success`: how long to wait for the answer to come as a customer-service message


def new_openid(settings: Any) -> str:
    """A follower the simulator created (the page and the routes know it as theirs too)."""
    return IssuedOpenids(settings.simulator_token).issue()


def sent_url(settings: Any) -> str | None:
    """Where the stand-in for WeChat's API lists what it delivered (None: the real WeChat, no such list)."""
    base = settings.wechat_api_url.rstrip("/")
    if "api.weixin.qq.com" in base:
        return None
    return f"{base}/sent" if base.endswith("/wechat-sim") else f"{base}/wechat-sim/sent"


class Inbox:
    """Customer-service messages for one follower, each shown once."""

    def __init__(self, url: str | None, openid: str, token: str = ""):
        self.url, self.openid = url, openid
        self.headers = {TOKEN_HEADER: token}
        self.seen: set[tuple[Any, Any]] = set()
        self.working = url is not None

    def fetch(self) -> list[str]:
        if not self.working:
            return []
        try:
            response = httpx.get(self.url, params={"touser": self.openid}, headers=self.headers, timeout=3,
                                 trust_env=False)
            rows = response.json() if response.status_code == 200 else []
        except (httpx.HTTPError, ValueError):
            return []
        new = []
        for row in rows:
            mark = (row.get("id"), row.get("at"))
            if mark not in self.seen:
                self.seen.add(mark)
                new.append(str(row.get("content", "")))
        return new

    def wait(self, quiet_s: float, until_one_s: float = 0.0) -> list[str]:
        """Poll for `until_one_s` until something arrives, then until nothing new came for `quiet_s`."""
        got: list[str] = []
        started = last = time.monotonic()
        while self.working:
            fresh = self.fetch()
            now = time.monotonic()
            if fresh:
                got += fresh
                last = now
            elif got or now - started >= until_one_s:
                if now - last >= quiet_s:
                    break
            time.sleep(0.4)
        return got


def _say(label: str, text: str) -> None:
    lines = text.splitlines() or [""]
    print(f"{label}{lines[0]}")
    for line in lines[1:]:
        print(" " * 4 + line)


def _report(delivery: Delivery) -> None:
    if delivery.attempts > 1:
        print(f"  （微信重发了 {delivery.attempts - 1} 次）")
    if delivery.status == 0:
        print(f"  ！公众号没有回答（{delivery.problem}）")
    elif delivery.status != 200:
        print(f"  ！公众号拒绝了这条消息：HTTP {delivery.status} {delivery.raw[:200]}")
    elif delivery.passive:
        _say("公众号：", delivery.passive)
    if delivery.problem and delivery.status == 200:
        print(f"  ！真实微信不会显示这条回复：{delivery.problem}")


async def _dispatch(sim: WeChatSimulator, openid: str, line: str) -> Delivery | None:
    command, _, rest = line.partition(" ")
    rest = rest.strip()
    if not line.startswith("/"):
        return await sim.send_text(openid, line)
    if command == "/subscribe":
        return await sim.send_event(openid, "subscribe")
    if command == "/unsubscribe":
        return await sim.send_event(openid, "unsubscribe")
    if command == "/click" and rest:
        return await sim.send_event(openid, "CLICK", rest.upper())
    if command == "/voice":
        return await sim.send_voice(openid, rest or None)
    if command == "/image":
        return await sim.send_image(openid)
    if command == "/video":
        return await sim.send_video(openid)
    return None


def simulate(settings: Any, encrypted: bool, openid: str | None) -> int:
    """An interactive chat against {settings.app_url}/wechat (the app must already be running)."""
    try:
        import readline  # noqa: F401  (line editing and history for input())
    except ImportError:
        pass
    openid = openid or new_openid(settings)
    gateway = f"{settings.app_url}/wechat"
    keys = WeChatKeys(settings.wechat_token, settings.wechat_app_id, settings.wechat_aes_key)
    inbox = Inbox(sent_url(settings), openid, settings.simulator_token)
    inbox.fetch()  # what was delivered before this session is not shown again
    print(f"微信模拟器 → {gateway}（{'安全模式，加密' if encrypted else '明文模式'}）  openid: {openid}")
    if not inbox.working:
        print("（这里连的是真实的微信接口，看不到客服消息）")
    print(HELP)
    with asyncio.Runner() as runner:
        sim = WeChatSimulator(gateway, keys, encrypted=encrypted)
        try:
            while True:
                for text in inbox.fetch():  # e.g. a staff reply that came while you were typing
                    _say("公众号（客服消息）：", text)
                try:
                    line = input("我：").strip()
                except (EOFError, KeyboardInterrupt):
                    print()
                    break
                if not line:
                    continue
                if line.lower() in ("exit", "quit", "/exit", "/quit"):
                    break
                if line == "/help":
                    print(HELP)
                    continue
                try:
                    delivery = runner.run(_dispatch(sim, openid, line))
                except KeyboardInterrupt:
                    print("\n（已取消）")
                    continue
                if delivery is None:
                    print("  ？不认识的命令。" + HELP.splitlines()[0] + "；/help 看全部命令")
                    continue
                _report(delivery)
                late = delivery.status == 200 and not delivery.passive and line != "/unsubscribe"
                if late and inbox.working:
                    print("  （公众号回了 success，等客服消息…按 Ctrl-C 跳过）")
                try:
                    for text in inbox.wait(QUIET_S, until_one_s=LATE_S if late else 0.0):
                        _say("公众号（客服消息）：", text)
                except KeyboardInterrupt:
                    print()
        finally:
            runner.run(sim.aclose())
    print("再见。")
    return 0
