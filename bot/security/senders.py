"""Web chat sender ids are the app's to issue: `<id>.<signature>`. A caller who invents or copies only
an id gets a conversation of its own, never someone else's."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

SIGNED = re.compile(r"^([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{22})$")


def _signature(secret: str, sender_id: str) -> str:
    digest = hmac.new(secret.encode(), b"webchat-sender:" + sender_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")  # 128 bits, 22 characters


def issue(secret: str) -> str:
    sender_id = secrets.token_urlsafe(18)  # 24 characters
    return f"{sender_id}.{_signature(secret, sender_id)}"


def verified(secret: str, token: str | None) -> str | None:
    """The sender id the app issued in this token, or None (missing, malformed or forged)."""
    match = SIGNED.match(token or "")
    if match is None:
        return None
    sender_id, signature = match.groups()
    return sender_id if hmac.compare_digest(signature, _signature(secret, sender_id)) else None
