"""What routes receive, typed: the app's services (built from the settings create_app was given), a DB
session, and the service-token check for internal callers.

    def route(body: Body, svc: AppServices, session: Db) -> Out: ...
"""
from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request
from sqlalchemy.orm import Session

from bot.services import Services


def services(request: Request) -> Services:
    return request.app.state.services


def db_session(request: Request) -> Iterator[Session]:
    """A session on the app's own database (the settings create_app was given)."""
    with request.app.state.services.db.scope() as session:
        yield session


AppServices = Annotated[Services, Depends(services)]
Db = Annotated[Session, Depends(db_session)]


def require_service_token(svc: AppServices, authorization: str = Header(default="")) -> None:
    """Internal callers (action server, agent tools) present the shared service token."""
    check_service_token(svc, authorization)


def check_service_token(svc: Services, authorization: str) -> None:
    """The check itself, for a route that asks for the token only in some cases (a look-up by channel user)."""
    expected = f"Bearer {svc.settings.service_token}"
    if not hmac.compare_digest(authorization.encode(), expected.encode()):
        raise HTTPException(status_code=401, detail="service token required")


ServiceAuth = Depends(require_service_token)
