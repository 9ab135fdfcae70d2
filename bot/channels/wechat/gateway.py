"""The WeChat gateway: each message handled exactly once, answered inside WeChat's 5-second deadline.

A message is claimed by its key in the database (WeChat's retries, on any replica, find the claim).
The answer is given passively when the conversation turn finishes within the budget (about 4 s);
otherwise WeChat gets `success` at once and the answer follows through the customer-service API
(the outbox). What does not fit one passive reply (2,048 bytes) also goes through the outbox.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from wechatpy import events, messages
from wechatpy.messages import BaseMessage

from bot.db.base import utcnow
from bot.intake import service as intake
from bot.gazetteer.matching import match_places
from bot.settings import Settings
from bot.channels.wechat import outbox as outbox_module
from bot.channels.wechat.models import WechatFollower, WechatInbound
from bot.channels.wechat.outbox import Outbox
from bot.channels.sender import Sender
from bot.channels.wechat.protocol import (
    ProtocolError, Query, WeChatKeys, blocks, fit_passive, is_event, open_body, parse, reply_xml, verify,
)

logger = logging.getLogger(__name__)

SUCCESS = "success"  # WeChat's "received, no passive reply"
VOICE_NO_TEXT = "我听不了语音。请打字说说您想问的事；不方便打字的话，回复“人工”或者打12345。"
NO_MEDIA = "我看不了图片和视频。请用文字说说您想问的事，比如“低保怎么申请”。"
LINK = "收到链接了。我只能回答社会救助的事，请用文字说说您想问什么。"
UNKNOWN = "这种消息我暂时看不懂。请用文字说说您想问的事。"
LOST = "不好意思，刚才系统出了点问题，您发的消息没能回复上。请再发一次；着急的话请打12345。"
TAKEOVER_AFTER = timedelta(seconds=3)  # beyond the passive budget: the first delivery's replica has died
STALE_AFTER = timedelta(seconds=60)    # far beyond the engine timeout: the turn will never finish
LOCATION = "收到您的位置。{where}想问救助的事，请直接打字说。"


@dataclass
class Incoming:
    key: str          # the exactly-once key
    openid: str
    kind: str


def incoming(message: BaseMessage) -> Incoming:
    """The exactly-once key: a MsgId is only unique per follower, so messages are keyed by both
    (`msg:{FromUserName}:{MsgId}`; rows written before this kept `msg:{MsgId}`, which no new key matches)."""
    if is_event(message):
        event = getattr(message, "event", None) or str(message._data.get("Event") or "event").lower()
        # WeChat's advice for events is FromUserName + CreateTime; the button's key tells two menu taps
        # in the same second apart (a retry repeats the key too)
        button = getattr(message, "key", None) or ""
        return Incoming(f"{message.source}:{message.time}:{event}:{button}"[:120], message.source,
                        f"event:{event}"[:40])
    return Incoming(f"msg:{message.source}:{message.id}", message.source, message.type[:40])


class Gateway:
    def __init__(self, settings: Settings, services: Any, outbox: Outbox, click_intents: dict[str, str]):
        # services: bot.services.Services (the conversation lives there; importing it here would be circular)
        self.settings = settings
        self.services = services
        self.outbox = outbox
        self.click_intents = click_intents
        self.keys = WeChatKeys(settings.wechat_token, settings.wechat_app_id, settings.wechat_aes_key)
        # the signed queries seen: the app's shared store (Redis when REDIS_URL is set)
        self.store = services.store
        self._late: set[asyncio.Task] = set()

    # -- protocol ---------------------------------------------------------------------------------
    def verify_url(self, query: Query) -> str:
        verify(self.keys, query, self.settings.wechat_replay_window_s)
        return query.echostr or ""

    async def receive(self, query: Query, body: bytes) -> str:
        verify(self.keys, query, self.settings.wechat_replay_window_s)
        if len(body) > self.settings.wechat_max_body_bytes:
            raise ProtocolError(413, f"body of {len(body)} bytes")
        if self.settings.wechat_require_aes and not query.encrypted:
            raise ProtocolError(400, "plaintext message refused (WECHAT_REQUIRE_AES)")
        xml = open_body(self.keys, query, body)
        await asyncio.to_thread(self._first_use, query, xml)
        message = parse(xml)
        seen = incoming(message)
        # database work runs in threads: the event loop must never wait on a database lock
        first = await asyncio.to_thread(self._claim, seen)
        if first is not None:  # WeChat retried (our answer was lost or late): never answer twice
            logger.info("wechat retry of %s (status %s): not processed again", seen.kind, first[0])
            return reply_xml(self.keys, query, message, first[1]) if first[1] else SUCCESS
        await asyncio.to_thread(self._touch_follower, seen.openid, message)
        turn = asyncio.ensure_future(self._answer(message))
        try:
            answers = await asyncio.wait_for(asyncio.shield(turn), self.settings.wechat_passive_budget_s)
        except asyncio.TimeoutError:
            await asyncio.to_thread(self._mark, seen.key, "async")
            self._deliver_late(turn, seen)
            logger.info("wechat %s: over the passive budget, the answer follows via the outbox", seen.kind)
            return SUCCESS
        except Exception:  # a bug must not leave the resident without an answer (WeChat will not ask again)
            logger.exception("wechat %s: the turn failed", seen.kind)
            answers = [self.services.conversation.engine_down_text]
        if not answers:
            await asyncio.to_thread(self._mark, seen.key, "passive")
            return SUCCESS
        passive, rest = fit_passive(answers)
        if rest:
            await self._enqueue(seen.openid, rest, "bot")
        await asyncio.to_thread(self._mark, seen.key, "passive", passive)
        return reply_xml(self.keys, query, message, passive)

    # -- exactly once -----------------------------------------------------------------------------
    def _first_use(self, query: Query, xml: str) -> None:
        """A signed query string is good for one delivery. The plaintext signature covers the timestamp and
        nonce, not the body: whoever saw a request could send another body (another openid, "转人工") under
        the same query within the replay window. WeChat's own retry of the same delivery repeats the body
        too: it goes on to the exactly-once claim (and gets the first answer). Both marks live in the
        shared store (Redis across app instances) for as long as the timestamp is acceptable (up to a
        window ahead of now, a window behind): the mark of this query + body first (a retry finds it,
        whichever instance it reaches), then the query's own (a different body finds that one taken)."""
        signed = hashlib.sha256(f"{query.timestamp}\n{query.nonce}\n{query.signature}".encode()).hexdigest()
        digest = hashlib.sha256(xml.encode("utf-8")).hexdigest()
        ttl = 2 * self.settings.wechat_replay_window_s
        if not self.store.add(f"wechat:delivery:{signed}:{digest}", ttl):
            return  # WeChat retrying this very delivery
        if not self.store.add(f"wechat:query:{signed}", ttl):
            raise ProtocolError(400, "signed query reused with another body")

    def _claim(self, seen: Incoming) -> tuple[str, str | None] | None:
        """None if this message is new (and now claimed); else the first delivery's (status, passive reply)."""
        with self.services.db.scope() as session:
            try:
                with session.begin_nested():
                    session.add(WechatInbound(msg_key=seen.key, openid=seen.openid, msg_type=seen.kind))
                return None
            except IntegrityError:
                pass
            row = session.query(WechatInbound).filter_by(msg_key=seen.key).one()
            row.retries_seen += 1
            deadline = row.received_at + timedelta(seconds=self.settings.wechat_passive_budget_s) + TAKEOVER_AFTER
            if row.status == "processing" and utcnow() > deadline:
                # the replica that took the first delivery died before answering: this retry takes over
                won = session.execute(update(WechatInbound).where(
                    WechatInbound.id == row.id, WechatInbound.status == "processing",
                    WechatInbound.received_at == row.received_at).values(received_at=utcnow())).rowcount
                if won:
                    logger.warning("wechat %s: first delivery never answered; the retry takes over", seen.kind)
                    return None
            return row.status, row.passive_reply

    def _mark(self, key: str, status: str, passive: str | None = None) -> None:
        with self.services.db.scope() as session:
            session.execute(update(WechatInbound).where(WechatInbound.msg_key == key)
                            .values(status=status, passive_reply=passive))

    def _touch_follower(self, openid: str, message: BaseMessage) -> None:
        with self.services.db.scope() as session:
            follower = session.get(WechatFollower, openid) or WechatFollower(openid=openid)
            follower.last_inbound_at = utcnow()  # the 48-hour customer-service window starts again
            if isinstance(message, events.UnsubscribeEvent):
                follower.subscribed = False
            elif isinstance(message, events.SubscribeEvent):
                follower.subscribed = True
            session.merge(follower)

    async def _enqueue(self, openid: str, texts: list[str], source: str) -> None:
        def write() -> None:
            with self.services.db.scope() as session:
                outbox_module.enqueue(session, openid, blocks(texts), source)
        await asyncio.to_thread(write)
        self.outbox.wake.set()

    def _deliver_late(self, turn: asyncio.Future, seen: Incoming) -> None:
        async def finish() -> None:
            try:
                answers = await turn
            except Exception:
                logger.exception("wechat %s: the late turn failed", seen.kind)
                answers = [self.services.conversation.engine_down_text]
            if answers:
                await self._enqueue(seen.openid, answers, "late")
            await asyncio.to_thread(self._mark, seen.key, "answered_late")

        task = asyncio.create_task(finish())
        self._late.add(task)
        task.add_done_callback(self._late.discard)

    # -- nothing left unanswered ---------------------------------------------------------------
    def sweep(self) -> int:
        """Messages whose turn died with its replica (never answered): say so, once, so the resident
        knows to send again. Returns how many."""
        stale = utcnow() - STALE_AFTER
        with self.services.db.scope() as session:
            rows = session.query(WechatInbound).filter(
                WechatInbound.status.in_(("processing", "async")), WechatInbound.received_at < stale).all()
            for row in rows:
                won = session.execute(update(WechatInbound).where(
                    WechatInbound.id == row.id, WechatInbound.status == row.status).values(status="failed")).rowcount
                if won and row.msg_type != "event:unsubscribe":
                    outbox_module.enqueue(session, row.openid, [LOST], "apology")
                    logger.warning("wechat inbound %s was never answered; apology queued", row.id)
            return len(rows)

    async def sweep_forever(self, interval_s: float = 30.0) -> None:
        while True:
            try:
                if await asyncio.to_thread(self.sweep):
                    self.outbox.wake.set()
            except Exception:
                logger.exception("wechat sweeper: a round failed")
            await asyncio.sleep(interval_s)

    # -- what to answer ---------------------------------------------------------------------------
    async def _turn(self, openid: str, text: str, command: str | None = None) -> list[str]:
        with self.services.db.scope() as session:
            # WeChat has no buttons: the messages already say how to answer ("回复数字就行")
            return (await self.services.conversation.turn(session, "wechat", Sender.wechat(openid).conversation_id, text,
                                                          command=command)).messages

    async def _answer(self, message: BaseMessage) -> list[str]:
        openid = message.source
        if isinstance(message, messages.TextMessage):
            return await self._turn(openid, message.content or "")
        if isinstance(message, messages.VoiceMessage):
            return await self._turn(openid, message.recognition) if message.recognition else [VOICE_NO_TEXT]
        if isinstance(message, (messages.ImageMessage, messages.VideoMessage, messages.ShortVideoMessage)):
            return [NO_MEDIA]
        if isinstance(message, messages.LinkMessage):
            return [LINK]
        if isinstance(message, messages.LocationMessage):
            return [await asyncio.to_thread(self._location, message.label or "")]
        if isinstance(message, events.SubscribeEvent):  # also SubscribeScanEvent
            return await self.services.conversation.welcome(Sender.wechat(openid).conversation_id)
        if isinstance(message, events.ClickEvent):
            intent = self.click_intents.get(message.key or "")
            if intent is None:
                logger.warning("wechat menu click with unknown key %r", message.key)
                return []
            return await self._turn(openid, f"/{intent}", command=f"/{intent}")
        if isinstance(message, events.BaseEvent):
            return []  # unsubscribe, view, location reports…: nothing to say (and no one to say it to)
        return [UNKNOWN]

    def _location(self, label: str) -> str:
        codes = {m.township.code for m in match_places(label, self.services.gazetteer.divisions)}
        if len(codes) != 1:
            return LOCATION.format(where="")
        with self.services.db.scope() as session:  # the office as the intake system keeps it (an admin may rename it)
            township = intake.township(session, codes.pop())
        return LOCATION.format(where=f"您在{township.name}，社会救助窗口是{township.office_name}。" if township else "")
