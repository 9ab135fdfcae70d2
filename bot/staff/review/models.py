"""Review tables in the app's database: conversations and turns folded from the engine's events (texts masked
at publish), and what reviewers add (reviewed, tags, corrected intents). Indexed on what the listing filters by.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, UtcDateTime


# `reviewed` has no index of its own: most conversations are not reviewed, and SQLite's statistics cannot tell it
# from a rare flag, so with one it chose `reviewed` over `emergency` (measured, migration 0012)
FLAGS = ("fallback", "emergency", "handoff", "complaint", "form_abandoned")


class ReviewConversation(Base):
    """One session of one sender (a new one at each `session_started`)."""

    __tablename__ = "review_conversations"
    # the listing's order (newest first) after each filter, so a deep page walks one index (migration 0011)
    __table_args__ = (Index("ix_review_conversations_sender", "sender_id", "id"),
                      Index("ix_review_conversations_channel_last", "channel", "last_at"),
                      Index("ix_review_conversations_last", "last_at", "id"),
                      Index("ix_review_conversations_township_last", "township", "last_at", "id"),
                      *(Index(f"ix_review_conversations_{flag}_last", flag, "last_at", "id") for flag in FLAGS))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(255))
    channel: Mapped[str] = mapped_column(String(16))                # wechat / web / other (sender prefix)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_at: Mapped[datetime] = mapped_column(UtcDateTime)
    turns: Mapped[int] = mapped_column(Integer, default=0)
    min_confidence: Mapped[float | None] = mapped_column(Float, index=True)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    handoff: Mapped[bool] = mapped_column(Boolean, default=False)
    complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    form_abandoned: Mapped[bool] = mapped_column(Boolean, default=False)
    active_form: Mapped[str | None] = mapped_column(String(64))     # the form open at the last event
    requested_slot: Mapped[str | None] = mapped_column(String(64))
    township: Mapped[str | None] = mapped_column(String(12))        # the gazetteer code the forms' place named
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_by: Mapped[str | None] = mapped_column(String(40))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReviewTurn(Base):
    """A resident message and what followed it until the next one."""

    __tablename__ = "review_turns"
    __table_args__ = (Index("ix_review_turns_conversation_seq", "conversation_id", "seq", unique=True),
                      Index("ix_review_turns_intent_conversation", "intent", "conversation_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("review_conversations.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)   # the insights' week (migration 0013)
    text: Mapped[str] = mapped_column(Text, default="")             # masked by the engine before publishing
    intent: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    entities: Mapped[list] = mapped_column(JSON, default=list)
    rule_override: Mapped[str | None] = mapped_column(String(200))
    danger: Mapped[dict | None] = mapped_column(JSON)
    replies: Mapped[list] = mapped_column(JSON, default=list)       # the bot's texts
    actions: Mapped[list] = mapped_column(JSON, default=list)       # action names run
    slots: Mapped[dict] = mapped_column(JSON, default=dict)         # slots set in this turn
    form: Mapped[str | None] = mapped_column(String(64))            # the form active during the turn
    corrected_intent: Mapped[str | None] = mapped_column(String(64), index=True)
    corrected_by: Mapped[str | None] = mapped_column(String(40))
    corrected_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # the entities as a reviewer set them: [{"entity", "value", "start", "end"}] on `text`; None = the model's
    corrected_entities: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    entities_by: Mapped[str | None] = mapped_column(String(40))
    entities_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    conversation: Mapped[ReviewConversation] = relationship()


class ReviewTag(Base):
    __tablename__ = "review_tags"

    conversation_id: Mapped[int] = mapped_column(ForeignKey("review_conversations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ReviewStory(Base):
    """A conversation a reviewer saved as a Rasa test story; `bot review stories` writes them to
    tests/stories/review/. The story is rendered from the turns (and their corrections) when written."""

    __tablename__ = "review_stories"

    conversation_id: Mapped[int] = mapped_column(ForeignKey("review_conversations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    saved_by: Mapped[str] = mapped_column(String(40))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class ReviewCursor(Base):
    """How far each source has been read (the SQL broker: the last `events.id`)."""

    __tablename__ = "review_cursors"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ReviewEventKey(Base):
    """An event already folded, by a hash of its content: a queue delivers at least once (a message committed
    but not yet acknowledged comes again after a crash or a lost connection), and a second copy must not make a
    second turn. Kept for REVIEW_KEY_DAYS after it was seen: a copy comes again within minutes, not weeks."""

    __tablename__ = "review_event_keys"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)   # sha256 of the canonical JSON, 128 bits
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
