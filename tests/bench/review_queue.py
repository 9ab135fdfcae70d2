"""Throughput of the review's RabbitMQ consumer (`bot review consume`): events published the way the engine
publishes them (interleaved conversations of a user message, the bot's reply, an action and a slot) into a
queue of the run's own, then the time from the consumer's start until every event is folded, committed and
acknowledged. Each round has a fresh queue and a fresh migrated database; the median of the rounds is printed.

    .venv/bin/python -m tests.bench.review_queue [--events 20000] [--rounds 3] [--prefetch 500] [--postgresql]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from bot.db.migrate import upgrade
from bot.db.session import make_engine
from tests.staff.review.conftest import T0, action, bot, slot, user
from tests.staff.review.rabbit import (AMQP_URL, counts, delete_queues, interleaved, make_consumer, publish,
                                       require_rabbitmq, running, unique_queue, wait_for)

PER_CONVERSATION = 4


def conversations(events: int) -> dict[str, list[dict]]:
    out = {}
    for n in range(events // PER_CONVERSATION):
        t = T0 + n
        out[f"web-bench{n:06d}"] = [user("低保怎么申请，我家三口人", "dibao_apply", 0.91, t), bot("低保申请要……", t + 0.1),
                                    action("utter_dibao_apply", t + 0.2), slot("programme", "dibao", t + 0.3)]
    return out


@contextmanager
def fresh_database(postgresql: bool) -> Iterator[str]:
    if postgresql:
        from tests.intake.conftest import postgres_database

        with postgres_database() as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite:///{Path(tmp) / 'app.db'}"


def one_round(events: int, prefetch: int, postgresql: bool) -> float:
    queue = unique_queue()
    with fresh_database(postgresql) as url:
        upgrade(url)
        engine = make_engine(url)
        bodies = interleaved(conversations(events))
        publish(AMQP_URL, queue, bodies, confirm=False)
        total = len(bodies)
        wait_for(lambda: counts(AMQP_URL, queue)[0] == total, timeout_s=120, what="the events in the queue")
        started = time.perf_counter()
        try:
            with running(make_consumer(AMQP_URL, queue, sessionmaker(engine), prefetch=prefetch,
                                       batch_wait_s=0.5)) as consumer:
                wait_for(lambda: consumer.landed == total and counts(AMQP_URL, queue)[0] == 0, timeout_s=600,
                         what="every event")
                elapsed = time.perf_counter() - started
        finally:
            delete_queues(AMQP_URL, queue, f"{queue}.poison")
            engine.dispose()
    return total / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--prefetch", type=int, default=500)
    parser.add_argument("--postgresql", action="store_true", help="a fresh PostgreSQL database each round "
                                                                     "(tests/intake/conftest.py's server)")
    args = parser.parse_args()
    require_rabbitmq()
    rates = [one_round(args.events, args.prefetch, args.postgresql) for _ in range(args.rounds)]
    print(f"review consumer: {args.events} events, prefetch {args.prefetch}, "
          f"{'PostgreSQL' if args.postgresql else 'SQLite'}: "
          f"{', '.join(f'{r:,.0f}' for r in rates)} events/s; median {statistics.median(rates):,.0f} events/s")


if __name__ == "__main__":
    main()
