from fastapi import APIRouter, Depends

from bot.api.deps import services

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(svc=Depends(services)) -> dict:
    return {"status": "ok", "engine": "up" if await svc.engine.ready() else "down",
            "programmes": len(svc.kb.programmes)}
