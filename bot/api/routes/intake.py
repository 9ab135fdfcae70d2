"""The bundled township intake system's HTTP API (what a provincial system would offer instead).

Service-token callers: the action server (create, look up by channel user) and, until the staff
console brings its own login, staff tools (list, detail, events, township offices).
Residents: status look-up by case number + phone, which reveals nothing else.
"""
import time
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request, Response

from bot.api.deps import AppServices, check_service_token, Db, ServiceAuth
from bot.intake import schemas, service
from bot.intake.service import IntakeError
from bot.security.limits import STATUS_PER_CASE, STATUS_PER_CLIENT, RateLimited

TOO_MANY_LOOKUPS = "这个案件查询次数太多了，请过一个小时再查，或者打12345问。"
REFUSAL_FLOOR_S = 0.005  # far above the look-up's own time (≈0.1 ms): what varies with the data is hidden

router = APIRouter(prefix="/intake/api", tags=["intake"])
MAX_OFFSET = 1_000_000  # far past any list a clerk pages through; 2**63 and beyond overflow the database


@router.post("/referrals", response_model=schemas.ReferralReceipt, status_code=201, dependencies=[ServiceAuth],
             responses={200: {"model": schemas.ReferralReceipt,
                              "description": "A retry: the referral made the first time"}})
def create_referral(draft: schemas.ReferralDraft, session: Db, response: Response) -> schemas.ReferralReceipt:
    receipt = service.create_referral(session, draft)
    if not receipt.created:
        response.status_code = 200  # a retry: the referral made the first time
    return receipt


@router.post("/status-lookups", response_model=schemas.StatusAnswer)
def lookup_status(query: schemas.StatusLookup, session: Db, request: Request, svc: AppServices,
                  authorization: str = Header(default="")) -> schemas.StatusAnswer:
    trusted = False
    if query.sender is not None or query.on_behalf_of is not None:
        check_service_token(svc, authorization)  # only the action server may look up by channel user
        trusted = True
    if query.phone is not None:  # a guess is possible: counted per case and per caller
        caller = query.on_behalf_of if trusted and query.on_behalf_of else (
            request.client.host if request.client else "unknown")
        if not svc.limiter.allow_all((STATUS_PER_CASE, query.case_number.strip().upper()),
                                     (STATUS_PER_CLIENT, caller)):
            raise RateLimited(STATUS_PER_CASE, TOO_MANY_LOOKUPS)
    started = time.perf_counter()
    try:
        return service.lookup_status(session, query, trusted, svc.kb.referrals.next_step_texts)
    except IntakeError:
        # a refusal always takes the same time, whether the case exists or not
        time.sleep(max(0.0, REFUSAL_FLOOR_S - (time.perf_counter() - started)))
        raise


@router.get("/referrals", response_model=list[schemas.ReferralRow], dependencies=[ServiceAuth])
def list_referrals(
    session: Db,
    township: str | None = None,
    status: Annotated[str | None, Query(description="a status, or 'open'")] = None,
    kind: Literal["apply", "discovery", "urgent"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[schemas.ReferralRow]:
    return service.list_referrals(session, township_code=township, status=status, kind=kind,
                                  limit=limit, offset=offset)


@router.get("/referrals/by-sender/{sender}/latest", dependencies=[ServiceAuth])
def latest_case(sender: str, session: Db) -> dict[str, str | None]:
    return {"case_number": service.latest_case_of(session, sender)}


@router.get("/referrals/{case_number}", response_model=schemas.ReferralDetail, dependencies=[ServiceAuth])
def referral_detail(case_number: str, session: Db) -> schemas.ReferralDetail:
    return service.detail(session, case_number)


@router.post("/referrals/{case_number}/events", response_model=schemas.ReferralDetail,
             dependencies=[ServiceAuth])
def record_event(case_number: str, event: schemas.EventIn, session: Db) -> schemas.ReferralDetail:
    return service.record_event(session, case_number, event)


@router.post("/referrals/{case_number}/details", response_model=schemas.ReferralReceipt,
             dependencies=[ServiceAuth])
def add_details(case_number: str, details: schemas.DetailsIn, session: Db) -> schemas.ReferralReceipt:
    return service.add_details(session, case_number, details)


@router.get("/townships", response_model=list[schemas.TownshipOut])
def townships(session: Db) -> list[schemas.TownshipOut]:
    return [schemas.TownshipOut.model_validate(t, from_attributes=True) for t in service.townships(session)]


@router.patch("/townships/{code}", response_model=schemas.TownshipOut, dependencies=[ServiceAuth])
def update_township(code: str, patch: schemas.TownshipPatch, session: Db) -> schemas.TownshipOut:
    return schemas.TownshipOut.model_validate(service.update_township(session, code, patch), from_attributes=True)
