"""The app side of the three forms: one validation step, the submission, and the words after the
intake system answered (the action server talks to the intake system itself, through its client)."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from bot.forms import results
from bot.forms.detours import Detours
from bot.forms.engine import OUTCOME, PAUSED, RUN_ID, SWITCH, Form, FormReply, FormTurn, Interview
from bot.forms.followups import BY_SENDER, REPORT, STATUS, URGENCY, URGENT, status_prefill
from bot.forms.prescreen import PRESCREEN, household_of
from bot.intake import service as intake
from bot.knowledge.loader import KnowledgeBase
from bot.replies.context import IntakeRequest, Reply
from bot.replies.service import Replies
from bot.screening.rules import Standard, screen

logger = logging.getLogger(__name__)

FORMS: dict[str, Form] = {form.name: form for form in (PRESCREEN, REPORT, STATUS, URGENT)}

PRESCREEN_CONSENT = ("本人同意：把我在对话中说的家庭情况、称呼和电话转给{office}，"
                     "仅用于联系我、帮我申请社会救助（双辽市民政局，救助小助手）。")
REPORT_CONSENT = ("反映人主动提供他人困难情况{phone}，仅用于乡镇（街道）上门核实、主动发现和帮扶"
                  "（《关于改革完善社会救助制度的意见》主动发现机制）。")
INTAKE_DOWN = ("转办系统暂时连不上。您说的情况我已经记下来，工作人员会看到并联系您。\n"
               "着急的话请打12345，或者直接去乡镇（街道）社会救助窗口。")
NOT_FOUND = ("没查到这个案件号和电话对应的申请。请核对一下再发；\n"
             "也可以问乡镇（街道）社会救助窗口，或者打12345。")


class Forms:
    def __init__(self, kb: KnowledgeBase, replies: Replies):
        self.kb = kb
        self.standard = Standard.from_kb(kb)
        self.detours = Detours(kb, replies)

    def _env(self, session: Session) -> dict[str, Any]:
        return {"_kb": self.kb, "_std": self.standard, "_townships": intake.townships(session),
                "_detour": self.detours}

    def validate(self, session: Session, name: str, turn: FormTurn) -> FormReply:
        return Interview(FORMS[name]).step(turn, self._env(session))

    def _reset(self, name: str, **keep: Any) -> dict[str, Any]:
        return FORMS[name].cleared(**keep)

    # -- after the form: what to ask the intake system ------------------------------------------
    def submit(self, name: str, turn: FormTurn, ask_person: Callable[[], list[str]]) -> Reply:
        outcome = str(turn.slots.get(OUTCOME) or "")
        if outcome.startswith((PAUSED, SWITCH)):  # a new request won over the question (answers kept if paused)
            followup = outcome.partition(":")[2] or None
            return Reply(messages=[], slots={} if outcome.startswith(PAUSED) else self._reset(name),
                         followup=followup)
        if outcome == "cancelled":  # the resident was already told
            return Reply(messages=[], slots=self._reset(name))
        if turn.slots.get(OUTCOME) == "person":
            return Reply(messages=ask_person(), slots=self._reset(name))
        if name == "status_form":
            return self._look_up(turn)
        if turn.slots.get(OUTCOME) != "done":
            return Reply(messages=[], slots=self._reset(name))
        if name == "prescreen_form":
            return self._submit_prescreen(turn)
        if name == "urgent_form":
            return self._submit_urgent(turn)
        return self._submit_report(turn)

    def _submit_urgent(self, turn: FormTurn) -> Reply:
        slots = turn.slots
        place = slots.get("urgent_place") or {}
        details = {"township_code": place.get("code"), "place_text": place.get("text"),
                   "contact_phone": slots.get("urgent_phone") or None, "actor": f"channel:{turn.channel or 'unknown'}"}
        return Reply(messages=[], intake=IntakeRequest(
            op="details", payload={"case_number": slots.get("case_number"), "details": details},
            then="/api/forms/urgent_form/receipt"))

    def _look_up(self, turn: FormTurn) -> Reply:
        """"查进度": straight to the look-up when the case (and phone) are known, else ask for them."""
        known = {**status_prefill(turn, turn.slots), **{k: v for k, v in turn.slots.items()
                                                          if k in ("status_case", "status_phone") and v}}
        if not (known.get("status_case") and known.get("status_phone")):
            return Reply(messages=[], followup="status_form")
        query: dict[str, Any] = {"case_number": known["status_case"]}
        if known["status_phone"] == BY_SENDER:
            query["sender"] = turn.sender
        else:
            query["phone"] = known["status_phone"]
        return Reply(messages=[], intake=IntakeRequest(op="status", payload=query,
                                                       then="/api/forms/status_form/answer"))

    def _findings(self, slots: dict[str, Any]):
        return screen(household_of(slots), self.standard)

    def _submit_prescreen(self, turn: FormTurn) -> Reply:
        slots = {**turn.slots, "_kb": self.kb, "_std": self.standard}
        findings = self._findings(slots)
        if slots.get("referral_consent") != "yes":
            logger.info("pre-screen finished without consent: no referral")
            return Reply(messages=results.no_referral_messages(findings, self.kb),
                         slots=self._reset("prescreen_form"))
        place = slots.get("place") or {}
        answers = {q.label: q.show(slots[q.slot]) for q in PRESCREEN.answered(slots)}
        draft = {
            "idempotency_key": f"prescreen:{slots[RUN_ID]}",
            "kind": "apply",
            "channel": turn.channel or "unknown",
            "sender": turn.sender,
            "township_code": place.get("code"),
            "place_text": place.get("text"),
            "contact_name": slots.get("contact_name") or None,
            "contact_phone": slots.get("contact_phone"),
            "summary": "；".join(f"{k}：{v}" for k, v in answers.items()),
            "screening": {q.slot: slots[q.slot] for q in PRESCREEN.questions if slots.get(q.slot) is not None
                          and q.slot not in ("contact_name", "contact_phone")},
            "suggestions": [{"programme": f.programme, "outcome": f.outcome, "reasons": f.reasons}
                            for f in results.promising(findings)],
            "urgency": "urgent" if slots.get("event_when") == "recent" else "normal",
            "consent_text": PRESCREEN_CONSENT.format(office=place.get("office") or "户籍所在地乡镇（街道）"),
        }
        return Reply(messages=[], intake=IntakeRequest(op="create", payload=draft,
                                                       then="/api/forms/prescreen_form/receipt"))

    def _submit_report(self, turn: FormTurn) -> Reply:
        slots = turn.slots
        place = slots.get("report_place") or {}
        phone = slots.get("reporter_phone") or None
        urgency = slots.get("report_urgency")
        draft = {
            "idempotency_key": f"report:{slots[RUN_ID]}",
            "kind": "discovery",
            "channel": turn.channel or "unknown",
            "sender": turn.sender,
            "township_code": place.get("code"),
            "place_text": place.get("text"),
            "contact_phone": phone,
            "summary": f"反映人看到：{slots.get('report_situation')}；急不急：{URGENCY.label(urgency)}",
            "screening": {"report_urgency": urgency},
            "urgency": "urgent" if urgency == "urgent" else "normal",
            "consent_text": REPORT_CONSENT.format(phone="和自己的电话" if phone else ""),
        }
        return Reply(messages=[], intake=IntakeRequest(op="create", payload=draft,
                                                       then="/api/forms/report_form/receipt"))

    # -- after the intake system answered -------------------------------------------------------
    def receipt(self, name: str, turn: FormTurn, result: dict[str, Any],
                flag_for_staff: Callable[[str], None]) -> Reply:
        if "case_number" not in result:
            # what INTAKE_DOWN promises: staff see it (an alert naming this conversation) and call back
            logger.error("%s: intake system failed (%s); staff alerted", name, result.get("error"))
            flag_for_staff(f"{name}：转办系统没有建成转介（{result.get('error')}），请联系这位居民")
            return Reply(messages=[INTAKE_DOWN], slots={})
        office = result["office"]
        if name == "urgent_form":
            keep_line = "请保持电话畅通，" if turn.slots.get("urgent_phone") else ""
            return Reply(messages=[f"记下了，已经补充给工作人员。{keep_line}有危险先打110、120。"],
                         slots=self._reset(name))
        if name == "report_form":
            messages = [f"收到，已经转给{office['name']}，请他们上门看看。\n登记号：{result['case_number']}。"
                        "谢谢您！"]
        else:
            messages = results.receipt_messages(result["case_number"], office["name"], office.get("phone"),
                                                self._findings(turn.slots), self.kb)
        return Reply(messages=messages, slots=self._reset(name, case_number=result["case_number"]))

    def status_answer(self, turn: FormTurn, result: dict[str, Any]) -> Reply:
        reset = self._reset("status_form")
        if result.get("error") == "not_found":
            return Reply(messages=[NOT_FOUND], slots=reset)
        if "status" not in result:
            return Reply(messages=["查询系统暂时连不上，请过一会儿再试，或者打12345。"], slots=reset)
        office = result["office"]
        phone = f"，电话{office['phone']}" if office.get("phone") else ""
        return Reply(messages=[f"案件 {result['case_number']}：{result['status_label']}。\n"
                               f"下一步：{result['next_step']}\n办理窗口：{office['name']}{phone}。"],
                     slots=reset)
