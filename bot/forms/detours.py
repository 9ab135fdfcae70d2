"""Words mid-form that are no answer to the question: a policy question is answered on the spot (the
question then comes again); a new request (status, complaint, a report, a person) wins over the question.
The engine (bot/forms/engine.py) asks only after the words failed to read as an answer."""
from __future__ import annotations

from bot.forms.engine import Detour, FormTurn
from bot.knowledge.answers import aspect_answer, faq_answer, summary_answer
from bot.knowledge.loader import KnowledgeBase
from bot.replies.service import ASKS_ABOUT_OWN_CASE, WANTS_TO_APPLY, Replies
from bot.replies.context import Slots, TurnContext
from bot.triage.taxonomy import map_intent, programme_from_entities

MIN_CONFIDENCE = 0.5
# The action Rasa runs once the form has stopped, per request.
FOLLOWUPS = {"check_status": "action_check_status", "complaint": "complaint_form", "report_other": "report_form",
             "seek_help": "prescreen_form"}
OWN_INTENT = {"prescreen_form": "seek_help", "report_form": "report_other", "status_form": "check_status",
              "complaint_form": "complaint"}
BOT = "我是救助小助手，是自动回复的。想找工作人员，回复“人工”。"
LATER = {"materials": "要带什么材料，要看能申请哪项救助。这几个问题答完，我就告诉您该带什么、去哪办。",
         "process": "怎么办、去哪办，要看能申请哪项救助。这几个问题答完，我就告诉您。",
         "eligibility": "能不能办、能领多少，要看您家的情况，这几个问题就是帮您看这个的。"}


class Detours:
    def __init__(self, kb: KnowledgeBase, replies: Replies):
        self.kb = kb
        self.replies = replies

    def __call__(self, form: str, turn: FormTurn) -> Detour | None:
        if not turn.intent or (turn.confidence or 0.0) < MIN_CONFIDENCE:
            return None
        intent, aspect = map_intent(turn.intent, self.kb)
        if intent == OWN_INTENT.get(form):
            return None  # "俺想申请低保" while applying: an unclear answer, the question comes again
        if intent == "request_human":
            return Detour([], followup="person")
        if intent == "bot_challenge":
            return Detour([BOT])
        if intent == "ask_policy":
            messages = self._policy(turn, None if aspect == "none" else aspect)
            return Detour(messages) if messages else None
        if intent in FOLLOWUPS:
            return Detour([], followup=FOLLOWUPS[intent])
        return None

    def _policy(self, turn: FormTurn, aspect: str | None) -> list[str]:
        """The answer without its menu (the form's own numbered question follows); nothing when the
        question is about the resident's own case, which the form itself is finding out."""
        if WANTS_TO_APPLY.search(turn.text) or ASKS_ABOUT_OWN_CASE.search(turn.text):
            return []
        ctx = TurnContext(text=turn.text, intent=turn.intent, programme_entity=turn.programme_entity,
                          slots=Slots(programme=turn.slots.get("programme")))
        # the model's entity, else a programme named anywhere in the words (the form's slots carry none)
        programme = self.replies.programme(ctx) or programme_from_entities(
            [{"entity": "programme", "value": turn.text}], self.kb)
        faq = self.replies.faqs.find(turn.text, programme)
        if faq is not None:
            return faq_answer(self.kb, faq.programme, faq.faq)
        if programme is None:  # "申请要准备啥材料啊": it depends on what the household may get
            return [LATER.get(aspect or "", LATER["eligibility"])]
        return aspect_answer(self.kb, programme, aspect) if aspect else summary_answer(self.kb, programme)
