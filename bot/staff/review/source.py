"""Rasa's SQL event broker (`events(id, sender_id, data)`, EVENT_BROKER_URL) read without writing: its own
SQLAlchemy engine, SQLite opened read-only; a database or table not made yet reads as no events."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, inspect, select
from sqlalchemy.engine import Engine

SOURCE = "sql_broker"
broker_events = Table("events", MetaData(), Column("id", Integer, primary_key=True), Column("sender_id", String(255)),
                      Column("data", Text))


def read_only_engine(url: str) -> Engine | None:
    """None when there is nothing to read (no broker configured, a SQLite file not created yet)."""
    parts = urlsplit(url)
    if not url or parts.scheme in ("amqp", "amqps"):
        return None
    if parts.scheme.startswith("sqlite"):
        path = url.split(":///", 1)[1]
        if not Path(path).exists():
            return None
        return create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", connect_args={"timeout": 5})
    if parts.scheme == "postgresql":   # the app's driver (psycopg 3), not SQLAlchemy's default psycopg2
        url = "postgresql+psycopg" + url.removeprefix("postgresql")
    return create_engine(url, execution_options={"postgresql_readonly": True}, pool_pre_ping=True, pool_size=2)


class SQLBrokerSource:
    def __init__(self, url: str):
        self.url = url
        self._engine: Engine | None = None

    def engine(self) -> Engine | None:
        if self._engine is None:
            self._engine = read_only_engine(self.url)
        return self._engine

    def read(self, after: int, limit: int = 5000) -> Iterator[tuple[int, str, dict[str, Any]]]:
        """(id, sender_id, event) in id order after `after`; an event that is not JSON is skipped."""
        engine = self.engine()
        if engine is None:
            return
        with engine.connect() as connection:
            if not inspect(connection).has_table("events"):
                return
            rows = connection.execute(select(broker_events).where(broker_events.c.id > after)
                                      .order_by(broker_events.c.id).limit(limit)).all()
        for row in rows:
            try:
                data = json.loads(row.data)
            except (TypeError, ValueError):
                data = {}
            yield row.id, row.sender_id or str(data.get("sender_id") or ""), data if isinstance(data, dict) else {}

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
