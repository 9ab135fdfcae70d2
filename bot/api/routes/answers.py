"""Called by the action server: compose what the resident is told."""
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from bot.api.deps import AppServices, Db, ServiceAuth
from bot.replies.context import IntakeRequest, Reply, TurnContext
from bot.security.limits import URGENT_PER_SENDER
from bot.staff.alerts.service import KIND_BY_INTENT, urgent_draft

router = APIRouter(prefix="/api", tags=["dialogue"], dependencies=[ServiceAuth])


@router.post("/answers", response_model=Reply)
def answer(ctx: TurnContext, svc: AppServices) -> Reply:
    return svc.replies.answer(ctx)


@router.post("/answers/choice", response_model=Reply)
def choice(ctx: TurnContext, svc: AppServices, session: Db) -> Reply:
    return svc.replies.choose(ctx, svc.alerts.about(session, ctx.sender, ctx.channel, ctx.text).alert)


@router.post("/answers/clarify", response_model=Reply)
def clarify(ctx: TurnContext, svc: AppServices) -> Reply:
    return svc.replies.clarify(ctx)


@router.post("/answers/rephrase", response_model=Reply)
def rephrase(ctx: TurnContext, svc: AppServices) -> Reply:
    return svc.replies.rephrase()


@router.post("/answers/give-up", response_model=Reply)
def give_up(ctx: TurnContext, svc: AppServices) -> Reply:
    return svc.replies.give_up()


@router.post("/alerts", response_model=Reply)
def alerts(ctx: TurnContext, svc: AppServices, session: Db) -> Reply:
    kind = KIND_BY_INTENT.get(ctx.intent or "", "handoff")
    alert, messages = svc.alerts.raise_alert(session, kind=kind, sender=ctx.sender, channel=ctx.channel,
                                             text=ctx.text)
    if alert.kind != "emergency":
        return Reply(messages=messages, slots={"menu": None})
    if not svc.limiter.allow(URGENT_PER_SENDER, ctx.sender):  # staff have the alert; no more cases from here
        return Reply(messages=messages, slots={"menu": None})
    # An emergency also opens an urgent (急难) referral at once, before anything else is asked.
    draft = urgent_draft(alert, ctx.text, svc.gazetteer.divisions)
    return Reply(messages=messages, slots={"menu": None},
                 intake=IntakeRequest(op="create", payload=draft, then="/api/alerts/receipt"))


class ReceiptIn(BaseModel):
    context: TurnContext
    result: dict[str, Any]


@router.post("/alerts/receipt", response_model=Reply)
def alert_receipt(outcome: ReceiptIn) -> Reply:
    case = outcome.result.get("case_number")
    if not case:
        return Reply(messages=[], slots={})  # the alert is in the database; the resident already has the numbers
    if not outcome.result.get("created"):  # another message of the same emergency: its case is open already
        return Reply(messages=[f"登记号：{case}。"], slots={"case_number": case})
    # a new urgent case: ask where the resident is and for a phone (urgent_form), to complete it
    return Reply(messages=[f"登记号：{case}。"], slots={"case_number": case}, followup="urgent_form")
