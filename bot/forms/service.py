"""The app side of the three forms: one validation step, the submission, and the words after the
intake system answered (the action server talks to the intake system itself, through its client)."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from bot.forms import results
from bot.forms.detours import Detours
from bot.forms.engine import OUTCOME, PAUSED, PAUSED_RUN, RUN_ID, SWITCH, Form, FormReply, FormTurn, Interview
from bot.forms import complaint
from bot.forms.complaint import COMPLAINT
from bot.forms.followups import (BY_SENDER, NO_CASE, REPORT, STATUS, URGENT, interrupted, interrupted_report,
                                 new_request, report_draft, status_prefill)
from bot.forms.prescreen import PRESCREEN, household_of
from bot.gazetteer.divisions import Gazetteer
from bot.knowledge.loader import KnowledgeBase
from bot.replies.context import IntakeRequest, Reply
from bot.replies.service import Replies
from bot.screening.rules import Standard, screen

logger = logging.getLogger(__name__)

FORMS: dict[str, Form] = {form.name: form for form in (PRESCREEN, REPORT, STATUS, URGENT, COMPLAINT)}
RecordComplaint = Callable[[str, str], str]  # (idempotency key, what staff read) → the reference number

PRESCREEN_CONSENT = ("本人同意：把我在对话中说的家庭情况、称呼和电话转给{office}，"
                     "仅用于联系我、帮我申请社会救助（双辽市民政局，救助小助手）。")
INTAKE_DOWN = ("转办系统暂时连不上。您说的情况我已经记下来，工作人员会看到并联系您。\n"
               "着急的话请打12345，或者直接去乡镇（街道）社会救助窗口。")
NOT_FOUND = ("没查到这个案件号和电话对应的申请。请核对一下再发；\n"
             "也可以问乡镇（街道）社会救助窗口，或者打12345。")
TOO_MANY_LOOKUPS = "这个案件查询次数太多了，请过一个小时再查，或者带上身份证到乡镇（街道）社会救助窗口问，也可以打12345。"
NO_CASE_HELP = ("没有案件号也能查：带上身份证，到申请时的乡镇（街道）社会救助窗口问，或者打12345问。\n"
                "案件号在转办成功时发给您的消息里，像这样：SL-2026-000123。")


class Forms:
    def __init__(self, kb: KnowledgeBase, replies: Replies, gazetteer: Gazetteer):
        self.kb = kb
        self.gazetteer = gazetteer  # where residents live: the place questions read it, not the intake system
        self.standard = Standard.from_kb(kb)
        self.detours = Detours(kb, replies)

    def _env(self) -> dict[str, Any]:
        return {"_kb": self.kb, "_std": self.standard, "_townships": list(self.gazetteer.divisions),
                "_detour": self.detours}

    def validate(self, session: Session, name: str, turn: FormTurn) -> FormReply:
        return Interview(FORMS[name]).step(turn, self._env())

    def _reset(self, name: str, **keep: Any) -> dict[str, Any]:
        return FORMS[name].cleared(**keep)

    # -- after the form: what to ask the intake system ------------------------------------------
    def submit(self, name: str, turn: FormTurn, ask_person: Callable[[], list[str]],
               record_complaint: RecordComplaint | None = None) -> Reply:
        outcome = str(turn.slots.get(OUTCOME) or "")
        if outcome.startswith((PAUSED, SWITCH)):  # a new request won over the question (answers kept if paused)
            followup = outcome.partition(":")[2] or None
            # the outcome is spent here: the next form's submit must not read it again
            return Reply(messages=[], slots={OUTCOME: None} if outcome.startswith(PAUSED) else self._reset(name),
                         followup=followup)
        if outcome == "cancelled":  # the resident was already told
            return Reply(messages=[], slots=self._reset(name))
        if turn.slots.get(OUTCOME) == "person":
            paused = turn.slots.get(PAUSED_RUN)
            if FORMS[name].resumable and isinstance(paused, dict) and paused.get("form") == name:
                # nothing typed is lost: once the person is done, "我想申请救助" or "接着办" picks up here
                return Reply(messages=ask_person(), slots={OUTCOME: None})
            return Reply(messages=ask_person(), slots=self._reset(name))
        if name == "status_form":
            return self._look_up(turn)
        if name == "report_form" and interrupted(turn):  # filed before the emergency flow, silently
            return self._submit_report(turn)
        if turn.slots.get(OUTCOME) != "done" or not isinstance(turn.slots.get(RUN_ID), str):
            return Reply(messages=[], slots=self._reset(name))  # not a finished run (each run has its id)
        if name == "prescreen_form":
            return self._submit_prescreen(turn)
        if name == "urgent_form":
            return self._submit_urgent(turn)
        if name == "complaint_form":
            if record_complaint is None:
                raise ValueError("a complaint is submitted with a way to record it")
            return self._submit_complaint(turn, record_complaint)
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
        if NO_CASE in (known.get("status_case"), known.get("status_phone")):
            return self._no_case(turn)
        if not (known.get("status_case") and known.get("status_phone")):
            return Reply(messages=[], followup="status_form")
        query: dict[str, Any] = {"case_number": known["status_case"]}
        if known["status_phone"] == BY_SENDER:
            query["sender"] = turn.sender
        else:
            query["phone"] = known["status_phone"]
            query["on_behalf_of"] = turn.sender  # the look-up limits count this conversation
        return Reply(messages=[], intake=IntakeRequest(op="status", payload=query,
                                                       then="/api/forms/status_form/answer"))

    def _no_case(self, turn: FormTurn) -> Reply:
        """No case number (or phone) to look up: where to ask, then what the words asked for, as if no
        look-up had been pending ("俺不知道啥案件号 俺想申请低保", a menu button, "你好")."""
        return Reply(messages=[NO_CASE_HELP], slots=self._reset("status_form"), followup=new_request(turn))

    def _submit_complaint(self, turn: FormTurn, record_complaint: RecordComplaint) -> Reply:
        reference = record_complaint(complaint.idempotency_key(turn.slots), complaint.record_text(turn.slots))
        return Reply(messages=complaint.receipt_messages(reference, self.kb), slots=self._reset("complaint_form"))

    def _findings(self, slots: dict[str, Any]):
        return screen(household_of(slots), self.standard)

    def _submit_prescreen(self, turn: FormTurn) -> Reply:
        slots = {**turn.slots, "_kb": self.kb, "_std": self.standard}
        findings = self._findings(slots)
        if slots.get("referral_consent") != "yes" or not slots.get("contact_phone"):
            logger.info("pre-screen finished without %s: no referral",
                        "consent" if slots.get("referral_consent") != "yes" else "a phone")
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
        slots = interrupted_report(turn) if interrupted(turn) else turn.slots
        if slots is None:
            return Reply(messages=[], slots={})
        draft = {**report_draft(slots), "idempotency_key": f"report:{slots[RUN_ID]}",
                 "channel": turn.channel or "unknown", "sender": turn.sender}
        return Reply(messages=[], intake=IntakeRequest(op="create", payload=draft,
                                                       then="/api/forms/report_form/receipt"))

    # -- after the intake system answered -------------------------------------------------------
    def receipt(self, name: str, turn: FormTurn, result: dict[str, Any],
                flag_for_staff: Callable[[str], None]) -> Reply:
        if "case_number" not in result:
            # what INTAKE_DOWN promises: staff see it (an alert naming this conversation) and call back
            logger.error("%s: intake system failed (%s); staff alerted", name, result.get("error"))
            flag_for_staff(f"{name}：转办系统没有建成转介（{result.get('error')}），请联系这位居民")
            return Reply(messages=[] if interrupted(turn) else [INTAKE_DOWN], slots={})
        office = result["office"]
        if name == "urgent_form":
            keep_line = "请保持电话畅通，" if turn.slots.get("urgent_phone") else ""
            return Reply(messages=[f"记下了，已经补充给工作人员。{keep_line}有危险先打110、120。"],
                         slots=self._reset(name))
        if name == "report_form" and interrupted(turn):  # the emergency's own answer follows at once
            return Reply(messages=[], slots=self._reset(name))
        if name == "report_form":  # the number last, alone, so it stays on the screen
            messages = [f"收到，已经转给{office['name']}，请他们上门看看。谢谢您！",
                        f"登记号：{result['case_number']}"]
        else:
            messages = results.receipt_messages(result["case_number"], office["name"], office.get("phone"),
                                                self._findings(turn.slots), self.kb)
        return Reply(messages=messages, slots=self._reset(name, case_number=result["case_number"]))

    def status_answer(self, turn: FormTurn, result: dict[str, Any]) -> Reply:
        reset = self._reset("status_form")
        if result.get("error") == "not_found":
            return Reply(messages=[NOT_FOUND], slots=reset)
        if result.get("error") == "rate_limited":
            return Reply(messages=[TOO_MANY_LOOKUPS], slots=reset)
        if "status" not in result:
            return Reply(messages=["查询系统暂时连不上，请过一会儿再试，或者打12345。"], slots=reset)
        office = result["office"]
        phone = f"，电话{office['phone']}" if office.get("phone") else ""
        return Reply(messages=[f"案件 {result['case_number']}：{result['status_label']}。\n"
                               f"下一步：{result['next_step']}\n办理窗口：{office['name']}{phone}。"],
                     slots=reset)
