"""`bot purge --older-than DAYS` as an operator runs it (a subprocess on its own DATABASE_URL), and the app's daily
job (bot.retention.daily): old rows go, recent ones stay, the counts are printed, and the job keeps going."""
from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import retention
from bot.channels.inbox import InboundMessage
from bot.db import models  # noqa: F401  (every table registered on Base.metadata)
from bot.db.base import Base, utcnow
from bot.db.session import Database
from bot.settings import ROOT
from bot.staff.alerts.models import Alert


def seed(database: Database, *, old_days: int, recent_days: int = 5) -> None:
    now = utcnow()
    with database.scope() as session:
        session.add_all([
            InboundMessage(channel="webchat", sender="web-old", text="很久以前", created_at=now - timedelta(days=old_days)),
            InboundMessage(channel="webchat", sender="web-new", text="最近", created_at=now - timedelta(days=recent_days)),
            Alert(kind="emergency", sender="web-old", text_masked="旧", created_at=now - timedelta(days=old_days)),
            Alert(kind="complaint", sender="web-new", text_masked="新", created_at=now - timedelta(days=recent_days)),
        ])


def count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def database(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'app.db'}")
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


def test_the_command_deletes_old_rows_prints_the_counts_and_keeps_recent_ones(database, tmp_path):
    seed(database, old_days=40)
    env = {**os.environ, "DATABASE_URL": database.url, "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
           "EVENT_BROKER_URL": f"sqlite:///{tmp_path / 'events.db'}", "RETENTION_DAYS": "365"}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "purge", "--older-than", "30"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    printed = dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    assert printed["inbound_messages"] == "1" and printed["alerts"] == "1"
    assert printed["tracker events"] == "0" and printed["broker events"] == "0"  # no engine stores yet: fine
    with Session(database.engine) as session:
        assert session.scalars(select(InboundMessage.sender)).all() == ["web-new"]
        assert session.scalars(select(Alert.kind)).all() == ["complaint"]


def test_the_command_without_days_uses_the_configured_period(database, tmp_path):
    seed(database, old_days=40)
    env = {**os.environ, "DATABASE_URL": database.url, "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
           "EVENT_BROKER_URL": f"sqlite:///{tmp_path / 'events.db'}", "RETENTION_DAYS": "60"}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "purge"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "inbound_messages: 0" in done.stdout.splitlines()  # 40 days old is within 60
    with Session(database.engine) as session:
        assert count(session, InboundMessage) == 2


def settings(database: Database, days: int) -> SimpleNamespace:
    """What daily() reads of the settings; the engine's stores beside the app's database (not there yet)."""
    folder = database.url.removeprefix("sqlite:///").rsplit("/", 1)[0]
    return SimpleNamespace(tracker_store_url=f"sqlite:///{folder}/tracker.db", event_broker_url=f"sqlite:///{folder}/events.db",
                           retention_days=days, referral_retention_days=0)


async def run_for(seconds: float, job) -> None:
    task = asyncio.create_task(job)
    await asyncio.sleep(seconds)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_the_daily_job_purges_then_sleeps_and_purges_again(database, caplog):
    caplog.set_level(logging.INFO, logger="bot.retention")
    seed(database, old_days=40)

    async def scenario() -> None:
        job = asyncio.create_task(retention.daily(settings(database, 30), database, every_s=0.3, first_after_s=0))
        await asyncio.sleep(0.15)  # the first round is done, the job sleeps
        with Session(database.engine) as session:
            assert count(session, InboundMessage) == 1 and count(session, Alert) == 1
        seed(database, old_days=31, recent_days=1)  # aged past the period since the first round
        await asyncio.sleep(0.4)
        job.cancel()
        with pytest.raises(asyncio.CancelledError):
            await job

    asyncio.run(scenario())
    assert "daily purge failed" not in caplog.text
    assert "retention (30 days): inbound_messages 1" in caplog.text  # the counts are logged
    with Session(database.engine) as session:
        assert sorted(session.scalars(select(InboundMessage.sender)).all()) == ["web-new", "web-new"]


def test_the_daily_job_waits_before_its_first_round_and_survives_a_failed_one(database, monkeypatch):
    seed(database, old_days=40)
    calls: list[int] = []
    real = retention.purge

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database away for a moment")
        return real(*args, **kwargs)

    monkeypatch.setattr(retention, "purge", flaky)
    asyncio.run(run_for(0.2, retention.daily(settings(database, 30), database, every_s=0.05, first_after_s=10)))
    assert calls == []  # a short-lived app (a test) never purges
    asyncio.run(run_for(0.5, retention.daily(settings(database, 30), database, every_s=0.05, first_after_s=0)))
    assert len(calls) >= 2
    with Session(database.engine) as session:
        assert count(session, InboundMessage) == 1
