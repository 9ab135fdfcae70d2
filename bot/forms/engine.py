"""The question-by-question conversations behind Rasa forms (pre-screen, report, status look-up).

Rasa runs the loop: it calls `validate_<form>` after every answer and asks nothing itself. This module
decides everything else in plain Python: which question comes next (only those that matter for this
household), how to read an answer, when to re-ask with an example, "算了" to stop, "改一下" to correct.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from bot.text.answers import is_cancel, is_correction
from bot.text.normalize import fold
from bot.text.numbers import chinese_small_int

UNKNOWN = "unknown"
EDITING = "form_editing"      # the resident is choosing which answer to change
RETRIES = "form_retries"      # unclear answers to the current question
RUN_ID = "form_run_id"        # one per form run: the referral's idempotency key
OUTCOME = "form_outcome"      # done | cancelled | person (asked for a person)
MAX_RETRIES = 2
# "人工", "转人工", "我要找工作人员": the form stops and the conversation goes to a person (see Forms.submit)
_PERSON = re.compile(r"^(?:我要|我想|请|给我)?(?:转|找|要)?(?:人工|工作人员|真人|客服)(?:服务|客服)?(?:吧|啊)?$")
_EDIT_N = re.compile(r"^(?:改|修改|第)?\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*(?:项|条|个)?(?:说错了|错了|要改|改一下)?$")


class FormTurn(BaseModel):
    """What the action server sends for one answer (or for the form's activation)."""

    sender: str = Field(default="", max_length=200)
    channel: str | None = None
    text: str = Field(default="", max_length=20000)
    intent: str | None = None
    requested_slot: str | None = None
    slots: dict[str, Any] = {}


class FormReply(BaseModel):
    messages: list[str] = []
    slots: dict[str, Any] = {}
    requested_slot: str | None = None  # None: the form is finished (or cancelled)


@dataclass
class Parsed:
    value: Any = None
    error: str | None = None   # why the answer was not understood (the re-ask adds an example)
    note: str | None = None    # a word back to the resident
    also: dict[str, Any] = field(default_factory=dict)  # other slots to set (e.g. candidates to pick from)

    @property
    def ok(self) -> bool:
        return self.error is None


State = dict[str, Any]


@dataclass
class Question:
    slot: str
    label: str                                    # in the summary: "家里人口"
    ask: Callable[[State], str]
    parse: Callable[[str, State], Parsed]
    show: Callable[[Any], str] = str              # the answer, in the summary
    when: Callable[[State], bool] = lambda state: True
    give_up: Any = None                           # after MAX_RETRIES unclear answers, take this (None: keep asking)
    after: Callable[[Any, State], list[str]] | None = None  # messages once answered (e.g. the screening result)
    summarised: bool = True                       # listed in the summary and correctable


@dataclass
class Form:
    name: str
    questions: list[Question]
    intro: Callable[[FormTurn, State], list[str]]
    cancelled: str
    prefill: Callable[[FormTurn, State], State] = lambda turn, state: {}
    reset_on_edit: tuple[str, ...] = ()           # slots asked again after any correction (confirmation, consent)
    extra_slots: tuple[str, ...] = field(default=())
    keep: tuple[str, ...] = ("case_number",)      # conversation-wide slots a new run must not clear

    @property
    def slots(self) -> list[str]:
        return [q.slot for q in self.questions] + [EDITING, RETRIES, RUN_ID, OUTCOME, *self.extra_slots]

    def cleared(self, **keep: Any) -> dict[str, Any]:
        """Every slot of the form back to None, but the conversation-wide ones and `keep`."""
        return {**{slot: None for slot in self.slots if slot not in self.keep and slot not in keep}, **keep}

    def question(self, slot: str | None) -> Question | None:
        return next((q for q in self.questions if q.slot == slot), None)

    def answered(self, state: State) -> list[Question]:
        return [q for q in self.questions if q.summarised and q.when(state) and state.get(q.slot) is not None]

    def next_question(self, state: State) -> Question | None:
        return next((q for q in self.questions if q.when(state) and state.get(q.slot) is None), None)

    def purge(self, state: State) -> dict[str, Any]:
        """Answers to questions that no longer apply (after a correction) are dropped."""
        return {q.slot: None for q in self.questions if state.get(q.slot) is not None and not q.when(state)}


def _edit_number(text: str) -> int | None:
    match = _EDIT_N.match(re.sub(r"\s", "", text))
    return chinese_small_int(match.group(1)) if match else None


def edit_menu(form: Form, state: State) -> str:
    lines = ["要改哪一项？回复序号就行："]
    lines += [f"{n} {q.label}：{q.show(state[q.slot])}" for n, q in enumerate(form.answered(state), 1)]
    return "\n".join(lines)


def summary(form: Form, state: State, head: str, tail: str) -> str:
    lines = [head] + [f"{n} {q.label}：{q.show(state[q.slot])}" for n, q in enumerate(form.answered(state), 1)]
    return "\n".join(lines + [tail])


class Interview:
    """Runs one step of a form: read the answer, then say what comes next."""

    def __init__(self, form: Form):
        self.form = form

    def step(self, turn: FormTurn, env: State | None = None) -> FormReply:
        form = self.form
        state: State = {**(env or {}), **{s: turn.slots.get(s) for s in form.slots}}
        updates: dict[str, Any] = {}
        messages: list[str] = []
        unclear = False  # the answer was not understood: the error already says what to send

        def apply(changes: dict[str, Any]) -> None:
            updates.update(changes)
            state.update(changes)

        if turn.requested_slot in form.slots:
            # Rasa has already put the raw text into the requested slot; it is not an answer until parsed.
            apply({turn.requested_slot: None})
        if turn.requested_slot is None:  # activation: nothing from an earlier, abandoned run counts
            apply(form.cleared(**{RUN_ID: uuid.uuid4().hex}))
            messages += form.intro(turn, state)
            apply(form.prefill(turn, state))
        elif is_cancel(turn.text):
            return FormReply(messages=[form.cancelled], slots=form.cleared(**{OUTCOME: "cancelled"}))
        elif _PERSON.match(fold(turn.text)):
            return FormReply(messages=[], slots=form.cleared(**{OUTCOME: "person"}))
        elif state.get(EDITING):
            number = _edit_number(turn.text)
            answered = form.answered(state)
            if number is None or not 1 <= number <= len(answered):
                return FormReply(messages=[f"请回复 1 到 {len(answered)} 之间的序号。\n" + edit_menu(form, state)],
                                 slots=updates, requested_slot=turn.requested_slot)
            apply({EDITING: None, answered[number - 1].slot: None, **{s: None for s in form.reset_on_edit}})
        elif is_correction(turn.text) or (_edit_number(turn.text) is not None and "改" in turn.text):
            number = _edit_number(turn.text.replace("改一下", ""))
            answered = form.answered(state)
            if number is not None and 1 <= number <= len(answered):
                apply({answered[number - 1].slot: None, **{s: None for s in form.reset_on_edit}})
            else:
                apply({EDITING: True})
                return FormReply(messages=[edit_menu(form, state)], slots=updates,
                                 requested_slot=turn.requested_slot)
        else:
            question = form.question(turn.requested_slot)
            if question is not None:
                said, unclear = self._answer(question, turn.text, state, apply)
                messages += said
        apply(form.purge(state))

        following = form.next_question(state)
        if following is None:
            apply({OUTCOME: "done", RETRIES: None})
            return FormReply(messages=messages, slots=updates, requested_slot=None)
        if not (unclear and following.slot == turn.requested_slot):
            messages.append(following.ask(state))
        return FormReply(messages=messages, slots=updates, requested_slot=following.slot)

    def _answer(self, question: Question, text: str, state: State, apply: Callable[[dict[str, Any]], None]
                ) -> tuple[list[str], bool]:
        """(messages, unclear)."""
        parsed = question.parse(text, state)
        apply(parsed.also)
        if not parsed.ok:
            retries = int(state.get(RETRIES) or 0) + 1
            if retries >= MAX_RETRIES and question.give_up is not None:
                apply({question.slot: question.give_up, RETRIES: None})
                return ["没关系，这一项先跳过，窗口工作人员会再问您。"], False
            apply({RETRIES: retries})
            return [parsed.error or "我没看明白。"], True
        apply({question.slot: parsed.value, RETRIES: None})
        said = [parsed.note] if parsed.note else []
        return said + (question.after(parsed.value, state) if question.after else []), False
