"""Retention: what residents said is kept for RETENTION_DAYS, then deleted — in the app database (messages,
alerts, hotline wrap-ups, notices, 会话审阅's conversations, turns, tags and saved stories), the engine's tracker
store and its event broker. Referrals follow their own rule (REFERRAL_RETENTION_DAYS after they were closed;
0 = kept); the staff audit log is kept (append-only by design). PURGED and KEPT name every app table that holds
what a resident said or where they are (tests/unit/test_retention_review.py fails on a table in neither).

`bot purge --older-than DAYS` runs it once; the app runs it daily. Every step logs how many rows it deleted.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.orm import Session

from bot.channels.notices import ResidentNotice
from bot.staff.alerts.models import Alert
from bot.staff.review.models import ReviewConversation, ReviewEventKey, ReviewStory, ReviewTag, ReviewTurn
from bot.staff.wrapups import AssistWrapup
from bot.channels.danger_check import DangerCheck
from bot.staff.handoff import Handoff, HandoffMessage
from bot.channels.inbox import InboundMessage
from bot.channels.quick_replies import PendingButtons
from bot.channels.wechat.models import WechatInbound, WechatOutbox
from bot.db.base import utcnow
from bot.intake.models import Referral
from bot.intake.workflow import OPEN

logger = logging.getLogger(__name__)
BATCH = 1000

# app tables deleted here after RETENTION_DAYS (the names `Purged.store` reports)
PURGED = {"inbound_messages", "handoff_messages", "alerts", "danger_checks", "pending_buttons", "wechat_inbound",
          "wechat_outbox", "assist_wrapups", "resident_notices", "review_turns", "review_tags", "review_stories",
          "review_conversations", "review_event_keys"}
# app tables kept, and why
KEPT = {
    "referrals": "their own rule, REFERRAL_RETENTION_DAYS after closing (purged below when set)",
    "referral_events": "deleted with their referral (ON DELETE CASCADE)",
    "audit_log": "append-only by design; details masked",
    "townships": "the gazetteer: reference data, no resident's words",
    "review_cursors": "a read position in the broker, no resident's words",
    "handoffs": "a conversation a person owns now (no words); the row goes when it is handed back",
    "wechat_followers": "an openid and its 48-hour window, needed to reach a follower; no words",
}


@dataclass(frozen=True)
class Purged:
    store: str
    rows: int


def _sqlalchemy_url(url: str) -> str:
    """The engine's stores are named like Rasa names them (postgresql://…); the app's driver is psycopg 3."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def purge_app(session: Session, cutoff: datetime, referral_cutoff: datetime | None) -> list[Purged]:
    """The app database: messages, alerts and the short-lived conversation state before `cutoff`. A
    conversation a person has open keeps its messages, whatever their age."""
    handed_over = select(Handoff.sender)
    steps = [
        ("inbound_messages", delete(InboundMessage).where(InboundMessage.created_at < cutoff,
                                                          InboundMessage.sender.not_in(handed_over))),
        ("handoff_messages", delete(HandoffMessage).where(HandoffMessage.created_at < cutoff,
                                                          HandoffMessage.sender.not_in(handed_over))),
        ("alerts", delete(Alert).where(Alert.created_at < cutoff)),
        ("danger_checks", delete(DangerCheck).where(DangerCheck.created_at < cutoff)),
        ("pending_buttons", delete(PendingButtons).where(PendingButtons.created_at < cutoff)),
        ("wechat_inbound", delete(WechatInbound).where(WechatInbound.received_at < cutoff)),
        ("wechat_outbox", delete(WechatOutbox).where(WechatOutbox.created_at < cutoff,
                                                     WechatOutbox.status.in_(("sent", "failed", "expired")))),
        ("assist_wrapups", delete(AssistWrapup).where(AssistWrapup.at < cutoff)),
        ("resident_notices", delete(ResidentNotice).where(ResidentNotice.created_at < cutoff)),
        *review_steps(cutoff),
    ]
    if referral_cutoff is not None:  # closed cases only: an open one is never deleted
        steps.append(("referrals", delete(Referral).where(Referral.updated_at < referral_cutoff,
                                                          Referral.status.not_in(OPEN))))
    purged = []
    for name, statement in steps:
        rows = session.execute(statement, execution_options={"synchronize_session": False}).rowcount
        purged.append(Purged(name, rows))
    session.commit()
    return purged


def review_steps(cutoff: datetime) -> list[tuple[str, Any]]:
    """会话审阅: a conversation whose last message is before the cutoff goes whole (its tags and saved story
    first: SQLite does not cascade); in a conversation still going, the turns before the cutoff go."""
    old = select(ReviewConversation.id).where(ReviewConversation.last_at < cutoff)
    return [
        ("review_turns", delete(ReviewTurn).where(ReviewTurn.at < cutoff)),
        ("review_tags", delete(ReviewTag).where(ReviewTag.conversation_id.in_(old))),
        ("review_stories", delete(ReviewStory).where(ReviewStory.conversation_id.in_(old))),
        ("review_conversations", delete(ReviewConversation).where(ReviewConversation.last_at < cutoff)),
        ("review_event_keys", delete(ReviewEventKey).where(ReviewEventKey.seen_at < cutoff)),
    ]


def purge_tracker(url: str, cutoff: datetime) -> Purged:
    """Rasa's SQL tracker store: its `events` rows carry a Unix timestamp."""
    engine = create_engine(_sqlalchemy_url(url))
    try:
        with engine.begin() as db:
            if not _has_events_table(db, engine.dialect.name):
                return Purged("tracker events", 0)
            rows = db.execute(text("delete from events where timestamp < :t"), {"t": cutoff.timestamp()}).rowcount
        return Purged("tracker events", rows)
    finally:
        engine.dispose()


def purge_broker(url: str, cutoff: datetime) -> Purged:
    """Rasa's SQL event broker: `events(id, sender_id, data)`, appended in time order, the time inside `data`.
    Everything before the first event at or after the cutoff goes."""
    if not url or not (url.startswith("sqlite") or url.startswith("postgresql")):
        return Purged("broker events", 0)  # RabbitMQ keeps nothing once consumed
    engine = create_engine(_sqlalchemy_url(url))
    try:
        with engine.begin() as db:
            if not _has_events_table(db, engine.dialect.name):
                return Purged("broker events", 0)

            def at_or_after(row_id: int) -> tuple[int, float] | None:
                row = db.execute(text("select id, data from events where id >= :id order by id limit 1"),
                                 {"id": row_id}).first()
                return (row[0], float(json.loads(row[1]).get("timestamp") or 0)) if row else None

            # binary search on the id for the first event at or after the cutoff (a few queries, any size)
            low, high = db.execute(text("select min(id), max(id) from events")).one()
            if low is None:
                return Purged("broker events", 0)
            first_kept, high = None, high + 1
            while low < high:
                middle = (low + high) // 2
                found = at_or_after(middle)
                if found is None or found[1] >= cutoff.timestamp():
                    high = middle
                    first_kept = found[0] if found else first_kept
                else:
                    low = found[0] + 1
            statement = "delete from events" + ("" if first_kept is None else " where id < :first")
            deleted = db.execute(text(statement), {"first": first_kept}).rowcount
        return Purged("broker events", deleted)
    finally:
        engine.dispose()


def _has_events_table(db, dialect: str) -> bool:
    query = ("select count(*) from information_schema.tables where table_name = 'events'" if dialect == "postgresql"
             else "select count(*) from sqlite_master where type = 'table' and name = 'events'")
    return bool(db.execute(text(query)).scalar())


def purge(session: Session, *, tracker_url: str, broker_url: str, days: int, referral_days: int,
          now: datetime | None = None) -> list[Purged]:
    if days < 1:
        raise ValueError("retention must be at least one day")
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    referral_cutoff = now - timedelta(days=referral_days) if referral_days > 0 else None
    purged = purge_app(session, cutoff, referral_cutoff)
    purged += [purge_tracker(tracker_url, cutoff), purge_broker(broker_url, cutoff)]
    logger.info("retention (%d days): %s", days, ", ".join(f"{p.store} {p.rows}" for p in purged))
    return purged


async def daily(settings, db, every_s: float = 86400.0, first_after_s: float = 600.0) -> None:
    """The app's daily purge (each instance runs it; a second run in the same day finds nothing to delete),
    first ten minutes after start: a start is busy enough, and a short-lived app (a test) never purges."""
    import asyncio

    def once() -> None:
        with db.scope() as session:  # the app's database (bot.db.session.Database)
            purge(session, tracker_url=settings.tracker_store_url, broker_url=settings.event_broker_url,
                  days=settings.retention_days, referral_days=settings.referral_retention_days)

    await asyncio.sleep(first_after_s)
    while True:
        try:
            await asyncio.to_thread(once)
        except Exception:  # a failed round is logged and retried tomorrow; the app goes on
            logger.exception("retention: the daily purge failed")
        await asyncio.sleep(every_s)
