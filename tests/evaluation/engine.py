"""Triage evaluation lines through the real engine, exactly as residents' messages are triaged.

Exists to keep the one place that talks to the engine (bot.triage.service.triage) apart from the
figures, which only see `Prediction`s.
"""
from __future__ import annotations

import asyncio
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

from bot.engine.client import EngineClient
from bot.knowledge.loader import KnowledgeBase
from bot.settings import Settings
from bot.triage.service import triage
from tests.evaluation.metrics import Prediction, flat, summarize


async def triage_all(settings: Settings, kb: KnowledgeBase, texts: Sequence[str]) -> list[Prediction]:
    engine = EngineClient(settings.engine_url, settings.engine_token, 30)
    try:
        return [Prediction.of(await triage(text, engine, kb, settings.max_message_chars)) for text in texts]
    finally:
        await engine.close()


@dataclass
class EngineRun:
    """Gold rows and the engine's predictions for them; `figures` is the flat dict of all figures."""
    rows: list[dict]
    predictions: list[Prediction] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, Any]:
        return flat(summarize(self.rows, self.predictions))


async def evaluate(settings: Settings, kb: KnowledgeBase, rows: list[dict]) -> EngineRun:
    """The engine's triage of every row (the integration test reads `.figures` of the result)."""
    return EngineRun(rows, await triage_all(settings, kb, [row["text"] for row in rows]))


def run_engine(settings: Settings, kb: KnowledgeBase, rows: list[dict]) -> list[Prediction]:
    return asyncio.run(triage_all(settings, kb, [row["text"] for row in rows]))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(settings: Settings, model: Path) -> Iterator[Settings]:
    """An engine alone serving `model` (e.g. one `bot model --data COPY --out FILE` trained on exported review
    corrections) on ports of its own, beside whatever else runs; yields the settings that reach it."""
    from bot.runtime.stack import Stack

    with tempfile.TemporaryDirectory(prefix="jiuzhu-eval-") as tmp:
        own = replace(settings, engine_port=_free_port(), actions_port=_free_port(), app_port=_free_port(),
                      engine_url_setting="", tracker_store_url=f"sqlite:///{Path(tmp) / 'tracker.db'}",
                      event_broker_url="", lock_store_url="")
        with Stack(own, with_app=False, with_actions=False, model=model.resolve()):
            yield own
