"""The intake system's HTTP contract (what the action server, a resident and a clerk send and get)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from bot.intake.workflow import DEPARTMENTS, STATUSES

Kind = Literal["apply", "discovery", "urgent"]


class Suggestion(BaseModel):
    programme: str = Field(max_length=20)
    outcome: Literal["likely", "possible", "unlikely", "unknown"]
    reasons: list[str] = []


class ReferralDraft(BaseModel):
    """A new referral. The same idempotency_key always yields the same referral (safe to retry)."""

    idempotency_key: str = Field(min_length=8, max_length=100)
    kind: Kind
    channel: str = Field(max_length=40)
    sender: str | None = Field(default=None, max_length=200)
    township_code: str | None = Field(default=None, max_length=12)
    place_text: str | None = Field(default=None, max_length=200)
    contact_name: str | None = Field(default=None, max_length=40)
    contact_phone: str | None = Field(default=None, pattern=r"^\d{7,12}$")
    summary: str = Field(default="", max_length=4000)
    screening: dict[str, Any] = {}
    suggestions: list[Suggestion] = []
    urgency: Literal["normal", "urgent"] = "normal"
    consent_text: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _consent(self) -> ReferralDraft:
        # PIPL: an application shares the resident's data with the township only with their consent;
        # urgent and discovery referrals carry their legal basis in consent_text as well.
        if not self.consent_text:
            raise ValueError("consent_text is required: no consent, no referral")
        if self.kind == "apply" and not self.contact_phone:
            raise ValueError("an application needs a contact phone")
        return self


class Office(BaseModel):
    township_code: str | None
    township: str | None
    name: str
    phone: str | None
    verified: bool


class ReferralReceipt(BaseModel):
    case_number: str
    kind: Kind
    status: str
    status_label: str
    urgency: str
    office: Office
    created: bool  # False when this key was seen before (a retry)


class StatusLookup(BaseModel):
    case_number: str = Field(max_length=20)
    phone: str | None = Field(default=None, max_length=20)
    sender: str | None = Field(default=None, max_length=200)  # service callers only
    # service callers: the conversation asking by phone, counted in the look-up limits instead of the address
    on_behalf_of: str | None = Field(default=None, max_length=200)


class StatusAnswer(BaseModel):
    """All a resident learns: the status, the next step, whom to call."""

    case_number: str
    status: str
    status_label: str
    next_step: str
    office: Office
    updated_at: datetime


class EventIn(BaseModel):
    actor: str = Field(min_length=1, max_length=80)
    action: Literal["status", "note", "transfer"]
    to_status: str | None = None
    note: str | None = Field(default=None, max_length=2000)
    township_code: str | None = None   # transfer to another township
    department: str | None = None      # or to a department

    @model_validator(mode="after")
    def _shape(self) -> EventIn:
        if self.action == "status" and self.to_status not in STATUSES:
            raise ValueError(f"to_status must be one of {sorted(STATUSES)}")
        if self.action == "note" and not self.note:
            raise ValueError("a note needs text")
        if self.action == "transfer":
            if bool(self.township_code) == bool(self.department):
                raise ValueError("a transfer goes to one township_code or one department")
            if self.department and self.department not in DEPARTMENTS:
                raise ValueError(f"department must be one of {sorted(DEPARTMENTS)}")
            if not self.note:
                raise ValueError("a transfer needs a reason in note")
        return self


class EventOut(BaseModel):
    at: datetime
    actor: str
    kind: str
    from_status: str | None
    to_status: str | None
    township_code: str | None
    department: str | None
    note: str | None


class ReferralRow(BaseModel):
    """A referral as a clerk sees it in a list: the phone is masked."""

    case_number: str
    kind: Kind
    kind_label: str
    status: str
    status_label: str
    urgency: str
    township_code: str | None
    place_text: str | None
    contact_name: str | None
    contact_phone: str | None
    summary: str
    suggestions: list[Suggestion]
    department: str | None
    created_at: datetime
    updated_at: datetime


class ReferralDetail(ReferralRow):
    screening: dict[str, Any]
    consent_text: str | None
    consent_at: datetime | None
    events: list[EventOut]


class TownshipOut(BaseModel):
    code: str
    name: str
    kind: str
    office_name: str
    office_phone: str | None
    office_address: str | None
    verified: bool


class TownshipPatch(BaseModel):
    """Only the fields sent change; office_name and verified cannot be blanked (null → 422)."""

    office_name: str | None = Field(default=None, min_length=2, max_length=80)
    office_phone: str | None = Field(default=None, max_length=40)
    office_address: str | None = Field(default=None, max_length=120)
    verified: bool | None = None

    @model_validator(mode="after")
    def _required_stay(self) -> TownshipPatch:
        for name in ("office_name", "verified"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self



class DetailsIn(BaseModel):
    """What a resident added after the referral was opened (an emergency: where, a phone)."""

    actor: str = Field(min_length=1, max_length=80)
    township_code: str | None = Field(default=None, max_length=12)
    place_text: str | None = Field(default=None, max_length=200)
    contact_phone: str | None = Field(default=None, pattern=r"^\d{7,12}$")
