"""Talk to `rasa run` over HTTP: NLU parse (token-protected API) and the REST channel."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass(frozen=True)
class BotMessage:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)  # {"title", "payload"}


def as_text(text: str) -> str:
    """Rasa reads a message starting with "/" as an intent ("/emergency"): a resident's words go to the model
    as words, so a leading slash becomes its full-width twin (the model reads both alike)."""
    stripped = text.strip()  # Rasa strips before it looks for the slash
    return "／" + stripped[1:] if stripped.startswith("/") else text


class EngineUnavailable(Exception):
    """The engine did not answer in time or answered with an error."""


class EngineClient:
    def __init__(self, base_url: str, token: str, timeout_s: float):
        self._token = token
        # the app channel (engine_server/channel.py) asks for the same token as a bearer header
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout_s,
                                       headers={"Authorization": f"Bearer {token}"})

    async def close(self) -> None:
        await self._http.aclose()

    async def _post(self, path: str, payload: dict[str, Any], **params: str) -> Any:
        try:
            response = await self._http.post(path, json=payload, params=params)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise EngineUnavailable(f"{path}: {type(exc).__name__}") from exc

    async def parse(self, text: str) -> dict[str, Any]:
        return await self._post("/model/parse", {"text": as_text(text)}, token=self._token)

    async def send(self, sender: str, text: str, metadata: dict[str, Any] | None = None) -> list[BotMessage]:
        """One resident message through the app channel; the bot's answers, in order."""
        return await self._deliver(sender, as_text(text), metadata)

    async def command(self, sender: str, payload: str, metadata: dict[str, Any] | None = None) -> list[BotMessage]:
        """An intent the app chose ("/affirm" for a 是 the resident typed, a WeChat menu button)."""
        if not payload.startswith("/"):
            raise ValueError("a command is an intent payload starting with '/'")
        return await self._deliver(sender, payload, metadata)

    async def _deliver(self, sender: str, message: str, metadata: dict[str, Any] | None) -> list[BotMessage]:
        body = {"sender": sender, "message": message, "metadata": metadata or {}}
        answers = await self._post("/webhooks/app/webhook", body)
        return [BotMessage(a["text"], a.get("buttons") or []) for a in answers if a.get("text")]

    async def active_loop(self, sender: str) -> str | None:
        """The form running in this conversation, if any (the tracker without its events)."""
        try:
            response = await self._http.get(f"/conversations/{sender}/tracker",
                                            params={"token": self._token, "include_events": "NONE"})
            response.raise_for_status()
            return (response.json().get("active_loop") or {}).get("name")
        except (httpx.HTTPError, ValueError) as exc:
            raise EngineUnavailable(f"tracker: {type(exc).__name__}") from exc

    async def tracker(self, sender: str, events: bool = True) -> dict[str, Any]:
        """The conversation's tracker as the tracker store keeps it (texts and free-text slots masked at
        write): `slots`, and with `events` those since the last restart (the staff console's transcript)."""
        try:
            response = await self._http.get(f"/conversations/{sender}/tracker", params={
                "token": self._token, "include_events": "AFTER_RESTART" if events else "NONE"})
            response.raise_for_status()
            tracker = response.json()
            return tracker if isinstance(tracker, dict) else {}
        except (httpx.HTTPError, ValueError) as exc:
            raise EngineUnavailable(f"tracker: {type(exc).__name__}") from exc

    async def slots(self, sender: str) -> dict[str, Any]:
        """The conversation's slots (free text masked at write)."""
        slots = (await self.tracker(sender, events=False)).get("slots") or {}
        return slots if isinstance(slots, dict) else {}

    async def set_slot(self, sender: str, name: str, value: Any) -> None:
        """Start the conversation's session (so the first message does not reset slots) and set a slot,
        e.g. which numbered menu the resident was just shown."""
        events = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"},
                  {"event": "action", "name": "action_listen"}, {"event": "slot", "name": name, "value": value}]
        await self._post(f"/conversations/{sender}/tracker/events", events, token=self._token)

    async def ready(self) -> bool:
        try:
            response = await self._http.get("/status", params={"token": self._token})
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False
