"""The handoff inbox (转人工, /console/handoffs): conversations residents handed to a person, on WeChat and
the web chat, oldest first with how long each has waited; one conversation's masked transcript (what the
resident said, what staff replied, staff's private notes) and the answers its form has so far; canned
replies drawn from the knowledge base.

A conversation is named in the console by `key(sender)`, a hash: WeChat openids and web sender ids stay out
of addresses, the browser history and the audit log. It can be opened only while its handoff is open (a
conversation back with the bot is no longer staff's to read, like `GET /api/handoffs/{sender}/messages`).
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.staff import handoff
from bot.channels.inbox import InboundMessage
from bot.channels.wechat import outbox
from bot.channels.wechat.models import WechatFollower
from bot.db.base import utcnow
from bot.forms.service import FORMS
from bot.knowledge.answers import aspect_answer, source_line, summary_answer
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import ASPECTS, SourceRef
from bot.privacy.mask import mask
from bot.safety.net import SafetyNet
from bot.channels.sender import WEBCHAT, WECHAT, Sender

logger = logging.getLogger(__name__)

CHANNELS = {WECHAT: "微信", WEBCHAT: "网页聊天"}  # by Sender.channel
ASPECT_TITLES = {"eligibility": "条件", "materials": "材料", "process": "怎么办", "amount": "能领多少"}
TRANSCRIPT_LIMIT = 100  # the resident's latest messages shown; older ones stay in the inbox table
REPLY_MAX, NOTE_MAX = 600, 1000  # characters (a WeChat customer-service message stays well inside its limit)


def wechat_window_closed(session: Session, sender: str, now: datetime | None = None) -> bool:
    """WeChat takes customer-service messages only within 48 hours of the resident's last message: past
    that, a reply would expire in the outbox unsent (the page says so before anyone writes one)."""
    openid = Sender.parse(sender).openid
    if openid is None:
        return False
    follower = session.get(WechatFollower, openid)
    return follower is None or (now or utcnow()) - aware(follower.last_inbound_at) >= outbox.WINDOW


def key(sender: str) -> str:
    return hashlib.sha256(b"handoff:" + sender.encode()).hexdigest()[:16]


def channel_of(sender: str) -> str:
    return CHANNELS.get(Sender.parse(sender).channel, "其他")


def subject(sender: str) -> str:
    """How the audit log names the conversation."""
    return f"转人工会话 {key(sender)}"


def find(session: Session, conversation: str) -> handoff.Handoff | None:
    """The open handoff whose key is `conversation` (few are open at once: a scan is cheap)."""
    return next((h for h in handoff.waiting(session) if key(h.sender) == conversation), None)


def waited(since: datetime, now: datetime | None = None) -> str:
    minutes = max(0, int(((now or utcnow()) - since).total_seconds() // 60))
    if minutes < 1:
        return "不到 1 分钟"
    if minutes < 60:
        return f"{minutes} 分钟"
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} 小时 {rest} 分钟" if rest else f"{hours} 小时"
    days, hours = divmod(hours, 24)
    return f"{days} 天 {hours} 小时"


@dataclass(frozen=True)
class Waiting:
    key: str
    channel: str
    since: datetime
    waited: str
    owner: str | None
    claimed_at: datetime | None
    messages: int    # what the resident sent since the handoff began
    replies: int     # what staff sent back
    danger: bool     # something they sent since has the safety net's words: look first


def _danger(net: SafetyNet, texts: list[str]) -> bool:
    return any(net.match(text) is not None for text in texts)


def inbox(session: Session, net: SafetyNet, now: datetime | None = None) -> list[Waiting]:
    """Every open handoff, oldest first. No message text here: opening one is the recorded view."""
    rows = []
    for h in handoff.waiting(session):
        since = h.since
        texts = session.scalars(select(InboundMessage.text).where(InboundMessage.sender == h.sender,
                                                                  InboundMessage.created_at >= since)).all()
        replies = session.scalar(select(func.count()).select_from(handoff.HandoffMessage).where(
            handoff.HandoffMessage.sender == h.sender, handoff.HandoffMessage.kind == handoff.REPLY,
            handoff.HandoffMessage.created_at >= since)) or 0
        rows.append(Waiting(key(h.sender), channel_of(h.sender), since, waited(since, now), h.staff, h.claimed_at,
                            len(texts), replies, _danger(net, list(texts))))
    return rows


def aware(at: datetime) -> datetime:
    """Times of plain DateTime columns come back naive from SQLite; they are UTC."""
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at


@dataclass(frozen=True)
class Line:
    at: datetime
    who: str      # resident | staff | note | back
    author: str   # shown above the text
    text: str     # masked


def bot_lines(events: list[Any]) -> list[Line]:
    """What the bot said, from the engine's tracker events (masked at write, masked again here)."""
    lines = []
    for event in events[-500:]:
        if (isinstance(event, dict) and event.get("event") == "bot" and isinstance(event.get("text"), str)
                and isinstance(event.get("timestamp"), (int, float))):
            lines.append(Line(datetime.fromtimestamp(event["timestamp"], timezone.utc), "bot", "小助手",
                              mask(event["text"])))
    return lines


def transcript(session: Session, sender: str, said_by_bot: list[Line] = ()) -> list[Line]:
    """The resident's latest messages, and what the bot (`said_by_bot`, from the engine) and staff said in
    that time, in order, masked."""
    said = session.scalars(select(InboundMessage).where(InboundMessage.sender == sender)
                           .order_by(InboundMessage.id.desc()).limit(TRANSCRIPT_LIMIT)).all()
    start = min((aware(m.created_at) for m in said), default=None)
    lines = [Line(aware(m.created_at), "resident", "居民", mask(m.text)) for m in said]
    lines += [line for line in said_by_bot if start is None or line.at >= start]
    for w in handoff.written(session, sender, limit=500):
        if start is not None and aware(w.created_at) < start:
            continue
        author = {handoff.REPLY: f"{w.staff or '工作人员'} 回复", handoff.NOTE: f"{w.staff or ''} 备注（居民看不到）",
                  handoff.BACK: "交回机器人"}.get(w.kind, w.kind)
        lines.append(Line(aware(w.created_at), {handoff.REPLY: "staff", handoff.NOTE: "note"}.get(w.kind, "back"), author,
                          mask(w.text)))
    return sorted(lines, key=lambda line: line.at)


def form_answers(slots: dict[str, Any], kb: KnowledgeBase, standard: Any) -> list[tuple[str, str]]:
    """(label, answer) of every form question answered in the tracker's slots, masked; a slot of an odd
    shape is left out rather than shown wrong."""
    state = {**slots, "_kb": kb, "_std": standard}
    found: list[tuple[str, str]] = []
    for form in FORMS.values():
        for question in form.questions:
            try:
                if question.summarised and slots.get(question.slot) is not None and question.when(state):
                    found.append((question.label, mask(question.show(slots[question.slot]))))
            except Exception:  # noqa: BLE001 - a slot another form shaped differently: not an answer here
                logger.debug("slot %s not shown", question.slot)
    programme = slots.get("programme")
    if isinstance(programme, str) and programme in kb.programmes:
        found.insert(0, ("问的项目", kb.programme(programme).name))
    return found


@dataclass(frozen=True)
class Canned:
    key: str
    group: str
    title: str
    text: str


def canned_replies(kb: KnowledgeBase) -> list[Canned]:
    """Replies staff can start from: where to apply and the hotlines, residents' rights, and each
    programme's summary and aspects, as the bot itself words them (with their source lines)."""
    contacts = kb.contacts
    hotlines = "；".join(f"{h['number']}（{h['label']}）" for h in contacts.get("hotlines", []))
    replies = [
        Canned("where", "常用", "去哪里办", contacts["township_fallback"]),
        Canned("hotlines", "常用", "热线电话", f"着急的话可以打：{hotlines}。"),
    ]
    rights = contacts.get("rights") or []
    if rights:
        text = "\n".join(f"{n}. {r['text']}" for n, r in enumerate(rights, 1))
        refs = [SourceRef.model_validate(ref) for r in rights for ref in r.get("sources") or []]
        replies.append(Canned("rights", "常用", "您的权利", text + ("\n" + source_line(refs, kb) if refs else "")))
    for name in kb.programme_order:
        programme = kb.programme(name)
        replies.append(Canned(f"{name}.summary", programme.name, f"{programme.short_name}·简介",
                              "\n".join(summary_answer(kb, name, limit=10_000))))
        for aspect in ASPECTS:
            if programme.aspects.get(aspect):
                replies.append(Canned(f"{name}.{aspect}", programme.name,
                                      f"{programme.short_name}·{ASPECT_TITLES[aspect]}",
                                      "\n".join(aspect_answer(kb, name, aspect, limit=10_000))))
    return replies
