"""The persistent outbox for customer-service messages: nothing is lost to an API failure or a restart.

A worker in every app replica claims due messages (a lease, so two replicas never send the same row),
keeps each resident's messages in order, retries with exponential backoff, and gives up — saying so in
the log — when WeChat's 48-hour window has closed or the retries are spent.
"""
from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.session import Database
from bot.channels.wechat.api import WINDOW_CLOSED, WeChatApi, WeChatApiError
from bot.channels.wechat.models import WechatFollower, WechatOutbox

logger = logging.getLogger(__name__)
WINDOW = timedelta(hours=48)
LEASE = timedelta(seconds=60)      # a claimed row not finished by then (a crash) is claimed again
MAX_ATTEMPTS = 8
BATCH = 20
SUBSCRIBE = "subscribe"  # source of a subscription message: content is {"template_id":…, "data": {…}} as JSON


def enqueue(session: Session, openid: str, texts: list[str], source: str) -> None:
    now = utcnow()
    for text in texts:
        session.add(WechatOutbox(openid=openid, content=text, source=source, next_attempt_at=now, created_at=now))
    session.commit()


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** attempts, 300))


class Outbox:
    def __init__(self, api: WeChatApi, db: Database):
        self.api = api
        self.db = db
        self.wake = asyncio.Event()

    def _claim(self) -> list[tuple[int, str, str, str]]:
        """Due rows, the oldest per resident only (order is kept), leased to this worker."""
        now = utcnow()
        with self.db.scope() as session:
            rows = session.scalars(
                select(WechatOutbox).where(WechatOutbox.status.in_(("pending", "sending")))
                .order_by(WechatOutbox.id).limit(BATCH * 5)).all()
            claimed, seen = [], set()
            for row in rows:
                if row.openid in seen:
                    continue
                seen.add(row.openid)  # a resident's later messages wait for the earlier ones
                if row.next_attempt_at > now:
                    continue
                won = session.execute(
                    update(WechatOutbox).where(WechatOutbox.id == row.id, WechatOutbox.status == row.status,
                                               WechatOutbox.next_attempt_at == row.next_attempt_at)
                    .values(status="sending", next_attempt_at=now + LEASE)).rowcount
                if won:
                    claimed.append((row.id, row.openid, row.content, row.source))
                if len(claimed) >= BATCH:
                    break
            return claimed

    def _finish(self, row_id: int, status: str, error: str | None = None) -> None:
        with self.db.scope() as session:
            row = session.get(WechatOutbox, row_id)
            row.attempts += 1
            row.last_error = error
            if status == "retry":
                if row.attempts >= MAX_ATTEMPTS:
                    row.status = "failed"
                    logger.error("outbox %s: not delivered after %d attempts (%s)", row_id, row.attempts, error)
                else:
                    row.status = "pending"
                    row.next_attempt_at = utcnow() + backoff(row.attempts)
                return
            row.status = status
            if status == "sent":
                row.sent_at = utcnow()
            else:
                logger.warning("outbox %s: could not be delivered (%s)", row_id, error)

    def _window_open(self, openid: str) -> bool:
        with self.db.scope() as session:
            follower = session.get(WechatFollower, openid)
            return follower is not None and utcnow() - follower.last_inbound_at < WINDOW

    async def deliver_due(self) -> int:
        """Send what is due now; returns how many were sent."""
        sent = 0
        for row_id, openid, content, source in await asyncio.to_thread(self._claim):
            subscription = source == SUBSCRIBE  # a subscription message does not need the 48-hour window
            if not subscription and not await asyncio.to_thread(self._window_open, openid):
                await asyncio.to_thread(self._finish, row_id, "expired", "48-hour window closed")
                continue
            try:
                if subscription:
                    message = json.loads(content)
                    await self.api.send_subscribe(openid, message["template_id"], message["data"])
                else:
                    await self.api.send_text(openid, content)
            except WeChatApiError as exc:
                final = "expired" if exc.errcode == WINDOW_CLOSED else "retry"
                await asyncio.to_thread(self._finish, row_id, final, f"errcode {exc.errcode}")
                continue
            except Exception as exc:  # network, timeouts, a non-JSON answer: try again later
                await asyncio.to_thread(self._finish, row_id, "retry", type(exc).__name__)
                continue
            await asyncio.to_thread(self._finish, row_id, "sent")
            sent += 1
        return sent

    async def run(self, interval_s: float = 1.0) -> None:
        """The worker loop (one per app replica); woken at once when something is enqueued here."""
        while True:
            try:
                while await self.deliver_due():
                    pass
            except Exception:
                logger.exception("outbox worker: a round failed; trying again")
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=interval_s)
            except asyncio.TimeoutError:
                pass
            self.wake.clear()
