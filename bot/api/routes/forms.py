"""Called by the action server while a form runs: validate an answer, submit, word the intake result."""
from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from bot.api.deps import AppServices, Db, ServiceAuth
from bot.forms.engine import FormReply, FormTurn
from bot.intake.schemas import ReferralReceipt, StatusAnswer
from bot.replies.context import Reply

router = APIRouter(prefix="/api/forms", tags=["dialogue"], dependencies=[ServiceAuth])
FormName = Literal["prescreen_form", "report_form", "status_form", "urgent_form", "complaint_form"]


class IntakeFailure(BaseModel):
    """What the action server posts when the intake system refused or did not answer ({"error": "not_found"}).
    A result that is not the intake system's answer is read as a failure too: staff are told, never a crash."""

    error: str | None = None


class ReceiptOutcome(BaseModel):
    context: FormTurn
    result: Annotated[ReferralReceipt | IntakeFailure, Field(union_mode="left_to_right")]


class StatusOutcome(BaseModel):
    context: FormTurn
    result: Annotated[StatusAnswer | IntakeFailure, Field(union_mode="left_to_right")]


@router.post("/{form}/validate", response_model=FormReply)
def validate(form: FormName, turn: FormTurn, svc: AppServices, session: Db
             ) -> FormReply:
    return svc.forms.validate(session, form, turn)


@router.post("/{form}/submit", response_model=Reply)
def submit(form: FormName, turn: FormTurn, svc: AppServices, session: Db) -> Reply:
    staff = svc.alerts.about(session, turn.sender, turn.channel, turn.text)
    return svc.forms.submit(form, turn, staff.ask_person, staff.complain)


@router.post("/{form}/receipt", response_model=Reply)
def receipt(form: Literal["prescreen_form", "report_form", "urgent_form"], outcome: ReceiptOutcome,
            svc: AppServices, session: Db) -> Reply:
    staff = svc.alerts.about(session, outcome.context.sender, outcome.context.channel, outcome.context.text)
    return svc.forms.receipt(form, outcome.context, outcome.result.model_dump(mode="json"), staff.referral_failed)


@router.post("/status_form/answer", response_model=Reply)
def status_answer(outcome: StatusOutcome, svc: AppServices) -> Reply:
    return svc.forms.status_answer(outcome.context, outcome.result.model_dump(mode="json"))
