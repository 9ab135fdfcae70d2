"""Triage evaluation lines through the real engine, exactly as residents' messages are triaged.

Exists to keep the one place that talks to the engine (bot.triage.service.triage) apart from the
figures, which only see `Prediction`s.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
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
