from fastapi import APIRouter

from bot.api.deps import AppServices

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(svc: AppServices) -> dict:
    return {"status": "ok", "engine": "up" if await svc.engine.ready() else "down",
            "programmes": len(svc.kb.programmes)}
