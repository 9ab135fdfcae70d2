"""Shared dependencies of the routes: services held on app.state, DB session, service-token auth."""
from __future__ import annotations

import hmac
from collections.abc import Iterator

from fastapi import Depends, Header, HTTPException, Request
from sqlalchemy.orm import Session

from bot.db.session import session_scope
from bot.settings import get_settings


def services(request: Request):
    return request.app.state.services


def db_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


def require_service_token(authorization: str = Header(default="")) -> None:
    """Internal callers (action server, agent tools) present the shared service token."""
    expected = f"Bearer {get_settings().service_token}"
    if not hmac.compare_digest(authorization.encode(), expected.encode()):
        raise HTTPException(status_code=401, detail="service token required")


ServiceAuth = Depends(require_service_token)
