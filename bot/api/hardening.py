"""What every route gets, whoever wrote it (issue 10). `harden(app, settings)` installs it from create_app:

- a body cap by route class, enforced before the body is read whole: a declared Content-Length over the cap
  is refused at once, a body without one (chunked) is counted as it arrives and refused at the cap → 413;
- JSON bodies read strictly before a route sees them: UTF-8, nested at most MAX_JSON_DEPTH deep, numbers a
  float can hold (no 1e400, NaN or Infinity) and integers Python reads (at most 4,300 digits), a JSON content
  type on JSON routes → 4xx;
- every error in the app's JSON format {"error", "reason", "message"} (the message short, polite Chinese),
  never FastAPI's or Starlette's English default, and a 405 that lists every method of its path;
- security headers on every response, with a Content-Security-Policy per page that allows exactly the
  inline script and style of the page's own file (by hash, no 'unsafe-inline');
- /docs served from the app's own files (bot/api/docs.py) and error responses in the OpenAPI document.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.settings import Settings

logger = logging.getLogger(__name__)

API_MAX_BODY_BYTES = 64 * 1024        # the JSON API: a message is at most 20,000 characters
INTAKE_MAX_BODY_BYTES = 256 * 1024    # a referral: summary, screening answers, consent text
MAX_JSON_DEPTH = 32                   # the deepest real payload (form slots with candidates) is about 5
MAX_JSON_DIGITS = 4300                # Python's own limit for reading an integer (sys.int_info)
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

MESSAGES = {
    400: "请求的格式不对，请检查后再发一次。",
    401: "需要服务口令才能访问。",
    403: "没有权限访问这里。",
    404: "没有找到要的内容。",
    405: "不支持这种请求方式。",
    409: "现在不能这样操作，请刷新后再试。",
    413: "发送的内容太多了，请删减一些再发。",
    415: "请求的格式不对，请用 JSON 发送。",
    422: "请求内容不对（可能太长或缺少内容），请检查后再发一次。",
    503: "系统有点忙，请稍后再试；着急请打12345。",
}
ERRORS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "body_too_large", 415: "unsupported_media_type", 422: "invalid_request",
          503: "unavailable"}
OTHER_4XX = "请求没有成功，请检查后再发一次。"
SERVER_ERROR = "系统出了点问题，请稍后再试；着急请打12345。"

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
# what a JSON answer or an error may load or be framed by: nothing
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# an HTML page no policy was made for (register its file in PagePolicies for its inline blocks): the app's own
# scripts, styles and images only, never inline code
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def error_body(status: int, reason: str, **extra: Any) -> dict[str, Any]:
    return {"error": ERRORS.get(status, "server_error" if status >= 500 else "client_error"), "reason": reason,
            **extra, "message": MESSAGES.get(status, SERVER_ERROR if status >= 500 else OTHER_4XX)}


def error_response(status: int, reason: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, reason), status_code=status, headers=headers)


# ---- bodies ------------------------------------------------------------------------------------------------

def body_cap(path: str, settings: Settings) -> int:
    """The largest body a route class accepts."""
    if path == "/wechat":
        return settings.wechat_max_body_bytes
    if path.startswith("/intake/api/"):
        return INTAKE_MAX_BODY_BYTES
    return API_MAX_BODY_BYTES


class BadBody(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


class _OutOfRange(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _OutOfRange(f"{name}, not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _OutOfRange("a number too large")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_DIGITS:  # checked before int(), which would refuse it only after a while
        raise _OutOfRange(f"an integer of more than {MAX_JSON_DIGITS} digits")
    return int(text)


def _depth(value: Any) -> int:
    """How deep containers nest (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def check_json(body: bytes) -> None:
    """Raise BadBody for a body no JSON route should read. Invalid JSON syntax is left to the route (422)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadBody(400, "the body is not UTF-8") from exc
    try:
        value = json.loads(text, parse_float=_finite, parse_int=_bounded_int, parse_constant=_no_constant)
    except RecursionError as exc:
        raise BadBody(400, f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from exc
    except _OutOfRange as exc:
        raise BadBody(422, f"{exc}: a number must be finite, an integer at most {MAX_JSON_DIGITS} digits") from exc
    except ValueError:
        return  # not JSON: the route answers 422 json_invalid
    if _depth(value) > MAX_JSON_DEPTH:
        raise BadBody(400, f"JSON nested deeper than {MAX_JSON_DEPTH} levels")


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class BodyGuard:
    """Reads a request's body up to its cap before the app runs, refuses what no route should read, and
    hands the app the same body. Bodies are small by construction (at most the cap), so holding one is cheap."""

    def __init__(self, app: ASGIApp, settings: Settings, json_route: Callable[[Scope], bool]):
        self.app, self.settings, self.json_route = app, settings, json_route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        try:
            body = await self._read(scope, receive)
        except BadBody as exc:
            logger.info("%s %s refused: %s %s", scope["method"], scope["path"], exc.status, exc.reason)
            return await error_response(exc.status, exc.reason)(scope, receive, send)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: the client's disconnect
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _read(self, scope: Scope, receive: Receive) -> bytes:
        cap = body_cap(scope["path"], self.settings)
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > cap:
            raise BadBody(413, f"a declared body of {int(declared)} bytes; at most {cap} here")
        json_route = scope["method"] in BODY_METHODS and self.json_route(scope)
        content_type = _header(scope, b"content-type")
        if json_route and content_type is not None and not _is_json(content_type) and declared != "0":
            raise BadBody(415, "this route reads JSON (Content-Type: application/json)")
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:  # stop reading: the rest is never taken in
                raise BadBody(413, f"a body over {cap} bytes")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and content_type is not None and _is_json(content_type):
            check_json(body)
        elif body and json_route:
            raise BadBody(415, "this route reads JSON (Content-Type: application/json)")
        return body


class Operations:
    """The app's operations as its OpenAPI document states them (built on first use, the document is fixed):
    which take a JSON body, and which methods a path answers."""

    def __init__(self, app: FastAPI):
        self.app = app
        self._paths: list[tuple[re.Pattern[str], dict[str, Any]]] | None = None

    def _index(self) -> list[tuple[re.Pattern[str], dict[str, Any]]]:
        if self._paths is None:
            self._paths = [(_template(path), item) for path, item in self.app.openapi().get("paths", {}).items()]
        return self._paths

    def methods(self, path: str) -> set[str]:
        return {method.upper() for pattern, item in self._index() if pattern.fullmatch(path) for method in item}

    def reads_json(self, scope: Scope) -> bool:
        method = scope["method"].lower()
        for pattern, item in self._index():
            if pattern.fullmatch(scope["path"]) and method in item:
                content = (item[method].get("requestBody") or {}).get("content", {})
                return any(_is_json(media) for media in content)
        return False


def _template(path: str) -> re.Pattern[str]:
    """/api/forms/{form}/validate → a pattern; {name:path} may span slashes."""
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile("".join((".+" if part.endswith(":path}") else "[^/]+") if part.startswith("{")
                              else re.escape(part) for part in parts))


# ---- security headers ---------------------------------------------------------------------------------------

_INLINE = {tag: re.compile(rf"<{tag}(?P<attrs>\s[^>]*)?>(?P<body>.*?)</{tag}>", re.S | re.I)
           for tag in ("script", "style")}


def inline_hashes(html: str, tag: str) -> list[str]:
    """CSP hash sources of the page's inline <script> or <style> blocks (script with src= excluded)."""
    hashes = []
    for match in _INLINE[tag].finditer(html):
        if tag == "script" and re.search(r"\ssrc\s*=", match.group("attrs") or "", re.I):
            continue
        digest = base64.b64encode(hashlib.sha256(match.group("body").encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return hashes


def page_policy(html: str, *, own_files: bool = False) -> str:
    """A page's policy: its own inline script and style by hash, fetches to the app, nothing from outside,
    never framed. `own_files` also allows scripts and styles the app serves (the /docs assets)."""
    self_source = ["'self'"] if own_files else []
    scripts = " ".join(self_source + inline_hashes(html, "script")) or "'none'"
    styles = " ".join(self_source + inline_hashes(html, "style")) or "'none'"
    return "; ".join([
        "default-src 'none'", f"script-src {scripts}", f"style-src {styles}", "img-src 'self' data:",
        "font-src 'self'", "connect-src 'self'", "base-uri 'none'", "form-action 'self'",
        "frame-ancestors 'none'"])


@dataclass
class PagePolicies:
    """The policy of each page, from the file it is served from (re-read when the file changes) or fixed."""

    files: dict[str, Path]
    fixed: dict[str, str]

    def __post_init__(self) -> None:
        self._cache: dict[str, tuple[tuple[int, int], str]] = {}

    def get(self, path: str) -> str | None:
        if path in self.fixed:
            return self.fixed[path]
        page = self.files.get(path)
        if page is None:
            return None
        try:
            stat = page.stat()
        except OSError:
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached is None or cached[0] != key:
            cached = (key, page_policy(page.read_text(encoding="utf-8")))
            self._cache[path] = cached
        return cached[1]


class SecurityHeaders:
    """nosniff, no framing, no referrer, a Content-Security-Policy, and no-store unless a route says otherwise."""

    def __init__(self, app: ASGIApp, pages: PagePolicies):
        self.app, self.pages = app, pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        page = self.pages.get(scope["path"])

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {key.lower() for key, _ in headers}
                html = any(key.lower() == b"content-type" and value.startswith(b"text/html") for key, value in headers)
                policy = page or (PAGE_POLICY if html else API_POLICY)
                wanted = {**SECURITY_HEADERS, "content-security-policy": policy, "cache-control": "no-store"}
                headers += [(name.encode(), value.encode()) for name, value in wanted.items()
                            if name.encode() not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


# ---- errors -------------------------------------------------------------------------------------------------

def install_error_handlers(app: FastAPI, operations: Operations) -> None:
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # the router names only the methods of the first route on the path
            named = {m.strip() for m in headers.get("Allow", "").split(",") if m.strip()}
            headers["Allow"] = ", ".join(sorted(named | operations.methods(request.url.path)))
        if exc.status_code >= 500:
            logger.warning("%s %s → %s %s", request.method, request.url.path, exc.status_code, exc.detail)
        reason = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail, ensure_ascii=False)
        return error_response(exc.status_code, reason, headers)

    async def server_error(request: Request, exc: Exception) -> Response:
        # logged with its traceback by the server (Starlette re-raises after this answer)
        return JSONResponse(error_body(500, "internal error"), status_code=500,
                            headers={**SECURITY_HEADERS, "content-security-policy": API_POLICY,
                                     "cache-control": "no-store"})

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, server_error)


# ---- OpenAPI ------------------------------------------------------------------------------------------------

ERROR_SCHEMA = {
    "title": "Error", "type": "object", "required": ["error", "reason", "message"],
    "properties": {
        "error": {"type": "string", "description": "a stable code: invalid_request, not_found, body_too_large…"},
        "reason": {"type": "string", "description": "what was wrong, in English, never the submitted value"},
        "message": {"type": "string", "description": "a short, polite sentence in Chinese for a person"},
        "fields": {"type": "array", "items": {"type": "string"}, "description": "422: the fields at fault"},
    },
}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Every operation answers 4xx in the app's format (422 included, not FastAPI's HTTPValidationError)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"description": "Refused: the app's error format",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {**error, "description": "Validation Error"}
            for code, response in responses.items():  # e.g. a route's 503: in the app's format too
                if code[0] in "45" and "content" not in response:
                    response["content"] = error["content"]
            responses.setdefault("4XX", error)
    schemas = schema["components"]["schemas"]
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return schema


def install_openapi(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema


# ---- all of it ----------------------------------------------------------------------------------------------

def harden(app: FastAPI, settings: Settings) -> None:
    """Called once from create_app, after the routers are included."""
    from bot.api import docs
    from bot.api.routes import chat

    docs_html = docs.install(app)
    fixed = {docs.DOCS_URL: page_policy(docs_html, own_files=True)} if docs_html else {}
    pages = PagePolicies(files={"/chat": chat.PAGE}, fixed=fixed)
    app.state.page_policies = pages  # another page with inline blocks: pages.files[path] = its file (dev/wechat)
    operations = Operations(app)
    install_error_handlers(app, operations)
    install_openapi(app)
    app.add_middleware(BodyGuard, settings=settings, json_route=operations.reads_json)
    app.add_middleware(SecurityHeaders, pages=pages)  # outermost: also on the guard's refusals
