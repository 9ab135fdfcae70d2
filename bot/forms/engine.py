"""The question-by-question conversations behind Rasa forms (pre-screen, report, status look-up).

Rasa runs the loop: it calls `validate_<form>` after every answer and asks nothing itself. This module
decides everything else in plain Python: which question comes next (only those that matter for this
household), how to read an answer, when to re-ask with an example, "算了" to stop, "改一下" to correct.
"""
from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator

from bot.text.answers import after_correction, clauses, is_cancel, is_correction, unreported, yes_no
from bot.text.normalize import fold, simplified
from bot.text.questions import asks
from bot.text.numbers import chinese_small_int

UNKNOWN = "unknown"
EDITING = "form_editing"      # the resident is choosing which answer to change
RETRIES = "form_retries"      # unclear answers to the current question
RUN_ID = "form_run_id"        # one per form run: the referral's idempotency key
OUTCOME = "form_outcome"      # done | cancelled | person | paused[:<action>] | switch:<action>
PAUSED = "paused"             # answers kept; the next activation resumes (after "<action>" ran, if named)
PAUSED_RUN = "form_paused"    # {"form", "run_id"} of a paused run: other forms' runs must not clear it
SWITCH = "switch"             # answers dropped; "<action>" runs next (a new request won over the question)
MAX_RETRIES = 2               # unclear answers before the way on is offered (or the question skipped)
PAUSED_NOTE = "好，先办这个。刚才填的我都记着，想接着填就回复“接着办”。"
RESUMED = "好，接着刚才没填完的，前面说的都记着。"
ONWARD = "这一项可以先不答：回复“人工”请工作人员联系您，或者打12345；不想办了回复“算了”。"
STUCK = ("这一项我总是没看明白，先不问了，您前面说的我都记着。\n"
         "想接着填，回复“接着办”；想找工作人员，回复“人工”，或者打12345。")
# "人工", "转人工", "我要找工作人员": the form stops and the conversation goes to a person (see Forms.submit)
_PERSON = re.compile(r"^(?:我要|我想|请|给我)?(?:转|找|要)?(?:人工|工作人员|真人|客服)(?:服务|客服)?(?:吧|啊)?$")
_EDIT_N = re.compile(r"^(?:改|修改|第)?\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*(?:项|条|个)?(?:说错了|错了|要改|改一下)?$")


class FormTurn(BaseModel):
    """What the action server sends for one answer (or for the form's activation)."""

    sender: str = Field(default="", max_length=200)
    channel: str | None = None
    text: str = Field(default="", max_length=20000)
    intent: str | None = None
    confidence: float | None = Field(default=None, strict=True)  # a number, as Rasa sends it ("0.9" is not)
    programme_entity: str | None = None
    requested_slot: str | None = None
    slots: dict[str, Any] = {}
    # the resident's messages just before this one, oldest first: a form that starts now may read them
    earlier: list[Annotated[str, Field(max_length=2000)]] = Field(default=[], max_length=5)

    @field_validator("text")
    @classmethod
    def _simplified(cls, text: str) -> str:
        # "兒子4歲", "找不著活": the parsers read simplified characters; "来电人说没有" is "没有"
        return unreported(simplified(text))

    @field_validator("earlier")
    @classmethod
    def _earlier_simplified(cls, earlier: list[str]) -> list[str]:
        return [simplified(text) for text in earlier]


class FormReply(BaseModel):
    messages: list[str] = []
    buttons: list[dict[str, Any]] = []  # chips under the last message: {"title", "payload"[, "multi"]}
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
    skipped: str = "没关系，这一项先跳过，窗口工作人员会再问您。"  # what the resident is told then
    after: Callable[[Any, State], list[str]] | None = None  # messages once answered (e.g. the screening result)
    summarised: bool = True                       # listed in the summary and correctable
    chips: Callable[[State], list[dict[str, Any]]] = lambda state: []  # tap-to-answer buttons
    about: tuple[str, ...] = ()                   # words that name this answer in a correction ("车没有")
    correct: Callable[[str, State], Parsed] | None = None  # read a correction (default: parse)
    confirms: bool = False                        # the summary: words naming an answer there correct it
    heard: Callable[[str, State], Any] | None = None  # a strict reading of this answer said before it was asked


@dataclass
class Detour:
    """Something other than an answer, said mid-form: a policy question answered on the spot (the question
    is asked again), or a new request that wins (`followup`, the action Rasa runs once the form stops)."""
    messages: list[str]
    followup: str | None = None


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
    resumable: bool = False                       # a detour pauses it (answers kept) instead of ending it
    redirect: Callable[[FormTurn], str | None] = lambda turn: None  # an opening another flow serves better

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
        """Answers to questions the form has passed that no longer apply (after a correction) are dropped;
        those ahead of it stay (heard before their question, they may apply once it comes)."""
        following = self.next_question(state)
        passed = self.questions[:self.questions.index(following)] if following else self.questions
        return {q.slot: None for q in passed if state.get(q.slot) is not None and not q.when(state)}

    def heard(self, text: str, state: State, asked: Question | None = None) -> dict[str, Any]:
        """Answers to questions not yet answered that the words give unasked ("儿子不管俺" said with the
        members, "上个月着的火" with the event): taken, not asked again, and shown in the summary."""
        found: dict[str, Any] = {}
        for question in self.questions:
            if question is asked or question.heard is None or state.get(question.slot) is not None:
                continue
            value = question.heard(text, state)
            if value is not None:
                found[question.slot] = value
        return found


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


# a numeral followed by a unit is a value ("四口人", "一个月八百", "三千块"), not a line of the summary
_NUMBERED = re.compile(r"^(改|第)?\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})(?![下点些口千百万块元级岁年月天周号]|个[月人]|[0-9一二三四五六七八九十两])"
                       r"\s*(?:项|个|条|行)?\s*"
                       r"(?:不对|错了|写错了|说错了|要改|改一下)?[\s，,：:]*(.+)$")
_WRONG = re.compile(r"不对|(?<![没不])错|改(?!嫁|善|造|革|变|天|日)|不是")  # 改嫁 is no correction, 没错 a yes
# a sigh before it is no answer: "哎不对 是四口", "嗯 不对 四口人"
_CORRECTION_WORDS = re.compile(r"^(?:哎呀|哎哟|哎|唉|嗯|哦|噢|呃|额)*(?:不对|错了|说错了|写错了|改一下|改下|要改|改|更正|应该是|其实是|是)+")
_NEGATED_CLAUSE = re.compile(r"^[没不](?!错)|不是|不对|(?<![没不])错")  # "不是一口", "人口不是一口", "人口错了"


def _read_correction(question: Question, words: str, state: State) -> Parsed:
    """A correction read as a new answer: what follows a change of mind ("是三口 不对 是四口"), else the
    clauses that say what is ("是郑家屯街道 不是辽西" → 郑家屯街道), else all of it."""
    read = question.correct or question.parse
    said = [after_correction(words).strip(), " ".join(c for c in clauses(words) if not _NEGATED_CLAUSE.search(c))]
    for candidate in [c for c in said if c and c != words] + [words]:
        parsed = read(_CORRECTION_WORDS.sub("", candidate) or candidate, state)
        if parsed.ok:
            return parsed
    return parsed


def _topics(form: Form, text: str, state: State) -> list[Question]:
    """Answered questions the words name, those named beside 不对/错/改 first, then by the longest word."""
    # "没毛病" is not about illness; "残疾那块不对" names a part of the summary, not money (块)
    key = re.sub(r"毛病|[那这哪]块", "", fold(text))
    wrong = "".join(c for c in clauses(text) if _WRONG.search(c))
    ranked = []
    for question in form.answered(state):
        length = max((len(w) for w in question.about if w in key), default=0)
        if length:
            ranked.append((not any(w in fold(wrong) for w in question.about), -length, question))
    return [q for *_, q in sorted(ranked, key=lambda r: (r[0], r[1]))]


def locate(form: Form, text: str, state: State) -> tuple[Question, str] | None:
    """The answered question a correction is about, and the words to read as its new answer:
    "改4 一千" and "第三项错了 是两口人" by number; "车没有", "是四口人" by what they name, trying each
    named question until one reads the words as a new answer (else the first, to be asked again)."""
    answered = form.answered(state)
    numbered = _NUMBERED.match(text.strip())
    # bare digits after a bare number ("1 5") are menu picks; after 改/第 ("改4 1000") they are the new value
    if numbered and (numbered.group(1) or not re.fullmatch(r"[0-9\s]+", numbered.group(3))):
        number = chinese_small_int(numbered.group(2))
        if number is not None and 1 <= number <= len(answered):
            return answered[number - 1], _CORRECTION_WORDS.sub("", numbered.group(3).strip())
    topics = _topics(form, text, state)
    if not topics:
        return None
    rest = _CORRECTION_WORDS.sub("", text.strip()) or text
    for question in topics:
        parsed = _read_correction(question, rest, state)
        if parsed.ok and parsed.value != state.get(question.slot):
            return question, rest
    return topics[0], rest


_BARE_YES = re.compile(r"(?:是|是的|对|对的|嗯|嗯呐|好|好的|行|可以|要|想)[啊呀吧的了]*")


def _opening(turn: FormTurn) -> FormTurn:
    """What the form reads for answers already given. A form started by a bare "是" to "您是想问…吗？" (or by a
    chip's command) was asked for in the message before it: "俺俩都七十多了 能申请点啥不", then "是"."""
    if turn.earlier and (turn.text.startswith("/") or _BARE_YES.fullmatch(fold(turn.text))):
        return turn.model_copy(update={"text": turn.earlier[-1], "earlier": turn.earlier[:-1]})
    return turn


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

        def ending(outcome: str, said: list[str], keep: bool = False) -> FormReply:
            paused = {PAUSED_RUN: {"form": form.name, "run_id": state.get(RUN_ID)}}
            slots = {**updates, OUTCOME: outcome, RETRIES: None, EDITING: None, **paused} if keep \
                else form.cleared(**{OUTCOME: outcome})
            return FormReply(messages=said, slots=slots, requested_slot=None)

        if turn.requested_slot in form.slots:
            # Rasa has already put the raw text into the requested slot; it is not an answer until parsed.
            apply({turn.requested_slot: None})
        if turn.requested_slot is None:
            paused = state.get(PAUSED_RUN) if isinstance(state.get(PAUSED_RUN), dict) else {}
            if form.resumable and paused.get("form") == form.name:
                apply({OUTCOME: None, RETRIES: None, EDITING: None, PAUSED_RUN: None, RUN_ID: paused.get("run_id")})
                messages.append(RESUMED)
                apply({k: v for k, v in form.prefill(turn, state).items() if state.get(k) is None})
            elif form.redirect(turn) is not None:  # "能帮他申请救助吗" opened a report: the pre-screen serves it
                return FormReply(messages=[], slots=form.cleared(**{OUTCOME: f"{SWITCH}:{form.redirect(turn)}"}),
                                 requested_slot=None)
            else:  # a new run: nothing from an earlier, abandoned one counts
                apply(form.cleared(**{RUN_ID: uuid.uuid4().hex}))
                messages += form.intro(turn, state)
                opening = _opening(turn)
                apply(form.prefill(opening, state))
                apply(form.heard(opening.text, state))
        elif is_cancel(turn.text) and not self._reads(turn, state):  # "算了" at consent is a no, not a stop
            return ending("cancelled", [form.cancelled])
        elif _PERSON.match(fold(turn.text)):
            return ending("person", [], keep=form.resumable)  # answers wait for "接着办" after the person
        elif state.get(EDITING) and _edit_number(turn.text) is not None:
            number, answered = _edit_number(turn.text), form.answered(state)
            if not 1 <= number <= len(answered):
                return FormReply(messages=[f"请回复 1 到 {len(answered)} 之间的序号。\n" + edit_menu(form, state)],
                                 slots=updates, requested_slot=turn.requested_slot, buttons=_edit_chips(form, state))
            apply({EDITING: None, answered[number - 1].slot: None, **{s: None for s in form.reset_on_edit}})
        elif (_edit_number(turn.text) is not None and "改" in turn.text) or (
                (is_correction(turn.text) or _says_wrong(form, turn)) and locate(form, turn.text, state) is None
                and not self._reads(turn, state)):  # "周玉兰 不对 打错了 是周玉莲" answers the question
            number = _edit_number(turn.text.replace("改一下", ""))
            answered = form.answered(state)
            if number is not None and 1 <= number <= len(answered):
                apply({answered[number - 1].slot: None, **{s: None for s in form.reset_on_edit}})
            else:
                apply({EDITING: True})
                return FormReply(messages=[edit_menu(form, state)], slots=updates,
                                 requested_slot=turn.requested_slot, buttons=_edit_chips(form, state))
        else:
            question = form.question(turn.requested_slot)
            if question is not None:
                said, unclear, ended = self._answer(question, turn, state, apply, env or {})
                if ended is not None:
                    return ending(ended, said, keep=form.resumable and ended.startswith((PAUSED, "person")))
                messages += said
        apply(form.purge(state))

        following = form.next_question(state)
        if following is None:
            apply({OUTCOME: "done", RETRIES: None})
            return FormReply(messages=messages, slots=updates, requested_slot=None)
        if not (unclear and following.slot == turn.requested_slot):
            messages.append(following.ask(state))
        return FormReply(messages=messages, slots=updates, requested_slot=following.slot,
                         buttons=following.chips(state))

    def _reads(self, turn: FormTurn, state: State) -> bool:
        """The pending question itself reads these words as an answer."""
        question = self.form.question(turn.requested_slot)
        return question is not None and not question.confirms and question.parse(turn.text, state).ok

    def _answer(self, question: Question, turn: FormTurn, state: State, apply: Callable[[dict[str, Any]], None],
                env: State) -> tuple[list[str], bool, str | None]:
        """(messages, unclear, outcome if the form stops here)."""
        form, text = self.form, turn.text
        found = self._correction_target(question, text, state)
        if found is not None:  # "不对 俺家没有车", "是四口人" at the summary, "说错了 是三口人" mid-form
            return self._correct(found, state, apply), False, None
        parsed = question.parse(text, state)
        apply(parsed.also)
        if parsed.ok:
            apply({question.slot: parsed.value, RETRIES: None})
            if not question.confirms:
                apply(form.heard(text, state, asked=question))
            said = [parsed.note] if parsed.note else []
            return said + (question.after(parsed.value, state) if question.after else []), False, None
        heard = {} if question.confirms else form.heard(text, state, asked=question)
        if heard:  # "儿子在外地 不管俺们" at the event question: kept, and the question comes again
            apply(heard)
            noted = "；".join(f"{q.label}：{q.show(heard[q.slot])}" for q in form.questions if q.slot in heard)
            return [f"好，记下了（{noted}）。"], False, None
        detour: Detour | None = env["_detour"](form.name, turn) if "_detour" in env else None
        if detour is not None and detour.followup == "person":
            return [], False, "person"
        if detour is not None and detour.followup:
            outcome = f"{PAUSED if form.resumable else SWITCH}:{detour.followup}"
            return detour.messages + ([PAUSED_NOTE] if form.resumable else []), False, outcome
        if detour is not None:  # answered on the spot; the question comes again
            return detour.messages + ["咱们接着刚才的："], False, None
        said = state.get(RETRIES)
        retries = (int(said) if isinstance(said, (int, float)) and math.isfinite(said) else 0) + 1
        if retries >= MAX_RETRIES and question.give_up is not None:
            apply({question.slot: question.give_up, RETRIES: None})
            return [question.skipped], False, None
        if retries > MAX_RETRIES:  # never the same question a third time
            return [STUCK if form.resumable else form.cancelled], False, PAUSED if form.resumable else "cancelled"
        apply({RETRIES: retries})
        error = parsed.error or "我没看明白。"
        return [error + ("\n" + ONWARD if retries == MAX_RETRIES else "")], True, None

    def _correction_target(self, question: Question, text: str, state: State) -> tuple[Question, str] | None:
        """A correction of an earlier answer: said as one (说错了, 不对 …) or, at the summary, any words
        that name an answered question and read as a new answer to it."""
        found = locate(self.form, text, state)
        if found is None or found[0] is question:
            return None
        if is_correction(text) or _CORRECTION_WORDS.match(fold(text)) or _NUMBERED.match(text.strip()) and "改" in text:
            return found
        if not asks(text) and any(_WRONG.search(fold(c)) and any(w in fold(c) for w in found[0].about)
                                  for c in clauses(text)):
            # "人口错了 四口", "人口不是一口 是四口": the answer named, and said to be wrong; "危房改造是不是得
            # 自己先垫钱啊" is a question, not the income said to be wrong
            return found
        return found if question.confirms and yes_no(text) is not True and not asks(text) else None

    def _correct(self, found: tuple[Question, str], state: State, apply: Callable[[dict[str, Any]], None]
                 ) -> list[str]:
        target, rest = found
        parsed = _read_correction(target, rest, state)
        resets = {s: None for s in self.form.reset_on_edit}
        if parsed.ok:
            changed = {target.slot: parsed.value, **parsed.also}
            changed.update(self._also_corrected(target, rest, {**state, **changed}))
            apply({**changed, RETRIES: None, EDITING: None, **resets})
            said = [target] + [q for q in self.form.questions if q.slot in changed and q is not target]
            return ["好，" + "；".join(f"{q.label}改成：{q.show(changed[q.slot])}" for q in said) + "。"]
        apply({target.slot: None, RETRIES: None, EDITING: None, **resets})
        return []

    def _also_corrected(self, target: Question, words: str, state: State) -> dict[str, Any]:
        """Other answers the same correction changes: "不对 是四口 孩子奶奶也跟着过 七十了" is the household's
        size and a new member. Only the clauses that do not name the corrected answer, read by the strict
        readers of answers said out of turn (`Question.heard`): "收入一个月八百" is no time of the event and
        "出不了几趟车" no word on the car."""
        others = " ".join(c for c in clauses(words) if not any(w in fold(c) for w in target.about))
        changed: dict[str, Any] = {}
        for question in _topics(self.form, others, state) if others else []:
            value = question.heard(others, state) if question is not target and question.heard else None
            if value is not None and value != state.get(question.slot):
                changed[question.slot] = value
        return changed


_SOMETHING_WRONG = re.compile(r"^(?:有|有个|有点|有些|这|那)?(?:地方|项|条|个)?(?:不全对|不对|错了|有错|改|有毛病|不中|不太对)"
                              r"(?:的|了|啊|呢)?$")


def _says_wrong(form: Form, turn: FormTurn) -> bool:
    """"不对", "改", "有个地方不对" at the summary: which line comes next (the edit menu); not unclear."""
    question = form.question(turn.requested_slot)
    return question is not None and question.confirms and (
        yes_no(turn.text) is False or bool(_SOMETHING_WRONG.match(fold(turn.text))))


def _edit_chips(form: Form, state: State) -> list[dict[str, Any]]:
    return [{"title": f"改{n} {q.label}", "payload": f"改{n}"} for n, q in enumerate(form.answered(state), 1)]
