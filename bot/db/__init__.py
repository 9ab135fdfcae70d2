"""Persistence: one SQLAlchemy 2 engine per process; the app is the single owner of its database."""
