"""`python -m actions.server`: the action server, answering only the engine.

rasa_sdk's own server takes any caller and echoes the request body (the whole tracker, with what residents
said) in its error responses. This one asks every call for the engine's bearer token (ACTIONS_TOKEN, set on
the engine's `action_endpoint` in endpoints.yml), caps the body, allows no browser origin and logs no
tracker content.
"""
from __future__ import annotations

import hmac
import logging
import os

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

logger = logging.getLogger("actions.server")

MAX_BODY_BYTES = 4 * 1024 * 1024  # a long conversation's tracker, with room to spare
OPEN_PATHS = {"/health"}          # liveness only: says nothing about conversations


def build(token: str) -> Sanic:
    if len(token) < 16:  # unset or a placeholder: the action server acts with the app's service token
        raise SystemExit("actions.server: ACTIONS_TOKEN must be a real secret (16+ characters)")
    app = create_app("actions", cors_origins=None)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    expected = f"Bearer {token}".encode()

    @app.on_request
    async def authenticate(request: Request):
        if request.path in OPEN_PATHS:
            return None
        if not hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected):
            logger.warning("refused %s %s: no engine token", request.method, request.path)
            return response.json({"error": "unauthorised"}, status=401)
        return None

    # replaces rasa_sdk's handler, which puts the request body in its answer and log
    @app.exception(Exception)
    async def failed(request: Request, exception: Exception):
        status = getattr(exception, "status_code", 500)
        if status >= 500:
            logger.error("action call failed: %s", type(exception).__name__, exc_info=exception)
        return response.json({"error": type(exception).__name__}, status=status)

    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
    os.umask(0o077)
    app = build(os.environ.get("ACTIONS_TOKEN", ""))
    port = int(os.environ.get("BOT_ACTIONS_PORT", "5055"))
    app.run("127.0.0.1", port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
