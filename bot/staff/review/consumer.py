"""`bot review consume`: the engine's events from RabbitMQ (queue EVENT_BROKER_QUEUE, which Rasa's PikaEventBroker
declares durable and binds to its fanout exchange) into the review tables, through the same `ReviewStore` fold
as the SQL broker.

- At least once: a batch (half of REVIEW_PREFETCH, or what came in REVIEW_BATCH_WAIT_S) is folded and
  committed, then acknowledged; a crash in between brings the batch again, and the store's event keys make
  the second copy a no-op.
- One active consumer: `basic.consume` is exclusive, so of several app instances one reads the queue in order
  (per conversation, events are folded in the order the engine published them); the others stand by, retrying,
  and take over when its connection drops (its unacknowledged messages go back to the queue's head).
- Poison (not JSON, not an event the fold can read): logged by category and size only, copied to
  `<queue>.poison` (ours, so Rasa's declaration of the queue is left as it is: a dead-letter argument would
  conflict with it; the newest 10,000, each for RETENTION_DAYS) and rejected without requeue; the messages
  after it go on.
- RabbitMQ or the database gone: the unacknowledged batch goes back to the queue, and the consumer reconnects
  after 1, 2, 4 … REVIEW_RECONNECT_MAX_S seconds (with jitter).

Never logs an event's text: only counts, delivery tags, sizes and error classes.
"""
from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pika.exceptions import AMQPError, ChannelClosedByBroker
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.staff.review.messages import Poison, decode
from bot.staff.review.store import ReviewStore

logger = logging.getLogger(__name__)
POISON_KEPT = 10000        # newest poison messages kept for a look (x-max-length of <queue>.poison)
PRUNE_EVERY_S = 3600.0
ACCESS_REFUSED = 403       # another consumer holds the queue exclusively


class Standby(Exception):
    """Another consumer reads the queue; this one waits its turn."""


class Cancelled(Exception):
    """The broker ended the consumer (the queue was deleted): connect and declare it again."""


def content_error(exc: BaseException) -> bool:
    """Caused by what a message holds (so the same message fails again), not by the database being away."""
    if isinstance(exc, DBAPIError):
        return isinstance(exc, (DataError, IntegrityError))
    return isinstance(exc, (StatementError, TypeError, ValueError, KeyError, AttributeError, OverflowError))


def described(exc: BaseException) -> str:
    """The error's class, and the broker's reply (a code and a text about queues, never a message's content); a
    database error's text is left out: it may quote the values of the statement."""
    reply = getattr(exc, "reply_code", None)
    return f"{exc.__class__.__name__} {reply} {getattr(exc, 'reply_text', '')}" if reply else exc.__class__.__name__


@dataclass
class Delivery:
    tag: int
    body: bytes
    decoded: tuple | None = None


@dataclass
class ReviewConsumer:
    url: str
    queue: str
    sessions: Callable[[], Session]
    prefetch: int = 500
    batch_wait_s: float = 0.5
    reconnect_max_s: float = 30.0
    key_days: int = 7
    retention_days: int = 180  # RETENTION_DAYS: a poison copy may hold what a resident said (masked)
    stop: threading.Event = field(default_factory=threading.Event)
    landed: int = 0            # events folded (new ones) since start; duplicates and poison not counted
    _delay: float = 1.0
    _pruned_at: float = 0.0

    @property
    def batch_size(self) -> int:
        """Half the prefetch window: RabbitMQ keeps sending the next half while this one is folded."""
        return max(1, self.prefetch // 2)

    @property
    def poison_queue(self) -> str:
        return f"{self.queue}.poison"

    # ---- the loop ---------------------------------------------------------------------------------------
    def run(self) -> None:
        """Consume until `stop` is set; reconnect with backoff on any failure of RabbitMQ or the database."""
        standing_by = False
        while not self.stop.is_set():
            try:
                self.consume()
                standing_by = False
            except Standby:
                if not standing_by:
                    logger.info("review consumer: another consumer reads %s; standing by", self.queue)
                standing_by = True
            except Exception as exc:   # a broker, network or database failure: the batch is redelivered
                logger.warning("review consumer: %s; reconnecting in %.0f s", described(exc), self._delay)
                standing_by = False
            if self.stop.wait(self._delay * random.uniform(0.8, 1.2)):
                break
            self._delay = min(self._delay * 2, self.reconnect_max_s)

    def parameters(self) -> pika.URLParameters:
        params = pika.URLParameters(self.url)
        params.connection_attempts = 1          # retries are ours, with backoff
        params.socket_timeout = 5
        params.blocked_connection_timeout = 60
        params.client_properties = {"connection_name": f"jiuzhu review consumer ({self.queue})"}  # for operators
        return params

    def consume(self) -> None:
        connection = pika.BlockingConnection(self.parameters())
        try:
            channel = connection.channel()
            channel.queue_declare(self.queue, durable=True)   # as Rasa declares it: no arguments to conflict
            channel.queue_declare(self.poison_queue, durable=True, arguments={"x-max-length": POISON_KEPT})
            channel.confirm_delivery()                        # a poison copy is in its queue before the reject
            channel.basic_qos(prefetch_count=self.prefetch)
            self._consume(channel)
        except ChannelClosedByBroker as exc:
            if exc.reply_code == ACCESS_REFUSED:
                raise Standby() from exc
            raise
        finally:
            if connection.is_open:
                try:
                    connection.close()                        # what was not acknowledged goes back to the queue
                except AMQPError:
                    pass

    def _consume(self, channel: BlockingChannel) -> None:
        batch: list[Delivery] = []
        started = 0.0
        logger.info("review consumer: reading %s (prefetch %d)", self.queue, self.prefetch)
        for method, _properties, body in channel.consume(self.queue, exclusive=True,
                                                         inactivity_timeout=self.batch_wait_s):
            self._delay = 1.0
            if method is not None:
                started = started if batch else time.monotonic()
                batch.append(Delivery(method.delivery_tag, body))
            if batch and (method is None or len(batch) >= self.batch_size
                          or time.monotonic() - started >= self.batch_wait_s):
                self.handle(channel, batch)
                batch = []
            if self.stop.is_set():
                if batch:
                    self.handle(channel, batch)
                channel.cancel()
                return
            if method is None:
                self.prune()
        raise Cancelled()

    # ---- one batch --------------------------------------------------------------------------------------
    def handle(self, channel: BlockingChannel, batch: list[Delivery]) -> None:
        """Fold, commit, then acknowledge: nothing is acknowledged that is not in the database."""
        good = []
        for delivery in batch:
            try:
                delivery.decoded = decode(delivery.body)
                good.append(delivery)
            except Poison as poison:
                self.set_aside(channel, delivery, poison.reason)
        if not good:
            return
        try:
            self.land([d.decoded for d in good])
        except Exception as exc:
            if not content_error(exc):
                raise
            logger.warning("review consumer: a batch of %d failed (%s); folding one at a time", len(good),
                           exc.__class__.__name__)
            good = self._one_by_one(channel, good)
        if good:
            # every delivery up to this tag is settled by it: the batch's poison was rejected already
            channel.basic_ack(max(d.tag for d in good), multiple=True)

    def _one_by_one(self, channel: BlockingChannel, batch: list[Delivery]) -> list[Delivery]:
        good = []
        for delivery in batch:
            try:
                self.land([delivery.decoded])
                good.append(delivery)
            except Exception as exc:
                if not content_error(exc):
                    raise
                self.set_aside(channel, delivery, f"the fold failed: {exc.__class__.__name__}")
        return good

    def land(self, items: list[tuple]) -> None:
        with self.sessions() as session:
            self.landed += ReviewStore(session).add_delivered(items)
            session.commit()

    def set_aside(self, channel: BlockingChannel, delivery: Delivery, reason: str) -> None:
        logger.warning("review consumer: message %d rejected (%s, %d bytes), copied to %s", delivery.tag, reason,
                       len(delivery.body), self.poison_queue)
        channel.basic_publish("", self.poison_queue, delivery.body,
                              pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent,
                                                   # per message, not a queue argument: follows RETENTION_DAYS
                                                   expiration=str(self.retention_days * 86_400_000),
                                                   headers={"x-jiuzhu-reason": reason, "x-jiuzhu-from": self.queue}))
        channel.basic_reject(delivery.tag, requeue=False)

    def prune(self) -> None:
        """When idle, at most hourly: event keys older than REVIEW_KEY_DAYS go."""
        if time.monotonic() - self._pruned_at < PRUNE_EVERY_S:
            return
        self._pruned_at = time.monotonic()
        with self.sessions() as session:
            gone = ReviewStore(session).forget_keys(utcnow() - timedelta(days=self.key_days))
            session.commit()
        if gone:
            logger.info("review consumer: %d event keys older than %d days removed", gone, self.key_days)
