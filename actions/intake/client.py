"""The one way the action server reaches "the intake system" (乡镇受理系统).

The bundled implementation is the app's /intake/api. A provincial system plugs in as another class
with the same three methods, chosen by INTAKE_BACKEND. Every call is retried with backoff: creating a
referral carries an idempotency key, so a retry never makes a second one.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Protocol, Text

import aiohttp

from actions import config

logger = logging.getLogger(__name__)


class IntakeUnavailable(Exception):
    """The intake system did not answer after the retries."""


class IntakeClient(Protocol):
    async def create_referral(self, draft: Dict[Text, Any]) -> Dict[Text, Any]: ...

    async def lookup_status(self, query: Dict[Text, Any]) -> Dict[Text, Any]: ...

    async def add_details(self, case_number: Text, details: Dict[Text, Any]) -> Dict[Text, Any]: ...


class BundledIntakeClient:
    """The intake system bundled with the app (HTTP, service token)."""

    def __init__(self, base_url: Text, token: Text, timeout_s: float, attempts: int = 3):
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"}
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self.attempts = attempts

    async def _post(self, path: Text, payload: Dict[Text, Any]) -> Dict[Text, Any]:
        for attempt in range(1, self.attempts + 1):
            try:
                async with aiohttp.ClientSession(timeout=self.timeout) as session:
                    async with session.post(self.base_url + path, json=payload, headers=self.headers) as response:
                        body = await response.json(content_type=None)
                        if response.status == 404:
                            return {"error": "not_found"}
                        if response.status < 500:
                            if response.status >= 400:
                                logger.error("intake %s refused (%s): %s", path, response.status, body.get("error"))
                                return {"error": body.get("error", "refused")}
                            return body
                        logger.warning("intake %s answered %s (attempt %d)", path, response.status, attempt)
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
                logger.warning("intake %s failed: %s (attempt %d)", path, type(exc).__name__, attempt)
            if attempt < self.attempts:
                await asyncio.sleep(0.2 * 2 ** attempt)
        raise IntakeUnavailable(path)

    async def create_referral(self, draft: Dict[Text, Any]) -> Dict[Text, Any]:
        return await self._post("/intake/api/referrals", draft)

    async def lookup_status(self, query: Dict[Text, Any]) -> Dict[Text, Any]:
        return await self._post("/intake/api/status-lookups", query)

    async def add_details(self, case_number: Text, details: Dict[Text, Any]) -> Dict[Text, Any]:
        return await self._post(f"/intake/api/referrals/{case_number}/details", details)


BACKENDS = {"bundled": lambda: BundledIntakeClient(config.INTAKE_URL, config.SERVICE_TOKEN, config.APP_TIMEOUT_S)}


def get_intake_client() -> IntakeClient:
    try:
        return BACKENDS[config.INTAKE_BACKEND]()
    except KeyError:
        raise RuntimeError(f"INTAKE_BACKEND={config.INTAKE_BACKEND!r} is not one of {sorted(BACKENDS)}") from None


async def run(request: Dict[Text, Any]) -> Dict[Text, Any]:
    """Carry out an intake request the app composed ({"op", "payload"}); errors become {"error": ...}."""
    client = get_intake_client()
    try:
        payload = request["payload"]
        if request["op"] == "create":
            return await client.create_referral(payload)
        if request["op"] == "details":
            return await client.add_details(payload["case_number"], payload["details"])
        return await client.lookup_status(payload)
    except IntakeUnavailable as exc:
        logger.error("intake system unavailable for %s: %s", request["op"], exc)
        return {"error": "unavailable"}
