"""`bot review export [--nlu-dir nlu_data] [--date YYYY-MM-DD]`: corrected turns and the 12345 agents' corrected
wrap-ups → nlu_data/review/<date>.yml;
duplicates dropped, conflicts and texts with personal data listed and left out; recorded in the audit log.
`bot review stories [--stories-dir tests/stories/review] [--date YYYY-MM-DD]`: the conversations reviewers saved as
test stories → <stories-dir>/<date>.yml (replaced), each story once across the folder; recorded in the audit log.
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
STORIES = ROOT / "tests" / "stories" / "review"  # read by `rasa test core --stories tests/stories`


def export(nlu_dir: Path, day: date, held_out: Path = HELD_OUT) -> int:
    from bot.db.session import session_scope
    from bot.staff import audit, wrapups
    from bot.staff.review import domain
    from bot.staff.review.entities import effective
    from bot.staff.review.export import Correction, existing_examples, held_out_texts, select, spoken, write
    from bot.staff.review.store import ReviewStore

    out_dir = nlu_dir / "review"
    with session_scope() as db:
        turns = ReviewStore(db).corrected_turns()
        # entities as the reviewer left them: corrected, or the model's that they saw and kept
        corrections = [Correction(t.text, t.corrected_intent or t.intent or "", f"review:{t.conversation_id}#{t.seq}",
                                  tuple(effective(t.entities, t.corrected_entities)))
                       for t in turns]
        # the 12345 agents' corrected wrap-ups; a call left with nothing once its personal parts are cut keeps its
        # text, so that it is listed as personal data rather than dropped unseen
        calls = wrapups.corrections(db)
        corrections += [Correction(spoken(w.text) or w.text, w.corrected_intent, f"12345:{w.call_id}") for w in calls]
        result = select(corrections, existing_examples(nlu_dir, skip=out_dir / f"{day.isoformat()}.yml"),
                        held_out_texts(held_out), domain.intents())
        path = write(result, out_dir, day)
        audit.record(db, "(命令行)", audit.EXPORT, "review:nlu",
                     f"会话审阅导出训练数据 {result.count} 条（改正的句子 {len(turns)}、热线改正的来电 {len(calls)}），"
                     f"冲突 {len(result.conflicts)}，重复 {len(result.duplicates)}，"
                     f"含个人信息未导出 {len(result.personal)}，评测集语句未导出 {len(result.held_out)}，"
                     f"意图不在模型里未导出 {len(result.unknown_intent)}")
    for c, other in result.conflicts:
        print(f"CONFLICT {c.where}: {c.text!r} corrected to {c.intent}, already an example of {other} (left out)")
    for c in result.held_out:
        print(f"HELDOUT {c.where}: {c.text!r} is a held-out evaluation utterance (left out)")
    for c in result.personal:
        print(f"PERSONAL {c.where}: personal data or mark-up in the text (left out)")
    for c in result.unknown_intent:
        print(f"NOINTENT {c.where}: entities corrected, but {c.intent or '(no intent)'} is not a domain intent; "
              f"correct the intent too (left out)")
    print(f"{result.count} examples in {len(result.examples)} intents → {path or '(nothing written)'}; "
          f"{len(result.duplicates)} duplicates dropped, {len(result.conflicts)} conflicts, "
          f"{len(result.personal)} with personal data and {len(result.held_out)} held-out utterances left out")
    return 0


def stories(out_dir: Path, day: date) -> int:
    from bot.db.session import session_scope
    from bot.staff import audit
    from bot.staff.review import domain
    from bot.staff.review.stories import check, name_of, names_in, render
    from bot.staff.review.store import ReviewStore

    path = out_dir / f"{day.isoformat()}.yml"
    written = names_in(out_dir, skip=path)
    with session_scope() as db:
        saved = ReviewStore(db).stories()
        fresh, skipped = [], 0
        for conversation, turns in saved:
            problems = check(turns, domain.intents())
            if problems:
                skipped += 1
                print(f"SKIPPED review:{conversation.id}: {'; '.join(problems)}")
            elif name_of(conversation) not in written:
                fresh.append((conversation, turns))
        if fresh:
            out_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(render(fresh), encoding="utf-8")
        audit.record(db, "(命令行)", audit.EXPORT, "review:stories",
                     f"会话审阅导出测试故事 {len(fresh)} 个，已导出过 {len(saved) - len(fresh) - skipped} 个，"
                     f"意图不在模型里未导出 {skipped} 个")
    print(f"{len(fresh)} stories → {path if fresh else '(nothing written)'}; "
          f"{len(saved) - len(fresh) - skipped} written before, {skipped} skipped")
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
    if args.action == "stories":
        return stories(Path(args.stories_dir), day)
    return export(Path(args.nlu_dir), day)


def add_parser(sub: argparse._SubParsersAction) -> None:
    review = sub.add_parser("review", help="conversation review (会话审阅)")
    review.add_argument("action", choices=["export", "stories", "sync", "consume"])
    review.add_argument("--nlu-dir", default=str(ROOT / "nlu_data"), help="training data folder (default nlu_data)")
    review.add_argument("--stories-dir", default=str(STORIES),
                        help="stories: test stories folder (default tests/stories/review)")
    review.add_argument("--date", help="the file's date (default today)")
    review.set_defaults(func=run)

