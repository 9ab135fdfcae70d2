"""Tell the resident that their referral moved: every status change reaches them on the channel they used.

- WeChat (`wx-<openid>`): a customer-service message through the outbox while WeChat's 48-hour window is open
  (the resident wrote in the last 48 hours), else a subscription message (订阅通知, the outbox's `subscribe`
  rows; no window, but WeChat only delivers it to a resident who agreed to such messages).
- Web chat (`web-…`): a notice said first at the resident's next turn (bot.channels.notices).
- Anything else (12345 by phone, a referral opened by staff): no online channel; the event says so and the
  clerk phones.

The words come from the knowledge base: the next step of each status (policies/referral-notices.yml, passed in
from the app's checked knowledge base; the bundled file's sentences where none is), the office and the
materials the clerk names: "请带上…到…".
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.channels import notices
from bot.channels.wechat.models import WechatFollower, WechatOutbox
from bot.channels.wechat.outbox import SUBSCRIBE, WINDOW
from bot.db.base import utcnow
from bot.intake.models import Referral
from bot.intake.workflow import DEPARTMENTS, NEXT_STEP, STATUSES
from bot.privacy.mask import mask
from bot.channels.sender import WEBCHAT, WECHAT, Sender

# The subscription template (订阅通知 "办理进度提醒": 工单号, 办理状态, 温馨提示); the bureau's own id goes here
# once its template is chosen on mp.weixin.qq.com.
SUBSCRIBE_TEMPLATE = "referral-status-dev"
THING_LIMIT = 20  # a template's thing field holds at most 20 characters


@dataclass(frozen=True)
class Delivery:
    channel: str   # wechat_cs | wechat_subscribe | web_notice | none
    label: str     # for the event list


WECHAT_CS = Delivery("wechat_cs", "已通过微信客服消息告知居民")
WECHAT_SUBSCRIBE = Delivery("wechat_subscribe", "居民超过48小时没有留言，已发微信订阅通知")
WEB_NOTICE = Delivery("web_notice", "居民下次打开网页对话时会看到")
NO_CHANNEL = Delivery("none", "没有线上渠道，请电话告知居民")


def office_line(referral: Referral) -> str:
    """Where to go: the township's office, with its address and phone where the bureau has filled them in."""
    township = referral.township
    if township is None:
        return "乡镇（街道）社会救助窗口"
    where = township.office_name + (f"（{township.office_address}）" if township.office_address else "")
    return where + (f"，电话{township.office_phone}" if township.office_phone else "")


def status_text(referral: Referral, reason: str = "", materials: list[str] | None = None,
                next_steps: Mapping[str, str] = NEXT_STEP) -> str:
    """What the resident reads: case, new status, the next step; for missing materials what to bring, where."""
    department = DEPARTMENTS.get(referral.department or "", "相关部门")
    lines = [f"您的救助转介单{referral.case_number}有新进展：{STATUSES[referral.status]}。",
             next_steps[referral.status].format(department=department)]
    if referral.status == "needs_materials":
        bring = "；".join(materials) if materials else "工作人员告诉您的材料"
        lines.append(f"请带上{bring}，到{office_line(referral)}。")
    elif referral.status in ("accepted", "home_visit", "pending"):
        lines.append(f"有事可以找{office_line(referral)}。")
    if reason and referral.status in ("rejected", "transferred", "needs_materials"):
        lines.append(f"说明：{mask(reason)[:200]}")
    return "\n".join(lines)


def window_open(session: Session, openid: str) -> bool:
    follower = session.get(WechatFollower, openid)
    return follower is not None and utcnow() - follower.last_inbound_at < WINDOW


def send(session: Session, referral: Referral, text: str) -> Delivery:
    """Queue `text` for the referral's resident in the caller's transaction; returns how it goes."""
    sender = Sender.parse(referral.sender or "")
    now = utcnow()
    if sender.channel == WECHAT:
        openid = sender.id
        if window_open(session, openid):
            session.add(WechatOutbox(openid=openid, content=text, source="referral", next_attempt_at=now,
                                     created_at=now))
            return WECHAT_CS
        data = {"character_string1": referral.case_number, "phrase2": STATUSES[referral.status][:5],
                "thing3": "详情请在公众号里回复“查进度”"[:THING_LIMIT]}
        session.add(WechatOutbox(openid=openid, content=json.dumps({"template_id": SUBSCRIBE_TEMPLATE, "data": data},
                                                                   ensure_ascii=False),
                                 source=SUBSCRIBE, next_attempt_at=now, created_at=now))
        return WECHAT_SUBSCRIBE
    if sender.channel == WEBCHAT:
        notices.leave(session, sender.conversation_id, text)
        return WEB_NOTICE
    return NO_CHANNEL
