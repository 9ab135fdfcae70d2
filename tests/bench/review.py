"""会话审阅's listing over 100,000 seeded conversations (issue 11's goal: a page ≤ 300 ms). Seeds a throw-away
SQLite app database straight through the review tables (five turns a conversation), then times the listing
query (`ReviewStore.search`: count + one page + its tags) for each filter, first and a deep page, and the whole
GET /console/review as a reviewer (login, render) in-process. Also times folding broker events.

    .venv/bin/python -m tests.bench.review [--conversations 100000]
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from bot.db.migrate import upgrade
from bot.db.session import make_engine
from bot.staff.review.models import ReviewConversation, ReviewTag, ReviewTurn
from bot.staff.review.store import Filters, ReviewStore

INTENTS = ["ask_policy", "ask_materials", "ask_process", "seek_help", "greet", "thanks", "nlu_fallback",
           "request_human", "complaint", "emergency", "ask_amount", "check_status"]
END = datetime(2026, 11, 30, tzinfo=timezone.utc)
TOWNSHIPS = [f"2203821{n:02d}" for n in range(18)]   # a place named in a form: one conversation in four


def seed(url: str, count: int) -> None:
    rng = random.Random(11)
    engine = make_engine(url)
    conversations, turns, tags = [], [], []
    with Session(engine) as session:
        for n in range(1, count + 1):
            start = END - timedelta(days=rng.random() * 180)
            intents = [rng.choice(INTENTS) for _ in range(5)]
            confidences = [round(rng.uniform(0.2, 1.0), 2) for _ in range(5)]
            conversations.append(dict(
                id=n, sender_id=f"{'wx' if n % 3 else 'web'}-{n:08d}", channel="wechat" if n % 3 else "web",
                started_at=start, last_at=start + timedelta(minutes=5), turns=5, min_confidence=min(confidences),
                fallback="nlu_fallback" in intents, emergency="emergency" in intents,
                handoff="request_human" in intents, complaint="complaint" in intents,
                form_abandoned=n % 17 == 0, reviewed=n % 7 == 0,
                township=TOWNSHIPS[n % 18] if n % 4 == 0 else None))
            for seq in range(5):
                turns.append(dict(conversation_id=n, seq=seq + 1, at=start + timedelta(minutes=seq),
                                  text="我想问问低保怎么申请", intent=intents[seq], confidence=confidences[seq],
                                  entities=[], replies=["低保申请要……"], actions=[], slots={}))
            if n % 50 == 0:
                tags.append(dict(conversation_id=n, tag=rng.choice(["听不懂", "要补训练", "政策问题"])))
            if len(turns) >= 50_000:
                _flush(session, conversations, turns, tags)
        _flush(session, conversations, turns, tags)
        session.execute(text("ANALYZE"))
        session.commit()
    engine.dispose()


def _flush(session: Session, conversations: list, turns: list, tags: list) -> None:
    for model, rows in ((ReviewConversation, conversations), (ReviewTurn, turns), (ReviewTag, tags)):
        if rows:
            session.execute(insert(model), rows)
            rows.clear()
    session.commit()


CASES = {
    "no filter": Filters(),
    "last 7 days": Filters(since=date(2026, 11, 24)),
    "channel web": Filters(channel="web"),
    "intent complaint": Filters(intent="complaint"),
    "confidence < 0.3": Filters(below=0.3),
    "fallback": Filters(fallback=True),
    "emergency + not reviewed": Filters(emergency=True, reviewed="no"),
    "handoff": Filters(handoff=True),
    "form abandoned": Filters(abandoned=True),
    "tag 听不懂": Filters(tag="听不懂"),
    "township": Filters(township=TOWNSHIPS[4]),
    "township + fallback + 30 days": Filters(township=TOWNSHIPS[4], fallback=True, since=date(2026, 10, 31)),
    "web + intent emergency + < 0.5 + 30 days": Filters(channel="web", intent="emergency", below=0.5,
                                                        since=date(2026, 10, 31)),
}


def time_search(url: str, runs: int = 5) -> dict[str, dict[str, float]]:
    engine = make_engine(url)
    figures = {}
    with Session(engine) as session:
        store = ReviewStore(session)
        for name, filters in CASES.items():
            for label, page in (("page 1", 1), ("page 200 (or the last)", 200)):
                times = []
                for _ in range(runs):
                    started = time.perf_counter()
                    found = store.search(filters, page)
                    times.append((time.perf_counter() - started) * 1000)
                figures[f"{name}, {label}"] = {"median_ms": round(statistics.median(times), 1),
                                               "max_ms": round(max(times), 1), "total": found.total}
    engine.dispose()
    return figures


def time_page(url: str, count: int, runs: int = 5) -> dict[str, float]:
    """GET /console/review in-process (TestClient), logged in as a reviewer, broker absent."""
    import os
    from dataclasses import replace

    from argon2 import PasswordHasher
    from fastapi.testclient import TestClient

    from bot.app import create_app
    from bot.db import session as db_session
    from bot.settings import get_settings
    from bot.staff import accounts
    from bot.staff.config import StaffConfig
    from tests.staff.conftest import login

    config = StaffConfig(hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    os.environ["DATABASE_URL"] = url
    for cached in (get_settings, db_session.get_engine, db_session.get_sessionmaker):
        cached.cache_clear()
    engine = make_engine(url)
    with Session(engine) as session:
        accounts.create(session, config, "bench-reviewer", "reviewer", "correct horse 42")
        session.commit()
    app = create_app(replace(get_settings(), event_broker_url=""))
    app.state.staff_config = config
    figures = {}
    with TestClient(app) as client:
        assert login(client, "bench-reviewer", "correct horse 42").status_code == 303
        for path in ("/console/review", "/console/review?below=0.3&fallback=1&page=20",
                     "/console/review?intent=complaint&channel=web", f"/console/review?township={TOWNSHIPS[4]}&page=5",
                     f"/console/review/{count // 2}"):
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                assert client.get(path).status_code == 200
                times.append((time.perf_counter() - started) * 1000)
            figures[path] = round(statistics.median(times), 1)
    return figures


def time_fold(events: int = 20_000) -> dict[str, float]:
    """Folding broker events (the SQL broker's own table shape) into a fresh database."""
    from tests.staff.review.conftest import T0, bot, user, write_events
    from bot.staff.review.source import SQLBrokerSource

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'app.db'}"
        upgrade(url)
        per = 10
        conversations = {f"web-{n}": [e for k in range(per // 2) for e in
                                      (user("低保怎么申请", "ask_policy", 0.9, T0 + n + k), bot("……", T0 + n + k))]
                         for n in range(events // per)}
        write_events(Path(tmp) / "events.db", conversations)
        engine = make_engine(url)
        with Session(engine) as session:
            started = time.perf_counter()
            count = ReviewStore(session).sync(SQLBrokerSource(f"sqlite:///{Path(tmp) / 'events.db'}"))
            session.commit()
            took = time.perf_counter() - started
        engine.dispose()
    return {"events": count, "seconds": round(took, 2), "events_per_second": round(count / took)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'app.db'}"
        upgrade(url)
        started = time.perf_counter()
        seed(url, args.conversations)
        took = time.perf_counter() - started
        print(f"seeded {args.conversations} conversations ({5 * args.conversations} turns) in {took:.0f} s")
        figures = {"search": time_search(url), "page": time_page(url, args.conversations)}
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    print(json.dumps({"fold": time_fold()}, indent=1))


if __name__ == "__main__":
    main()
