"""Alembic environment: the URL is the one the caller configured, else DATABASE_URL."""
from __future__ import annotations

from alembic import context

from bot.db import models  # noqa: F401  (every table registered on Base.metadata)
from bot.db.base import Base, UtcDateTime
from bot.db.session import make_engine
from bot.settings import get_settings

config = context.config


def render_item(kind: str, obj, autogen_context):
    """Our UtcDateTime is a plain timezone-aware DateTime in the schema."""
    if kind == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False

url = config.get_main_option("sqlalchemy.url") or get_settings().database_url

if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = make_engine(url)
    with engine.connect() as connection:
        # batch mode: SQLite can only ALTER tables by copying them
        context.configure(connection=connection, target_metadata=Base.metadata, render_item=render_item,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
