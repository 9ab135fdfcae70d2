"""The review's RabbitMQ consumer against the real broker: events published the way the engine publishes them land
in the same conversations and turns as through the SQL broker; a redelivered or republished event makes no second
turn; poison is set aside without blocking what follows and without its content in the log; a consumer killed
between commit and acknowledgement loses nothing; a dropped connection is reconnected; of two consumers one reads.
Each test has a queue of its own, deleted afterwards."""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pika
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.migrate import upgrade
from bot.db.session import make_engine
from bot.runtime.model import rasa_env
from bot.settings import ROOT, get_settings
from bot.staff.review.messages import decode
from bot.staff.review.models import ReviewConversation, ReviewEventKey, ReviewTurn
from bot.staff.review.source import SQLBrokerSource
from bot.staff.review.store import ReviewStore
from tests.intake.conftest import postgres_database
from tests.staff.conftest import logged_in
from tests.staff.review.conftest import CONVERSATIONS, T0, action, bot, slot, user, write_events
from tests.staff.review.rabbit import (AMQP_URL, DroppingProxy, body, counts, delete_queues, interleaved,
                                       make_consumer, publish, require_rabbitmq, running, start, stop, unique_queue,
                                       wait_for)

TOTAL = sum(len(events) for events in CONVERSATIONS.values())
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


@pytest.fixture
def queue() -> Iterator[str]:
    require_rabbitmq()
    name = unique_queue()
    yield name
    delete_queues(AMQP_URL, name, f"{name}.poison")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request, db_url) -> Iterator[str]:
    if request.param == "sqlite":
        yield db_url
        return
    with postgres_database() as url:
        upgrade(url)
        yield url


@pytest.fixture
def sessions(db_url) -> Iterator[sessionmaker]:
    engine = make_engine(db_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


def turns_by_sender(sessions: sessionmaker) -> dict[str, list[str]]:
    with sessions() as session:
        rows = session.execute(select(ReviewConversation.sender_id, ReviewTurn.text)
                               .join(ReviewTurn, ReviewTurn.conversation_id == ReviewConversation.id)
                               .order_by(ReviewConversation.id, ReviewTurn.seq)).all()
    out: dict[str, list[str]] = {}
    for sender, text in rows:
        out.setdefault(sender, []).append(text)
    return out


def snapshot(session: Session) -> list[tuple]:
    """Everything the fold wrote, without row ids: the same events must give the same rows whatever the source."""
    c, t = ReviewConversation, ReviewTurn
    conversations = [(r.sender_id, r.channel, r.started_at, r.last_at, r.turns, r.min_confidence, r.fallback,
                      r.emergency, r.handoff, r.complaint, r.form_abandoned, r.active_form, r.requested_slot)
                     for r in session.scalars(select(c).order_by(c.sender_id, c.id))]
    turns = [(r.conversation.sender_id, r.seq, r.at, r.text, r.intent, r.confidence, r.entities, r.rule_override,
              r.danger, r.replies, r.actions, r.slots, r.form)
             for r in session.scalars(select(t).join(c, t.conversation_id == c.id).order_by(c.sender_id, t.seq))]
    return conversations + turns


def publish_through_rasa(queue: str, conversations: dict[str, list[dict]], tmp_path: Path) -> None:
    """The engine's own path: Rasa's PikaEventBroker (exchange and queue declared as the engine declares them,
    on an exchange of the test's own) fed by MaskingSQLTrackerStore._stream_new_events with Rasa Event objects."""
    events = tmp_path / "events.jsonl"
    events.write_text("".join(json.dumps([sender, event], ensure_ascii=False) + "\n"
                              for sender, event in ((s, e) for s, es in conversations.items() for e in es)))
    parts = urlsplit(AMQP_URL)
    script = """
import asyncio, json, sys
from rasa.core.brokers.pika import PikaEventBroker
from rasa.shared.core.events import Event
from engine_server.tracker_store import MaskingSQLTrackerStore
host, port, user, password, queue, path = sys.argv[1:]
async def main():
    broker = PikaEventBroker(host, user, password, port=int(port), queues=[queue], exchange_name=queue + ".exchange",
                             raise_on_failure=True, connection_attempts=1)
    await broker.connect()
    for line in open(path, encoding="utf-8"):
        sender, data = json.loads(line)
        await MaskingSQLTrackerStore._stream_new_events(None, broker, [Event.from_parameters(data)], sender)
        await asyncio.gather(*list(broker._background_tasks))
    await broker.close()
asyncio.run(main())
"""
    done = subprocess.run([str(RASA_PYTHON), "-c", script, parts.hostname, str(parts.port or 5672), parts.username,
                           parts.password, queue, str(events)], cwd=ROOT, env=rasa_env(), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    connection.channel().exchange_delete(f"{queue}.exchange")
    connection.close()


def test_events_published_by_rasas_broker_land_as_through_the_sql_broker(queue, any_url, tmp_path, db_url, caplog):
    publish_through_rasa(queue, CONVERSATIONS, tmp_path)
    assert counts(AMQP_URL, queue) == (TOTAL, 0)
    caplog.set_level(logging.INFO, logger="bot.staff.review.consumer")
    engine = make_engine(any_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    with running(make_consumer(AMQP_URL, queue, sessions)) as consumer:
        wait_for(lambda: consumer.landed == TOTAL, what="every event folded")
        wait_for(lambda: counts(AMQP_URL, queue)[0] == 0, what="the queue acknowledged")
    assert "reconnecting" not in caplog.text      # the queue Rasa declared, declared again without a conflict
    with sessions() as session:
        from_queue = snapshot(session)
        store = ReviewStore(session)
        a = session.scalars(select(ReviewConversation).where(ReviewConversation.sender_id == "web-a")).one()
        first, second = store.turns(a.id)
        assert (first.text, first.intent, first.confidence, first.replies) == ("低保怎么申请", "dibao_apply", 0.93,
                                                                                ["低保申请要……"])
        assert second.text == "我电话139****5678" and a.min_confidence == 0.41
        flags = {c.sender_id: c for c in session.scalars(select(ReviewConversation))}
        assert flags["wx-b"].emergency and flags["web-c"].fallback and flags["web-c"].handoff
        assert flags["web-d"].form_abandoned and not flags["web-e"].form_abandoned
    engine.dispose()
    # the same events through the SQL broker (another database): the same rows, one fold
    events_db = tmp_path / "events.db"
    write_events(events_db, CONVERSATIONS)
    other_url = db_url if any_url != db_url else f"sqlite:///{tmp_path / 'other.db'}"
    if other_url != db_url:
        upgrade(other_url)
    other = make_engine(other_url)
    with Session(other, expire_on_commit=False) as session:
        ReviewStore(session).sync(SQLBrokerSource(f"sqlite:///{events_db}"))
        session.commit()
        assert snapshot(session) == from_queue and len(from_queue) > TOTAL / 2
    other.dispose()


def test_a_redelivered_or_republished_event_makes_no_second_turn(queue, sessions):
    bodies = interleaved(CONVERSATIONS)
    publish(AMQP_URL, queue, bodies + bodies[:3])            # the engine republishing what it thought unsent
    consumer = make_consumer(AMQP_URL, queue, sessions, prefetch=10)
    acks = {"refused": 0}
    real_handle = consumer.handle

    def commit_then_lose_the_connection(channel, batch):    # folded and committed, never acknowledged: redelivered
        if acks["refused"] < 2:
            consumer.land([decode(d.body) for d in batch])
            acks["refused"] += 1
            raise ConnectionError("lost before the ack")
        real_handle(channel, batch)

    consumer.handle = commit_then_lose_the_connection
    with running(consumer):
        wait_for(lambda: counts(AMQP_URL, queue)[0] == 0 and consumer.landed == TOTAL, what="all acknowledged")
    assert acks["refused"] == 2 and consumer.landed == TOTAL
    assert counts(AMQP_URL, f"{queue}.poison")[0] == 0
    texts = turns_by_sender(sessions)
    assert texts["web-a"] == ["低保怎么申请", "我电话139****5678"] and texts["web-c"] == ["嗯嗯那个", "找人工"]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ReviewTurn)) == 9
        assert session.scalar(select(func.count()).select_from(ReviewEventKey)) == TOTAL
        a = session.scalars(select(ReviewTurn).where(ReviewTurn.text == "低保怎么申请")).one()
        assert a.replies == ["低保申请要……"]                  # the bot's reply once, not once per delivery


def test_poison_is_set_aside_without_blocking_and_without_its_content_in_the_log(queue, sessions, caplog):
    secret = "13912345678-秘密"
    poison = [b"\xff\xfe not utf-8", f"not json {secret}".encode(), json.dumps([secret]).encode(),
              json.dumps({"event": "user", "text": secret}).encode(),                      # no sender_id
              body("web-p", {"event": "user", "text": secret, "parse_data": {"intent": secret}}),  # wrong shape
              body("web-p", {"event": "slot", "name": "requested_slot", "value": [secret], "timestamp": T0}),
              body("web-p", {"event": "user", "text": secret, "timestamp": "yesterday"})]
    good = [body("web-g", user("第一句", "greet", 0.9, T0)), body("web-g", bot("您好", T0 + 1)),
            body("web-g", user("第二句", "ask", 0.8, T0 + 2))]
    publish(AMQP_URL, queue, [good[0], *poison, good[1], good[2]])
    caplog.set_level(logging.INFO, logger="bot.staff.review.consumer")
    with running(make_consumer(AMQP_URL, queue, sessions)) as consumer:
        wait_for(lambda: consumer.landed == 3, what="the good events after the poison")
        wait_for(lambda: counts(AMQP_URL, queue)[0] == 0, what="the queue acknowledged")
    assert turns_by_sender(sessions) == {"web-g": ["第一句", "第二句"]}
    assert counts(AMQP_URL, f"{queue}.poison")[0] == len(poison)     # kept for a look, not requeued
    rejected = [r.getMessage() for r in caplog.records if "rejected" in r.getMessage()]
    assert len(rejected) == len(poison)
    assert secret not in caplog.text and "1391234" not in caplog.text and "秘密" not in caplog.text
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    method, properties, kept = connection.channel().basic_get(f"{queue}.poison", auto_ack=True)
    connection.close()
    assert kept == poison[0] and properties.headers["x-jiuzhu-reason"] == "not UTF-8 JSON"
    assert properties.expiration == str(180 * 86_400_000)            # kept no longer than RETENTION_DAYS


def test_on_postgresql_an_event_the_database_refuses_is_set_aside_alone(queue):
    """Text with a NUL passes the shape check but PostgreSQL refuses it: the batch is folded again one event at a
    time, and only that event is set aside."""
    require_rabbitmq()
    with postgres_database() as url:
        upgrade(url)
        engine = make_engine(url)
        sessions = sessionmaker(engine, expire_on_commit=False)
        publish(AMQP_URL, queue, [body("web-n", user("前", "greet", 0.9, T0)), body("web-n", user("a\x00b", "x", 0.5,
                                                                                                    T0 + 1)),
                                  body("web-n", user("后", "ask", 0.8, T0 + 2))])
        with running(make_consumer(AMQP_URL, queue, sessions)) as consumer:
            wait_for(lambda: counts(AMQP_URL, f"{queue}.poison")[0] == 1 and consumer.landed == 2,
                     what="the refused event set aside")
        assert turns_by_sender(sessions) == {"web-n": ["前", "后"]}
        engine.dispose()


def test_a_consumer_killed_between_commit_and_ack_loses_nothing(queue, sessions, db_url):
    """A real process dies (os._exit, like SIGKILL: no clean-up) right after committing its first batch; the
    broker puts the unacknowledged messages back, the next consumer folds the rest and skips what was done."""
    bodies = interleaved(CONVERSATIONS)
    publish(AMQP_URL, queue, bodies)
    script = """
import os, sys
from pika.adapters.blocking_connection import BlockingChannel
from sqlalchemy.orm import sessionmaker
from bot.db.session import make_engine
from bot.staff.review.consumer import ReviewConsumer
BlockingChannel.basic_ack = lambda *a, **k: os._exit(9)       # committed, then killed before the ack
url, queue, db = sys.argv[1:]
ReviewConsumer(url, queue, sessionmaker(make_engine(db)), prefetch=16, batch_wait_s=0.2).run()
"""
    done = subprocess.run([sys.executable, "-c", script, AMQP_URL, queue, db_url], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 9, done.stderr[-2000:]
    with sessions() as session:
        first = session.scalar(select(func.count()).select_from(ReviewEventKey))
    assert first == 8                                             # one batch committed before the kill
    wait_for(lambda: counts(AMQP_URL, queue) == (TOTAL, 0), what="the unacknowledged batch back in the queue")
    with running(make_consumer(AMQP_URL, queue, sessions)) as consumer:
        wait_for(lambda: counts(AMQP_URL, queue)[0] == 0 and consumer.landed == TOTAL - first, what="the rest")
    expected = {s: [e["text"] for e in events if e["event"] == "user"] for s, events in CONVERSATIONS.items()}
    assert turns_by_sender(sessions) == expected
    assert counts(AMQP_URL, f"{queue}.poison")[0] == 0            # skipped as known, not refused as poison


def test_reconnects_with_backoff_when_rabbitmq_goes_away(queue, sessions, caplog):
    parts = urlsplit(AMQP_URL)
    proxy = DroppingProxy((parts.hostname, parts.port or 5672))
    caplog.set_level(logging.INFO, logger="bot.staff.review.consumer")
    try:
        with running(make_consumer(proxy.url(AMQP_URL), queue, sessions)) as consumer:
            publish(AMQP_URL, queue, [body("web-r", user("断开前", "greet", 0.9, T0))])
            wait_for(lambda: consumer.landed == 1, what="the first event")
            proxy.drop()
            publish(AMQP_URL, queue, [body("web-r", user("断开时", "ask", 0.9, T0 + 1))])
            wait_for(lambda: "reconnecting" in caplog.text, what="the consumer noticing")
            assert consumer.landed == 1
            proxy.resume()
            wait_for(lambda: consumer.landed == 2, what="the event sent while RabbitMQ was away")
            publish(AMQP_URL, queue, [body("web-r", user("恢复后", "ask", 0.9, T0 + 2))])
            wait_for(lambda: consumer.landed == 3, what="the next event")
        assert proxy.accepted >= 2
        assert turns_by_sender(sessions) == {"web-r": ["断开前", "断开时", "恢复后"]}
    finally:
        proxy.close()


def test_reconnects_when_the_broker_closes_the_connection(queue, sessions, caplog):
    """What a RabbitMQ restart does to its clients (connection.close 320 CONNECTION_FORCED), to this consumer's
    connection only (rabbitmqctl, root on the machine where RabbitMQ runs)."""
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("rabbitmqctl is not on this machine")
    caplog.set_level(logging.INFO, logger="bot.staff.review.consumer")
    name = f"jiuzhu review consumer ({queue})"

    def close_ours() -> bool:
        listed = subprocess.run(["rabbitmqctl", "list_connections", "-q", "pid", "client_properties"],
                                capture_output=True, text=True, timeout=30).stdout.splitlines()
        pids = [line.split("\t")[0] for line in listed if name in line]
        for pid in pids:
            subprocess.run(["rabbitmqctl", "close_connection", pid, "restart"], capture_output=True, timeout=30)
        return bool(pids)

    with running(make_consumer(AMQP_URL, queue, sessions)) as consumer:
        publish(AMQP_URL, queue, [body("web-k", user("重启前", "greet", 0.9, T0))])
        wait_for(lambda: consumer.landed == 1, what="the first event")
        assert close_ours(), "the consumer's connection, by its name"
        wait_for(lambda: "reconnecting" in caplog.text, what="the consumer noticing")
        publish(AMQP_URL, queue, [body("web-k", user("重启后", "ask", 0.9, T0 + 1))])
        wait_for(lambda: consumer.landed == 2, what="the event after the reconnect")
    assert turns_by_sender(sessions) == {"web-k": ["重启前", "重启后"]}


def test_of_two_consumers_one_reads_and_the_other_takes_over(queue, sessions, caplog):
    """Several app instances each run a consumer: the queue is consumed exclusively, so one folds (in order), the
    other stands by and takes over when the first stops."""
    caplog.set_level(logging.INFO, logger="bot.staff.review.consumer")
    first, second = make_consumer(AMQP_URL, queue, sessions), make_consumer(AMQP_URL, queue, sessions)
    publish(AMQP_URL, queue, [])                                  # the queue, declared as the engine declares it
    first_thread = start(first)
    wait_for(lambda: counts(AMQP_URL, queue)[1] == 1, what="the first consumer")
    second_thread = start(second)
    try:
        wait_for(lambda: "standing by" in caplog.text, what="the second standing by")
        publish(AMQP_URL, queue, interleaved({"web-x": [user(f"第{i}句", "ask", 0.9, T0 + i) for i in range(20)]}))
        wait_for(lambda: first.landed == 20, what="the first folding")
        assert second.landed == 0 and counts(AMQP_URL, queue)[1] == 1
        stop(first, first_thread)                                 # an app instance goes away
        publish(AMQP_URL, queue, [body("web-x", user("接班后", "ask", 0.9, T0 + 50))])
        wait_for(lambda: second.landed == 1, what="the second taking over")
    finally:
        stop(first, first_thread)
        stop(second, second_thread)
    assert turns_by_sender(sessions) == {"web-x": [f"第{i}句" for i in range(20)] + ["接班后"]}


def test_the_review_page_on_rabbitmq_reads_no_sql_broker(monkeypatch, request, users, db, queue, sessions):
    monkeypatch.setenv("EVENT_BROKER_URL", AMQP_URL)
    monkeypatch.setenv("EVENT_BROKER_QUEUE", queue)
    app = request.getfixturevalue("app")
    assert app.state.services.settings.events_on_rabbitmq
    publish(AMQP_URL, queue, interleaved(CONVERSATIONS))
    with running(make_consumer(AMQP_URL, queue, sessions)) as consumer:
        wait_for(lambda: consumer.landed == TOTAL, what="the events")
    with logged_in(app, users["reviewer"]) as client:
        page = client.get("/console/review")
    assert page.status_code == 200 and "共 5 个会话" in page.text
    assert getattr(app.state, "review_source", None) is None


def test_the_engine_is_told_the_queue_and_the_stack_runs_the_consumer():
    from bot.runtime.endpoints import event_broker
    from bot.runtime.stack import Stack

    settings = replace(get_settings(), event_broker_url="amqp://u:p@mq:5673/", event_broker_queue="q_1")
    assert event_broker(settings.event_broker_url, settings.event_broker_queue)["queues"] == ["q_1"]
    env = Stack(settings).child_env("review")
    assert env["EVENT_BROKER_QUEUE"] == "q_1" and env["EVENT_BROKER_URL"] == "amqp://u:p@mq:5673/"
    assert not {"ENGINE_TOKEN", "SERVICE_TOKEN", "ACTIONS_TOKEN", "WEBCHAT_SECRET"} & set(env)
    assert settings.events_on_rabbitmq and not replace(settings, event_broker_url="sqlite:///x.db").events_on_rabbitmq


def test_bot_review_consume_killed_anywhere_and_started_again_folds_each_event_once(queue, sessions, db_url):
    """The real command, SIGKILLed wherever it is once it has committed something, then started again and stopped
    with SIGTERM (what `bot serve` sends): every conversation once, each reply once, nothing left in the queue."""
    count = 500
    publish(AMQP_URL, queue, interleaved({f"web-k{n:03d}": [user(f"问题{n}", "ask", 0.9, T0 + n), bot(f"回答{n}", T0 + n + .1),
                                                            action("utter_x", T0 + n + .2), slot("s", n, T0 + n + .3)]
                                          for n in range(count)}), confirm=False)
    wait_for(lambda: counts(AMQP_URL, queue)[0] == 4 * count, what="the events in the queue")
    env = {**os.environ, "DATABASE_URL": db_url, "EVENT_BROKER_URL": AMQP_URL, "EVENT_BROKER_QUEUE": queue,
           "REVIEW_PREFETCH": "40", "REVIEW_BATCH_WAIT_S": "0.1"}

    def keys() -> int:
        with sessions() as session:
            return session.scalar(select(func.count()).select_from(ReviewEventKey))

    command = [sys.executable, "-m", "bot.cli", "review", "consume"]
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for(lambda: keys() > 0, what="a first commit")
    first.kill()
    assert first.wait(timeout=10) == -signal.SIGKILL
    assert keys() < 4 * count, "killed before the end"
    second = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: keys() == 4 * count and counts(AMQP_URL, queue)[0] == 0, timeout_s=60, what="the rest")
    finally:
        second.send_signal(signal.SIGTERM)
        _, log = second.communicate(timeout=20)
    assert second.returncode == 0, log.decode()[-2000:]
    assert "问题" not in log.decode() and "回答" not in log.decode()
    with sessions() as session:
        turns = session.scalars(select(ReviewTurn)).all()
    assert len(turns) == count and all(t.replies == [t.text.replace("问题", "回答")] for t in turns)
    assert counts(AMQP_URL, f"{queue}.poison")[0] == 0
