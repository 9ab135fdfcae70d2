"""Plays Rasa's part in the forms' unit tests: activation with the opening message, then one validate
call per answer, the slots carried over as the tracker would carry them."""
from __future__ import annotations

from bot.forms.engine import FormTurn, Interview


class Run:
    def __init__(self, form, env, first: str):
        self.interview, self.env = Interview(form), env
        self.slots: dict = {}
        self.requested: str | None = None
        self.asked: list[str] = []
        self.last = self._step(first)

    def _step(self, text: str) -> list[str]:
        # Rasa puts the raw text into the requested slot before validation
        slots = {**self.slots, **({self.requested: text} if self.requested else {})}
        reply = self.interview.step(FormTurn(sender="s1", channel="web", text=text,
                                             requested_slot=self.requested, slots=slots), self.env)
        self.slots.update(reply.slots)
        if reply.requested_slot and reply.requested_slot != self.requested:
            self.asked.append(reply.requested_slot)
        self.requested = reply.requested_slot
        return reply.messages

    def say(self, *texts: str) -> str:
        for text in texts:
            self.last = self._step(text)
        return "\n".join(self.last)

    @property
    def first(self) -> str:
        return "\n".join(self.last)

    @property
    def done(self) -> bool:
        return self.requested is None
