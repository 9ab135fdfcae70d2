"""What the WeChat gateway keeps: messages seen (exactly once), the outbox, followers, the access token."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime, utcnow


class WechatInbound(Base):
    """One row per WeChat message or event: the unique key catches WeChat's retries on any replica."""

    __tablename__ = "wechat_inbound"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    msg_key: Mapped[str] = mapped_column(String(120), unique=True)  # MsgId, or FromUserName:CreateTime:Event:EventKey
    openid: Mapped[str] = mapped_column(String(64), index=True)
    msg_type: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    # processing → passive (answered in the reply) | async → answered_late (through the outbox) | failed (swept)
    status: Mapped[str] = mapped_column(String(16), default="processing")
    passive_reply: Mapped[str | None] = mapped_column(Text)  # repeated if WeChat retries after we answered
    retries_seen: Mapped[int] = mapped_column(Integer, default=0)


class WechatOutbox(Base):
    """Customer-service messages waiting to go out; survives restarts; retried with backoff."""

    __tablename__ = "wechat_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))        # bot | staff | late
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)  # pending|sending|sent|failed|expired
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WechatFollower(Base):
    """A resident who wrote to (or followed) the account: the 48-hour window starts at their last message."""

    __tablename__ = "wechat_followers"

    openid: Mapped[str] = mapped_column(String(64), primary_key=True)
    subscribed: Mapped[bool] = mapped_column(Boolean, default=True)
    last_inbound_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class WechatToken(Base):
    """The access token, shared by every replica (only one refreshes it at a time)."""

    __tablename__ = "wechat_tokens"

    app_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[str | None] = mapped_column(String(600))
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
