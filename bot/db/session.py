"""Engines and sessions (SQLite file by default, PostgreSQL in production).

The app's database is a `Database` built from the settings create_app was given (bot/services.py): routes,
the WeChat gateway, the outbox and the app's workers open sessions on it. `session_scope()` is the command
line's (and tests'): the environment's DATABASE_URL, through get_settings()."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import get_settings


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL: readers never block the writer (web chat, WeChat and the action server's calls overlap)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15},
                               pool_size=10, max_overflow=20)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@contextmanager
def _scope(sessions: sessionmaker[Session]) -> Iterator[Session]:
    session = sessions()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


class Database:
    """One database: its engine and its sessions, from one URL."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def scope(self) -> AbstractContextManager[Session]:
        """A session committed at the end of the block, rolled back if it raises."""
        return _scope(self.sessions)

    def dispose(self) -> None:
        self.engine.dispose()


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(get_engine(), expire_on_commit=False)


def session_scope() -> AbstractContextManager[Session]:
    """The command line's session: DATABASE_URL from the environment (the app uses its own Database)."""
    return _scope(get_sessionmaker())
