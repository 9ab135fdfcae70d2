"""RabbitMQ helpers of the review queue tests (the real broker on 127.0.0.1:5672, or TEST_AMQP_URL): a queue of
the test's own, messages published the way the engine's broker publishes them, a consumer run in a thread, and a
TCP proxy that can drop every connection (RabbitMQ going away without stopping the broker others use)."""
from __future__ import annotations

import json
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pika
import pytest
from sqlalchemy.orm import sessionmaker

from bot.staff.review.consumer import ReviewConsumer

AMQP_URL = os.environ.get("TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")


def require_rabbitmq() -> None:
    parts = urlsplit(AMQP_URL)
    try:
        socket.create_connection((parts.hostname, parts.port or 5672), timeout=2).close()
    except OSError:
        pytest.fail(f"RabbitMQ is not reachable at {parts.hostname}:{parts.port or 5672} (TEST_AMQP_URL)")


def unique_queue() -> str:
    return f"jiuzhu_events_test_{secrets.token_hex(5)}"


def delete_queues(url: str, *queues: str) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    for queue in queues:
        channel.queue_delete(queue)
    connection.close()


def body(sender: str, event: dict) -> bytes:
    """What Rasa's PikaEventBroker sends for one event of engine_server/tracker_store.py: json.dumps (ASCII
    escapes) of {"sender_id", **event.as_dict()}, UTF-8."""
    return json.dumps({"sender_id": sender, **event}).encode("utf-8")


def publish(url: str, queue: str, bodies: list[bytes], confirm: bool = True) -> None:
    """Persistent messages straight into `queue` (the default exchange: the tests never touch the fanout
    exchange, whose other queues belong to running engines); each confirmed unless `confirm` is off (a bench
    then waits for the queue's count)."""
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.queue_declare(queue, durable=True)
    if confirm:
        channel.confirm_delivery()
    for data in bodies:
        channel.basic_publish("", queue, data, pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent))
    connection.close()


def interleaved(conversations: dict[str, list[dict]]) -> list[bytes]:
    """One event of each conversation in turn, as a busy engine publishes them."""
    queues = {sender: list(events) for sender, events in conversations.items()}
    out = []
    while any(queues.values()):
        for sender, events in queues.items():
            if events:
                out.append(body(sender, events.pop(0)))
    return out


def counts(url: str, queue: str) -> tuple[int, int]:
    """(ready messages, consumers) of a queue, by a passive declare; (0, 0) while nobody has declared it."""
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        frame = connection.channel().queue_declare(queue, passive=True)
        return frame.method.message_count, frame.method.consumer_count
    except pika.exceptions.ChannelClosedByBroker as exc:
        if exc.reply_code == 404:
            return 0, 0
        raise
    finally:
        if connection.is_open:
            connection.close()


def wait_for(condition: Callable[[], bool], timeout_s: float = 20, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def start(consumer: ReviewConsumer) -> threading.Thread:
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    return thread


def stop(consumer: ReviewConsumer, thread: threading.Thread) -> None:
    consumer.stop.set()
    thread.join(timeout=15)
    assert not thread.is_alive(), "the consumer did not stop"


@contextmanager
def running(consumer: ReviewConsumer) -> Iterator[ReviewConsumer]:
    thread = start(consumer)
    try:
        yield consumer
    finally:
        stop(consumer, thread)


def make_consumer(url: str, queue: str, sessions: sessionmaker, **kw) -> ReviewConsumer:
    return ReviewConsumer(url, queue, sessions, **{"prefetch": 50, "batch_wait_s": 0.1, "reconnect_max_s": 1.0,
                                                   **kw})


class DroppingProxy:
    """127.0.0.1:<port> → the broker; `drop()` closes every connection through it and refuses new ones until
    `resume()`: to the consumer, RabbitMQ went away and came back."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.sockets: list[socket.socket] = []
        self.accepted = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
                self.accepted += 1
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def drop(self) -> None:
        self.open.clear()
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
            self.sockets.clear()

    def resume(self) -> None:
        self.open.set()

    def close(self) -> None:
        self.drop()
        self.server.close()

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        return parts._replace(netloc=f"{parts.username}:{parts.password}@127.0.0.1:{self.port}").geturl()
