"""The WeChat official account's server URL: GET verifies it, POST delivers messages and events."""
import logging

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from bot.api.deps import AppServices
from bot.channels.wechat.protocol import ProtocolError, Query

router = APIRouter(tags=["wechat"])
logger = logging.getLogger(__name__)
XML = "application/xml; charset=utf-8"
TEXT = {"schema": {"type": "string"}}
ERROR = {"schema": {"$ref": "#/components/schemas/Error"}}
REFUSED = {"4XX": {"description": "Refused: a short plain-text reason, as WeChat reads it (an oversized body gets "
                                  "the app's JSON error, from the body cap)",
                   "content": {"text/plain": TEXT, "application/json": ERROR}}}


def _query(request: Request) -> Query:
    p = request.query_params
    return Query(signature=p.get("signature", ""), timestamp=p.get("timestamp", ""), nonce=p.get("nonce", ""),
                 msg_signature=p.get("msg_signature"), encrypt_type=p.get("encrypt_type"), echostr=p.get("echostr"))


def _refused(request: Request, exc: ProtocolError) -> Response:
    client = request.client.host if request.client else "?"
    logger.warning("wechat %s refused from %s: %s (%s)", request.method, client, exc.status, exc.reason)
    return PlainTextResponse(exc.reason if exc.status != 403 else "forbidden", status_code=exc.status)


@router.get("/wechat", response_class=PlainTextResponse, responses=REFUSED)
def verify_url(request: Request, svc: AppServices) -> Response:
    try:
        return PlainTextResponse(svc.wechat.verify_url(_query(request)))
    except ProtocolError as exc:
        return _refused(request, exc)


@router.post("/wechat", response_class=Response, responses={
    200: {"description": "The passive reply (XML, encrypted or not) or \"success\"",
          "content": {"application/xml": TEXT, "text/plain": TEXT}}, **REFUSED})
async def receive(request: Request, svc: AppServices) -> Response:
    limit = svc.settings.wechat_max_body_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return _refused(request, ProtocolError(413, f"declared body of {declared} bytes"))
    body = b""
    async for chunk in request.stream():  # stop reading at the cap, whatever the header said
        body += chunk
        if len(body) > limit:
            return _refused(request, ProtocolError(413, "body over the cap"))
    try:
        answer = await svc.wechat.receive(_query(request), body)
    except ProtocolError as exc:
        return _refused(request, exc)
    return Response(answer, media_type=XML if answer.startswith("<") else "text/plain")
