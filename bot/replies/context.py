"""The turn context the action server sends with every request."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Slots(BaseModel):
    programme: str | None = None
    aspect: str | None = None
    menu: str | None = None


class TurnContext(BaseModel):
    sender: str = Field(default="", max_length=200)
    channel: str | None = None
    text: str = Field(default="", max_length=20000)
    intent: str | None = None
    top_intent: str | None = None          # best intent other than nlu_fallback
    rule_override: str | None = None
    programme_entity: str | None = None
    slots: Slots = Slots()


class Button(BaseModel):
    title: str
    payload: str


class IntakeRequest(BaseModel):
    """Work for the action server's intake client; it posts the result to `then` on the app."""

    op: Literal["create", "status", "details"]
    payload: dict[str, Any]
    then: str


class Reply(BaseModel):
    messages: list[str]
    slots: dict[str, Any] = {}
    buttons: list[Button] = []  # attached to the last message
    followup: str | None = None  # an action (or form) Rasa runs next, e.g. the pre-screen
    intake: IntakeRequest | None = None
