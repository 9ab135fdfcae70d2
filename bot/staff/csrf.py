"""CSRF protection by synchronizer token, bound to the session without storing anything more.

The token of a session is HMAC-SHA256(key = the session's cookie token, "csrf"): only the holder of the
cookie can know it, it changes with every login, it dies with the session, and it reveals nothing about the
cookie. Every state-changing form carries it in a hidden field `csrf` (scripts send `X-CSRF-Token`).

The login form has no session yet: it is bound the same way to a short-lived random cookie of its own
(`login_token`), so a foreign page cannot log a browser into someone else's account.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets


def _mac(key: str, purpose: str) -> str:
    return hmac.new(key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def token_for(session_token: str) -> str:
    return _mac(session_token, "csrf")


def valid(session_token: str | None, submitted: str | None) -> bool:
    if not session_token or not submitted:
        return False
    return hmac.compare_digest(token_for(session_token).encode(), submitted.encode())


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def login_form_token(login_token: str) -> str:
    return _mac(login_token, "login")


def valid_login(login_token: str | None, submitted: str | None) -> bool:
    if not login_token or not submitted:
        return False
    return hmac.compare_digest(login_form_token(login_token).encode(), submitted.encode())
