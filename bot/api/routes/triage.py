from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from bot.api.deps import AppServices, ServiceAuth
from bot.engine.client import EngineUnavailable
from bot.triage.service import triage

router = APIRouter(prefix="/api", tags=["triage"], dependencies=[ServiceAuth])


class TriageRequest(BaseModel):
    text: str = Field(max_length=20000)


@router.post("/triage", responses={503: {"description": "The engine did not answer (the app's error format)"}})
async def triage_one(body: TriageRequest, svc: AppServices) -> dict:
    try:
        result = await triage(body.text, svc.engine, svc.kb, svc.settings.max_message_chars)
    except EngineUnavailable as exc:
        raise HTTPException(status_code=503, detail=f"engine unavailable: {exc}") from exc
    return result.as_dict()
