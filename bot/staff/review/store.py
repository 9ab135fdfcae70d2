"""The review repository: events in (from any source), conversations out (listing, one conversation),
and what reviewers add. Works on one SQLAlchemy session of the app's database; the caller commits.

    store = ReviewStore(session)
    store.sync(SQLBrokerSource(settings.event_broker_url))       # new broker events → conversations, turns
    store.add_delivered([(key, sender, event), ...])              # a queue's messages (consumer.py), each once
    page = store.search(Filters(intent="dibao", below=0.5), page=1)
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, delete, exists, false, func, insert, or_, select, true, tuple_
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.staff import wrapups
from bot.staff.audit import CHINA
from bot.staff.review import events as fold
from bot.staff.review.models import (ReviewConversation, ReviewCursor, ReviewEventKey, ReviewStory, ReviewTag,
                                     ReviewTurn)

PAGE_SIZE = 50
TURNS_PAGE = 20


class EventSource(Protocol):
    def read(self, after: int, limit: int = ...) -> Iterable[tuple[int, str, dict[str, Any]]]: ...


@dataclass(frozen=True)
class Filters:
    since: date | None = None          # China-time days, inclusive
    until: date | None = None
    channel: str = ""                  # wechat / web / other
    intent: str = ""
    below: float | None = None         # some turn's confidence below this
    fallback: bool = False
    emergency: bool = False
    handoff: bool = False
    complaint: bool = False
    abandoned: bool = False
    reviewed: str = ""                 # "yes" / "no" / ""
    tag: str = ""
    township: str = ""                 # a gazetteer code: the place a form (pre-screen, report, urgent) named


@dataclass
class Page:
    rows: list[ReviewConversation]
    total: int
    page: int
    pages: int
    tags: dict[int, list[str]] = field(default_factory=dict)


@dataclass
class TurnsPage:
    rows: list[ReviewTurn]
    total: int
    page: int
    pages: int


def turn_link(turn: ReviewTurn) -> str:
    """Where a turn is in its conversation: the page of turns that holds it, at its anchor."""
    return f"/console/review/{turn.conversation_id}?page={(turn.seq - 1) // TURNS_PAGE + 1}#turn-{turn.seq}"


def _merged(reviewed: Iterable, hotline: Iterable, limit: int) -> list[tuple[str, str, int, int]]:
    """(model, corrected, by reviewers, by 12345 agents) per pair, the most corrected first."""
    counts: dict[tuple[str, str], list[int]] = {}
    for model, corrected, n in reviewed:
        counts.setdefault((model, corrected), [0, 0])[0] += n
    for model, corrected, n in hotline:
        counts.setdefault((model, corrected), [0, 0])[1] += n
    ranked = sorted(counts.items(), key=lambda item: (-sum(item[1]), item[0]))
    return [(model, corrected, turns, calls) for (model, corrected), (turns, calls) in ranked[:limit]]


def day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=CHINA)


class ReviewStore:
    def __init__(self, session: Session):
        self.session = session

    # ---- in ---------------------------------------------------------------------------------------------
    def add_events(self, events: Iterable[tuple[str, dict[str, Any]]]) -> int:
        """Fold (sender_id, event) pairs, in publishing order, into conversations and turns. Returns how many."""
        events = [(sender, event) for sender, event in events if sender]
        with self.session.no_autoflush:
            open_, last_turn = self._open_conversations({sender for sender, _ in events})
            for sender, event in events:
                at = fold.when(event)
                kind = event.get("event")
                conversation = open_.get(sender)
                if conversation is None or kind == "session_started" and conversation.turns:
                    conversation = fold.new_conversation(sender, at)
                    self.session.add(conversation)
                    open_[sender], last_turn[sender] = conversation, None
                if kind == "user":
                    turn = fold.user_turn(conversation, event, at)
                    turn.conversation = conversation
                    conversation.last_at = max(conversation.last_at, at)
                    self.session.add(turn)
                    last_turn[sender] = turn
                else:
                    fold.apply(conversation, last_turn.get(sender), event, at)
        for conversation in open_.values():   # still in a form at the last event: left mid-form
            if conversation.active_form and conversation.requested_slot:
                conversation.form_abandoned = True
        self.session.flush()
        return len(events)

    def add_delivered(self, items: Iterable[tuple[str, str, dict[str, Any]]]) -> int:
        """(key, sender_id, event) from a queue that delivers at least once: an event whose key was folded before,
        or that comes twice here, is skipped; the rest are folded by `add_events` and their keys kept, in the
        caller's transaction (so a crash between commit and acknowledgement cannot fold one twice). Returns how
        many were new."""
        items = list(items)
        seen, fresh, keys, now = self._known_keys({key for key, _, _ in items}), [], [], utcnow()
        for key, sender, event in items:
            if key in seen:
                continue
            seen.add(key)
            keys.append({"key": key, "seen_at": now})
            fresh.append((sender, event))
        if keys:   # one executemany, not an ORM object per event
            self.session.execute(insert(ReviewEventKey), keys)
        self.add_events(fresh)
        return len(fresh)

    def _known_keys(self, keys: set[str]) -> set[str]:
        names, known = sorted(keys), set()
        for chunk in (names[i:i + 500] for i in range(0, len(names), 500)):
            known.update(self.session.scalars(select(ReviewEventKey.key).where(ReviewEventKey.key.in_(chunk))))
        return known

    def forget_keys(self, before: datetime) -> int:
        """Keys seen before `before` go: a copy of a message comes again within minutes, not weeks."""
        return self.session.execute(delete(ReviewEventKey).where(ReviewEventKey.seen_at < before),
                                    execution_options={"synchronize_session": False}).rowcount

    def _open_conversations(self, senders: set[str]) -> tuple[dict[str, ReviewConversation],
                                                               dict[str, ReviewTurn | None]]:
        """Each sender's latest conversation and its last turn, in two queries a batch."""
        c, t = ReviewConversation, ReviewTurn
        open_: dict[str, ReviewConversation] = {}
        names = sorted(senders)
        for chunk in (names[i:i + 500] for i in range(0, len(names), 500)):
            latest = select(func.max(c.id)).where(c.sender_id.in_(chunk)).group_by(c.sender_id)
            open_.update((row.sender_id, row) for row in self.session.scalars(select(c).where(c.id.in_(latest))))
        last_turn: dict[str, ReviewTurn | None] = {sender: None for sender in open_}
        keys = [(row.id, row.turns) for row in open_.values() if row.turns]
        by_id = {row.id: row.sender_id for row in open_.values()}
        for chunk in (keys[i:i + 400] for i in range(0, len(keys), 400)):
            for turn in self.session.scalars(select(t).where(tuple_(t.conversation_id, t.seq).in_(chunk))):
                last_turn[by_id[turn.conversation_id]] = turn
        return open_, last_turn

    def sync(self, source: EventSource, name: str = "sql_broker", batch: int = 5000, rounds: int = 20) -> int:
        """Read what `source` has after this store's cursor for it (at most batch × rounds events a call)."""
        # the cursor row locked (PostgreSQL) so two pages opened at once do not fold the same events twice
        cursor = self.session.get(ReviewCursor, name, with_for_update=True) or ReviewCursor(source=name, position=0)
        self.session.add(cursor)
        total = 0
        for _ in range(rounds):
            rows = list(source.read(cursor.position, batch))
            if not rows:
                break
            total += self.add_events((sender, event) for _, sender, event in rows)
            cursor.position = rows[-1][0]
            self.session.flush()
            if len(rows) < batch:
                break
        return total

    # ---- out --------------------------------------------------------------------------------------------
    def search(self, filters: Filters, page: int = 1, page_size: int = PAGE_SIZE) -> Page:
        c = ReviewConversation
        where = []
        if filters.since:
            where.append(c.last_at >= day_start(filters.since))
        if filters.until:
            where.append(c.started_at < day_start(filters.until + timedelta(days=1)))
        if filters.channel:
            where.append(c.channel == filters.channel)
        if filters.township:
            where.append(c.township == filters.township)
        if filters.below is not None:
            where.append(c.min_confidence < filters.below)
        for flag in ("fallback", "emergency", "handoff", "complaint"):
            if getattr(filters, flag):
                where.append(getattr(c, flag) == true())   # `= 1`: indexable, `IS` is not on PostgreSQL
        if filters.abandoned:
            where.append(c.form_abandoned == true())
        if filters.reviewed in ("yes", "no"):
            where.append(c.reviewed == (true() if filters.reviewed == "yes" else false()))
        if filters.intent:
            where.append(exists().where(and_(ReviewTurn.intent == filters.intent, ReviewTurn.conversation_id == c.id)))
        if filters.tag:
            where.append(exists().where(and_(ReviewTag.tag == filters.tag, ReviewTag.conversation_id == c.id)))
        total = self.session.scalar(select(func.count()).select_from(c).where(*where)) or 0
        pages = max(1, -(-total // page_size))
        page = min(max(page, 1), pages)
        rows = list(self.session.scalars(select(c).where(*where).order_by(c.last_at.desc(), c.id.desc())
                                         .offset((page - 1) * page_size).limit(page_size)))
        tags: dict[int, list[str]] = {}
        if rows:
            for conversation_id, tag in self.session.execute(
                    select(ReviewTag.conversation_id, ReviewTag.tag)
                    .where(ReviewTag.conversation_id.in_([r.id for r in rows])).order_by(ReviewTag.tag)):
                tags.setdefault(conversation_id, []).append(tag)
        return Page(rows, total, page, pages, tags)

    def conversation(self, conversation_id: int) -> ReviewConversation | None:
        return self.session.get(ReviewConversation, conversation_id)

    def turns(self, conversation_id: int, page: int = 1, page_size: int = TURNS_PAGE) -> list[ReviewTurn]:
        return list(self.session.scalars(select(ReviewTurn).where(ReviewTurn.conversation_id == conversation_id)
                                         .order_by(ReviewTurn.seq).offset((page - 1) * page_size).limit(page_size)))

    def tags(self, conversation_id: int) -> list[str]:
        return list(self.session.scalars(select(ReviewTag.tag).where(ReviewTag.conversation_id == conversation_id)
                                         .order_by(ReviewTag.tag)))

    def all_tags(self) -> list[str]:
        return list(self.session.scalars(select(ReviewTag.tag).distinct().order_by(ReviewTag.tag).limit(200)))

    def insights(self, since: datetime, threshold: float, limit: int = 15) -> tuple[list, list]:
        """Since `since`: (model intent, corrected intent, turns reviewers corrected, calls 12345 agents corrected)
        most often corrected, and (intent, turns) most often below the fallback threshold (nlu_fallback included,
        under its own name)."""
        t = ReviewTurn
        # grouped by an expression, not the column: otherwise SQLite walks the whole intent index (0.8 s on
        # 500,000 turns) instead of this week's turns by time (25 ms)
        intent = func.coalesce(t.intent, "")
        reviewed = self.session.execute(
            select(intent, t.corrected_intent, func.count().label("n"))
            .where(t.corrected_intent.is_not(None), t.at >= since).group_by(intent, t.corrected_intent)
            .order_by(func.count().desc(), intent).limit(limit * 2)).all()
        low = self.session.execute(
            select(intent, func.count().label("n"))
            .where(t.confidence < threshold, t.at >= since).group_by(intent)
            .order_by(func.count().desc(), intent).limit(limit)).all()
        return _merged(reviewed, wrapups.confused(self.session, since, limit * 2), limit), [tuple(r) for r in low]

    def insight_turns(self, since: datetime, intent: str, corrected: str | None = None, below: float | None = None,
                      page: int = 1, page_size: int = PAGE_SIZE) -> TurnsPage:
        """The turns behind a row of the insights, newest first: since `since`, read as `intent` ("" for none) and
        corrected to `corrected`, or with a confidence below `below`."""
        t = ReviewTurn
        where = [t.at >= since, func.coalesce(t.intent, "") == intent]
        if corrected is not None:
            where.append(t.corrected_intent == corrected)
        if below is not None:
            where.append(t.confidence < below)
        total = self.session.scalar(select(func.count()).select_from(t).where(*where)) or 0
        pages = max(1, -(-total // page_size))
        page = min(max(page, 1), pages)
        rows = list(self.session.scalars(select(t).where(*where).order_by(t.at.desc(), t.id.desc())
                                         .offset((page - 1) * page_size).limit(page_size)))
        return TurnsPage(rows, total, page, pages)

    # ---- what reviewers add -----------------------------------------------------------------------------
    def correct(self, turn: ReviewTurn, intent: str, by: str) -> None:
        turn.corrected_intent = None if intent == turn.intent else intent
        turn.corrected_by, turn.corrected_at = (by, utcnow()) if turn.corrected_intent else (None, None)

    def mark_reviewed(self, conversation: ReviewConversation, reviewed: bool, by: str) -> None:
        conversation.reviewed = reviewed
        conversation.reviewed_by, conversation.reviewed_at = (by, utcnow()) if reviewed else (None, None)

    def tag(self, conversation: ReviewConversation, tag: str) -> None:
        if self.session.get(ReviewTag, (conversation.id, tag)) is None:
            self.session.add(ReviewTag(conversation_id=conversation.id, tag=tag))

    def untag(self, conversation: ReviewConversation, tag: str) -> None:
        row = self.session.get(ReviewTag, (conversation.id, tag))
        if row is not None:
            self.session.delete(row)

    def correct_entities(self, turn: ReviewTurn, entities: list[dict] | None, by: str) -> None:
        """The turn's entities as the reviewer set them (an empty list: it has none); None: the model's again."""
        turn.corrected_entities = entities
        turn.entities_by, turn.entities_at = (by, utcnow()) if entities is not None else (None, None)

    def corrected_turns(self) -> list[ReviewTurn]:
        """Turns whose intent or entities a reviewer corrected, oldest first."""
        t = ReviewTurn
        corrected = or_(t.corrected_intent.is_not(None), t.entities_at.is_not(None))
        return list(self.session.scalars(select(t).where(corrected).order_by(t.id)))

    # ---- test stories -----------------------------------------------------------------------------------
    def story(self, conversation_id: int) -> ReviewStory | None:
        return self.session.get(ReviewStory, conversation_id)

    def save_story(self, conversation: ReviewConversation, by: str) -> ReviewStory:
        row = self.story(conversation.id)
        if row is None:
            row = ReviewStory(conversation_id=conversation.id, saved_by=by, saved_at=utcnow())
            self.session.add(row)
        return row

    def drop_story(self, conversation: ReviewConversation) -> None:
        row = self.story(conversation.id)
        if row is not None:
            self.session.delete(row)

    def stories(self) -> list[tuple[ReviewConversation, list[ReviewTurn]]]:
        """Every saved conversation with all its turns, in the order they were saved."""
        c, s = ReviewConversation, ReviewStory
        saved = list(self.session.scalars(select(c).join(s, s.conversation_id == c.id)
                                          .order_by(s.saved_at, s.conversation_id)))
        return [(c, self.all_turns(c.id)) for c in saved]

    def all_turns(self, conversation_id: int) -> list[ReviewTurn]:
        return list(self.session.scalars(select(ReviewTurn).where(ReviewTurn.conversation_id == conversation_id)
                                         .order_by(ReviewTurn.seq)))
