"""Production's event path end to end: `bot serve`'s stack with EVENT_BROKER_URL amqp:// (its own queue and
exchange on the real RabbitMQ) — a resident's web chat through the live engine, whose Rasa PikaEventBroker
publishes the masked events, landed in the review tables by the `bot review consume` process the stack started."""
from __future__ import annotations

import time
from dataclasses import replace

import httpx
import pika
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.session import make_engine
from bot.runtime.stack import Stack
from bot.staff.review.models import ReviewConversation, ReviewTurn
from tests.conftest import free_port
from tests.staff.review.rabbit import AMQP_URL, counts, delete_queues, require_rabbitmq, unique_queue

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def queue_stack(tmp_path_factory):
    require_rabbitmq()
    var = tmp_path_factory.mktemp("queue-stack")
    queue = unique_queue()
    settings = replace(get_stack_settings(), app_port=free_port(), engine_port=free_port(), actions_port=free_port(),
                       database_url=f"sqlite:///{var / 'app.db'}", tracker_store_url=f"sqlite:///{var / 'tracker.db'}",
                       event_broker_url=AMQP_URL, event_broker_queue=queue, event_broker_exchange=f"{queue}.exchange",
                       review_batch_wait_s=0.2)
    stack = Stack(settings)
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
        delete_queues(AMQP_URL, queue, f"{queue}.poison")
        connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
        connection.channel().exchange_delete(f"{queue}.exchange")
        connection.close()


def get_stack_settings():
    from bot.settings import get_settings

    return replace(get_settings(), env="test", lock_store_url="", engine_url_setting="", app_url_setting="",
                   wechat_api_base="", rate_limit_factor=50)


def test_a_web_chat_reaches_the_review_through_rabbitmq(queue_stack):
    s = queue_stack.settings
    assert "review" in queue_stack.procs and queue_stack.procs["review"].poll() is None
    url = f"http://127.0.0.1:{s.app_port}"
    token = httpx.post(f"{url}/api/chat/session", timeout=10).json()["sender"]
    sender = f"web-{token.split('.')[0]}"
    for text in ("低保怎么申请", "我的电话是13912345678"):
        assert httpx.post(f"{url}/api/chat", json={"sender": token, "text": text}, timeout=60).status_code == 200
    engine = make_engine(s.database_url)
    deadline = time.monotonic() + 30
    try:
        while True:
            with Session(engine) as session:
                turns = session.scalars(select(ReviewTurn).join(ReviewConversation)
                                        .where(ReviewConversation.sender_id == sender).order_by(ReviewTurn.seq)).all()
                if len(turns) == 2 and turns[1].replies or time.monotonic() > deadline:
                    break
            time.sleep(0.3)
    finally:
        engine.dispose()
    assert [t.text for t in turns][:1] == ["低保怎么申请"], "the consumer landed the engine's events"
    assert turns[0].intent and 0 < turns[0].confidence <= 1 and turns[0].replies
    assert "13912345678" not in turns[1].text and "5678" in turns[1].text
    assert counts(AMQP_URL, s.event_broker_queue) == (0, 1)         # all acknowledged, one consumer
