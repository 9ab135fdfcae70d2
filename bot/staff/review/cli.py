"""`bot review export [--nlu-dir nlu_data] [--date YYYY-MM-DD]`: corrected turns → nlu_data/review/<date>.yml;
duplicates dropped, conflicts and texts with personal data listed and left out; recorded in the audit log.
`bot review sync`: read every new broker event into the review tables (the list page reads 2,000 at a time).
`bot review consume`: with EVENT_BROKER_URL amqp://…, land the engine's RabbitMQ queue in the review tables until
stopped (SIGTERM/Ctrl-C); `bot serve` runs it as its own process."""
from __future__ import annotations

import argparse
import logging
from datetime import date
from pathlib import Path

from bot.settings import ROOT

HELD_OUT = ROOT / "tests" / "data" / "heldout"  # make eval's held-out utterances: never exported


def export(nlu_dir: Path, day: date, held_out: Path = HELD_OUT) -> int:
    from bot.db.session import session_scope
    from bot.staff import audit
    from bot.staff.review.export import Correction, existing_examples, held_out_texts, select, write
    from bot.staff.review.store import ReviewStore

    out_dir = nlu_dir / "review"
    with session_scope() as db:
        turns = ReviewStore(db).corrected_turns()
        corrections = [Correction(t.text, t.corrected_intent or "", f"review:{t.conversation_id}#{t.seq}")
                       for t in turns]
        result = select(corrections, existing_examples(nlu_dir, skip=out_dir / f"{day.isoformat()}.yml"),
                        held_out_texts(held_out))
        path = write(result, out_dir, day)
        audit.record(db, "(命令行)", audit.EXPORT, "review:nlu",
                     f"会话审阅导出训练数据 {result.count} 条，冲突 {len(result.conflicts)}，重复 {len(result.duplicates)}，"
                     f"含个人信息未导出 {len(result.personal)}，评测集语句未导出 {len(result.held_out)}")
    for c, other in result.conflicts:
        print(f"CONFLICT {c.where}: {c.text!r} corrected to {c.intent}, already an example of {other} (left out)")
    for c in result.held_out:
        print(f"HELDOUT {c.where}: {c.text!r} is a held-out evaluation utterance (left out)")
    for c in result.personal:
        print(f"PERSONAL {c.where}: personal data or mark-up in the text (left out)")
    print(f"{result.count} examples in {len(result.examples)} intents → {path or '(nothing written)'}; "
          f"{len(result.duplicates)} duplicates dropped, {len(result.conflicts)} conflicts, "
          f"{len(result.personal)} with personal data and {len(result.held_out)} held-out utterances left out")
    return 0


def sync() -> int:
    from bot.db.session import session_scope
    from bot.settings import get_settings
    from bot.staff.review.source import SQLBrokerSource
    from bot.staff.review.store import ReviewStore

    if get_settings().events_on_rabbitmq:
        print("EVENT_BROKER_URL is amqp://…: the events come from RabbitMQ (bot review consume, run by bot serve)")
        return 2
    source, total = SQLBrokerSource(get_settings().event_broker_url), 0
    while True:
        with session_scope() as db:
            done = ReviewStore(db).sync(source)
        total += done
        if not done:
            break
    source.close()
    print(f"{total} broker events read into the review tables")
    return 0


def consume() -> int:
    import signal

    from bot.db.session import get_sessionmaker
    from bot.settings import get_settings
    from bot.staff.review.consumer import ReviewConsumer

    s = get_settings()
    if not s.events_on_rabbitmq:
        print("EVENT_BROKER_URL is not amqp://…: the review reads the SQL broker (bot review sync)")
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pika").setLevel(logging.ERROR)   # its warnings repeat ours (a standby's refusal, a reconnect)
    consumer = ReviewConsumer(s.event_broker_url, s.event_broker_queue, get_sessionmaker(), prefetch=s.review_prefetch,
                              batch_wait_s=s.review_batch_wait_s, reconnect_max_s=s.review_reconnect_max_s,
                              key_days=s.review_key_days, retention_days=s.retention_days)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: consumer.stop.set())
    consumer.run()
    logging.getLogger(__name__).info("review consumer: stopped after %d new events", consumer.landed)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.action == "sync":
        return sync()
    if args.action == "consume":
        return consume()
    day = date.fromisoformat(args.date) if args.date else date.today()
    return export(Path(args.nlu_dir), day)


def add_parser(sub: argparse._SubParsersAction) -> None:
    review = sub.add_parser("review", help="conversation review (会话审阅)")
    review.add_argument("action", choices=["export", "sync", "consume"])
    review.add_argument("--nlu-dir", default=str(ROOT / "nlu_data"), help="training data folder (default nlu_data)")
    review.add_argument("--date", help="the file's date (default today)")
    review.set_defaults(func=run)

