"""/docs: Swagger UI from the app's own files (the dist files of the swagger-ui-bundle package), so the page
loads no script, style or icon from outside and runs under the app's Content-Security-Policy.

FastAPI's documented self-hosting recipe: the app is built with docs_url=None and redoc_url=None (ReDoc
would load from a CDN too), and this module serves get_swagger_ui_html with local asset URLs.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

logger = logging.getLogger(__name__)

DOCS_URL = "/docs"
ASSETS_URL = "/docs/assets"
SPEC_30_URL = "/docs/openapi.json"  # for a Swagger UI before 5, which refuses FastAPI's "openapi": "3.1.0"
ASSETS = {  # the only files served from the bundle
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
}


def assets_dir() -> Path | None:
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    return Path(str(swagger_ui_path))


def _major(folder: Path) -> int:
    found = re.search(r"(\d+)\.\d+\.\d+$", folder.name)  # vendor/swagger-ui-4.15.5
    return int(found.group(1)) if found else 5


def install(app: FastAPI) -> str | None:
    """Add /docs and its assets; the page's HTML (for its policy), or None without the bundle installed."""
    folder = assets_dir()
    if folder is None:
        logger.warning("swagger-ui-bundle is not installed: no /docs (never the CDN)")
        return None
    spec_url = app.openapi_url or "/openapi.json"
    if _major(folder) < 5:  # swagger-ui-bundle 1.1.0 ships 4.15.5: it reads the same document labelled 3.0.3
        spec_url = SPEC_30_URL

        @app.get(SPEC_30_URL, include_in_schema=False)
        def openapi_for_swagger_ui_4() -> dict:
            return {**app.openapi(), "openapi": "3.0.3"}

    html = get_swagger_ui_html(
        openapi_url=spec_url, title=f"{app.title} — API",
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png", oauth2_redirect_url=None,
    ).body.decode("utf-8")

    @app.get(DOCS_URL, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(html)

    @app.get(ASSETS_URL + "/{name}", include_in_schema=False)
    def asset(name: str) -> FileResponse:
        if name not in ASSETS:
            raise HTTPException(status_code=404, detail="no such asset")
        return FileResponse(folder / name, media_type=ASSETS[name], headers={"Cache-Control": "public, max-age=3600"})

    return html
