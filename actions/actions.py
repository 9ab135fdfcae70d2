"""Custom actions. Each sends what the resident said to the app and relays what the app composed.

The app answers {"messages": [...], "slots": {...}}; slots it returns are set on the tracker.
When the app is down the resident still gets a polite answer (and the emergency numbers when needed).
"""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import offline
from actions.api.app_client import AppUnavailable, post
from actions.intake import client as intake

logger = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"


def _message_context(tracker: Tracker) -> Dict[Text, Any]:
    latest = tracker.latest_message or {}
    ranking = [r for r in latest.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
    entities = [e for e in latest.get("entities") or [] if e.get("entity") == "programme"]
    return {
        "sender": tracker.sender_id,
        "channel": tracker.get_latest_input_channel(),
        "text": latest.get("text") or "",
        "intent": (latest.get("intent") or {}).get("name"),
        "top_intent": ranking[0]["name"] if ranking else None,
        "rule_override": latest.get("rule_override"),
        "programme_entity": entities[0].get("value") if entities else None,
        "slots": {name: tracker.get_slot(name) for name in ("programme", "aspect", "menu")},
    }


EARLIER_MESSAGES = 3  # what the resident said just before, for a form that starts now ("我替我妹妹问" first)


def _form_turn(tracker: Tracker) -> Dict[Text, Any]:
    latest = tracker.latest_message or {}
    ranking = [r for r in latest.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
    said = [e.get("text") for e in tracker.events if e.get("event") == "user" and isinstance(e.get("text"), str)]
    # what the resident typed before this message: the commands a chip or a "是" sent on their behalf
    # ("/report_other") say nothing of whose household it is
    typed = [text for text in said[:-1] if not text.startswith("/")]
    return {
        "sender": tracker.sender_id,
        "channel": tracker.get_latest_input_channel(),
        "text": latest.get("text") or "",
        # what else the words might be, if they are no answer: a question, a new request
        "intent": ranking[0]["name"] if ranking else None,
        "confidence": ranking[0].get("confidence") if ranking else None,
        "programme_entity": _message_context(tracker)["programme_entity"],
        "requested_slot": tracker.get_slot("requested_slot"),
        "slots": tracker.current_slot_values(),
        "earlier": [text[:2000] for text in typed[-EARLIER_MESSAGES:]],
    }


def _relay(dispatcher: CollectingDispatcher, reply: Dict[Text, Any]) -> List[EventType]:
    messages = reply.get("messages", [])
    for n, text in enumerate(messages, 1):
        buttons = reply.get("buttons") if n == len(messages) else None
        dispatcher.utter_message(text=text, buttons=buttons or [])
    events: List[EventType] = [SlotSet(name, value) for name, value in (reply.get("slots") or {}).items()]
    if reply.get("followup"):
        events.append(FollowupAction(reply["followup"]))
    return events


async def _converse(dispatcher: CollectingDispatcher, path: Text, context: Dict[Text, Any]) -> List[EventType]:
    """Ask the app; if it asks for intake work (a referral, a status look-up), do it through the intake
    client and let the app word the result. Raises AppUnavailable."""
    reply = await post(path, context)
    events = _relay(dispatcher, reply)
    if reply.get("intake"):
        result = await intake.run(reply["intake"])
        events += _relay(dispatcher, await post(reply["intake"]["then"], {"context": context, "result": result}))
    return events


class _AppAction(Action, ABC):
    """Post the turn to `path` on the app and relay the reply (abstract: the SDK skips it)."""

    path: Text = ""

    @abstractmethod
    def name(self) -> Text: ...

    def offline_text(self, tracker: Tracker) -> Text:
        return offline.SERVICE_UNAVAILABLE

    def extra_events(self) -> List[EventType]:
        return []

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        try:
            events = await _converse(dispatcher, self.path, _message_context(tracker))
        except AppUnavailable as exc:
            logger.error("app unavailable for %s: %s", self.name(), exc)
            dispatcher.utter_message(text=self.offline_text(tracker))
            return self.extra_events()
        return events + self.extra_events()


class ActionAnswerPolicy(_AppAction):
    path = "/api/answers"

    def name(self) -> Text:
        return "action_answer_policy"


class ActionChooseOption(_AppAction):
    path = "/api/answers/choice"

    def name(self) -> Text:
        return "action_choose_option"


class ActionDefaultAskAffirmation(_AppAction):
    """Step one of the fallback ladder: "您是想问…吗？" (overrides Rasa's English default)."""

    path = "/api/answers/clarify"

    def offline_text(self, tracker: Tracker) -> Text:
        return offline.REPHRASE

    def name(self) -> Text:
        return "action_default_ask_affirmation"


class ActionAlert(_AppAction):
    """Emergency, a request for a person, or a complaint: flag it for staff, tell the resident what now."""

    path = "/api/alerts"

    def name(self) -> Text:
        return "action_alert"

    def offline_text(self, tracker: Tracker) -> Text:
        intent: Optional[Text] = (tracker.latest_message.get("intent") or {}).get("name")
        return offline.EMERGENCY if intent == "emergency" else offline.SERVICE_UNAVAILABLE


class ActionDefaultAskRephrase(_AppAction):
    """Step two of the fallback ladder: ask to say it another way."""

    path = "/api/answers/rephrase"

    def name(self) -> Text:
        return "action_default_ask_rephrase"

    def offline_text(self, tracker: Tracker) -> Text:
        return offline.REPHRASE


class ActionDefaultFallback(_AppAction):
    """Last step of the ladder (and the core fallback): offer a person. Like Rasa's default, it
    reverts the unclear message so it does not steer later predictions."""

    path = "/api/answers/give-up"

    def name(self) -> Text:
        return "action_default_fallback"

    def extra_events(self) -> List[EventType]:
        return [UserUtteranceReverted()]


# -- forms: the app validates every answer and decides the next question ------------------------------
class _FormAction(Action, ABC):
    """An action of one form (abstract until a subclass names the form; the SDK skips it)."""

    @property
    @abstractmethod
    def form(self) -> Text: ...


class _ValidateForm(_FormAction):
    """`validate_<form>`: Rasa extracted the answer as text; the app reads it and picks the next question
    (it sets requested_slot itself, and None when the form is finished or cancelled)."""

    def name(self) -> Text:
        return f"validate_{self.form}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        if requested and requested not in tracker.slots_to_validate():
            return []  # nothing extracted (an emergency): Rasa rejects the form and the rules take over
        try:
            reply = await post(f"/api/forms/{self.form}/validate", _form_turn(tracker))
        except AppUnavailable as exc:
            logger.error("app unavailable validating %s: %s", self.form, exc)
            dispatcher.utter_message(text=offline.FORM_PAUSED)
            return [SlotSet(requested, None), SlotSet("requested_slot", requested)] if requested else \
                [SlotSet("requested_slot", None)]
        events = _relay(dispatcher, reply)
        return events + [SlotSet("requested_slot", reply.get("requested_slot"))]


class ValidatePrescreenForm(_ValidateForm):
    form = "prescreen_form"


class ValidateReportForm(_ValidateForm):
    form = "report_form"


class ValidateStatusForm(_ValidateForm):
    form = "status_form"


class ValidateUrgentForm(_ValidateForm):
    form = "urgent_form"


class _SubmitForm(_FormAction):
    """After a form: the app composes the referral (or look-up), the intake client carries it out."""

    action_name: Text = ""

    def name(self) -> Text:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        try:
            return await _converse(dispatcher, f"/api/forms/{self.form}/submit", _form_turn(tracker))
        except AppUnavailable as exc:
            logger.error("app unavailable submitting %s: %s", self.form, exc)
            dispatcher.utter_message(text=offline.SERVICE_UNAVAILABLE)
            return []


class ActionSubmitPrescreen(_SubmitForm):
    form, action_name = "prescreen_form", "action_submit_prescreen"


class ActionSubmitReport(_SubmitForm):
    form, action_name = "report_form", "action_submit_report"


class ActionSubmitUrgent(_SubmitForm):
    form, action_name = "urgent_form", "action_submit_urgent"


class ActionCheckStatus(_SubmitForm):
    form, action_name = "status_form", "action_check_status"


class ValidateComplaintForm(_ValidateForm):
    form = "complaint_form"


class ActionSubmitComplaint(_SubmitForm):
    """One complaint record per form run, its reference number and the resident's rights (the app words them)."""

    form, action_name = "complaint_form", "action_submit_complaint"
