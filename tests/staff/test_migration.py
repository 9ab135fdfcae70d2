"""Migration 0006 on SQLite and PostgreSQL: the tables match the models and the audit log is append-only."""
from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from bot.db import models  # noqa: F401
from bot.db.base import Base
from bot.db.migrate import alembic_config, upgrade
from bot.db.session import make_engine

STAFF_TABLES = {"staff_users", "staff_sessions", "audit_log"}


@pytest.fixture
def url(empty_database_url):
    return empty_database_url


def test_migrated_tables_match_the_models_and_refuse_changes_to_the_log(url):
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                    Base.metadata) == []
            connection.execute(text("INSERT INTO audit_log (at, actor_name, action, subject, detail) "
                                    "VALUES (CURRENT_TIMESTAMP, 'a', 'login', '', '')"))
            connection.commit()
            statements = ["UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log"]
            if engine.dialect.name == "postgresql":
                statements.append("TRUNCATE audit_log")
            for statement in statements:
                with pytest.raises(DatabaseError, match="append-only"):
                    connection.execute(text(statement))
                connection.rollback()
            assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1
        command.downgrade(alembic_config(url), "0005")
        engine.dispose()
        assert not STAFF_TABLES & set(inspect(engine).get_table_names())
        upgrade(url)
        engine.dispose()
        assert STAFF_TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
