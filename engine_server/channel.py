"""The engine's only resident channel: the app's. Rasa's REST channel answers anyone who can reach the port
and reads bodies of any size; this one asks for the app's bearer token and caps what it reads.

credentials.yml:  engine_server.channel.AppChannel: {token: ${ENGINE_TOKEN}, max_chars: 2000}
URL: POST /webhooks/app/webhook  {"sender": "...", "message": "...", "metadata": {...}}
"""
from __future__ import annotations

import hmac
import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

SENDER_MAX = 200  # the app's sender ids ("wx-<openid>", "web-<id>") are far shorter


class AppChannel(InputChannel):
    def __init__(self, token: Text, max_chars: int = 2000) -> None:
        if not token:
            raise ValueError("the app channel needs a token (ENGINE_TOKEN)")
        self.token = token
        self.max_chars = int(max_chars)

    @classmethod
    def name(cls) -> Text:
        return "app"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(str(credentials.get("token") or ""), int(credentials.get("max_chars") or 2000))

    def authorised(self, request: Request) -> bool:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode())

    def read(self, request: Request) -> tuple[Optional[dict], Optional[HTTPResponse]]:
        """The message, or the refusal to send. Never logs what the resident wrote."""
        if not self.authorised(request):
            logger.warning("app channel: refused a request without the app's token")
            return None, response.json({"error": "unauthorised"}, status=401)
        try:
            body = request.json
        except Exception:  # sanic raises its own BadRequest on invalid JSON
            body = None
        if not isinstance(body, dict):
            return None, response.json({"error": "invalid_body"}, status=400)
        sender, text, metadata = body.get("sender"), body.get("message"), body.get("metadata") or {}
        if not (isinstance(sender, str) and 0 < len(sender) <= SENDER_MAX) or not isinstance(text, str) \
                or not isinstance(metadata, dict):
            return None, response.json({"error": "invalid_body"}, status=400)
        if len(text) > self.max_chars:
            logger.warning("app channel: refused a message of %d characters", len(text))
            return None, response.json({"error": "too_long", "max_chars": self.max_chars}, status=413)
        return {"sender": sender, "text": text, "metadata": metadata}, None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("app_channel_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            message, refusal = self.read(request)
            if refusal is not None:
                return refusal
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(message["text"], collector, message["sender"],
                                                 input_channel=self.name(), metadata=message["metadata"]))
            except CancelledError:  # the turn timed out: say so without the words
                logger.error("app channel: turn timed out (%d characters)", len(message["text"]))
            except Exception:
                logger.exception("app channel: turn failed (%d characters)", len(message["text"]))
            return response.json(collector.messages)

        return webhook
