"""What the pre-screen's parsers need besides the text, built without a database: the knowledge base,
the local standards and the gazetteer (bot/gazetteer/, as the app loads it)."""
from __future__ import annotations

from datetime import date
from typing import Any

from bot.gazetteer.divisions import DIVISIONS_FILE, Division
from bot.gazetteer.divisions import load as load_gazetteer
from bot.knowledge.loader import load
from bot.screening.rules import Standard
from bot.settings import ROOT


TODAY = date(2026, 12, 20)


def townships() -> list[Division]:
    return list(load_gazetteer(ROOT / "policies" / DIVISIONS_FILE).divisions)


def form_env() -> dict[str, Any]:
    kb = load(ROOT / "policies")
    # a fixed today, so that "上个月" reads the same on any day the tests run (the app uses the date now)
    return {"_kb": kb, "_std": Standard.from_kb(kb), "_townships": townships(), "_today": TODAY}
