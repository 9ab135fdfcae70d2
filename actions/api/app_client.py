"""The one client the actions use to reach the app (answers, alerts)."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Text

import aiohttp

from actions import config

logger = logging.getLogger(__name__)


class AppUnavailable(Exception):
    """The app did not answer in time or answered with an error."""


async def post(path: Text, payload: Dict[Text, Any]) -> Dict[Text, Any]:
    headers = {"Authorization": f"Bearer {config.SERVICE_TOKEN}"}
    timeout = aiohttp.ClientTimeout(total=config.APP_TIMEOUT_S)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.post(f"{config.APP_URL}{path}", json=payload, headers=headers) as response:
                if response.status >= 400:
                    raise AppUnavailable(f"{path} answered {response.status}")
                return await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        raise AppUnavailable(f"{path}: {type(exc).__name__}") from exc
