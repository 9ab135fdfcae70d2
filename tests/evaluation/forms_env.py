"""What the pre-screen's parsers need besides the text, built without a database: the knowledge base,
the local standards and the gazetteer (as the app seeds it from policies/shuangliao-divisions.yml)."""
from __future__ import annotations

from typing import Any

import yaml

from bot.intake.models import Township
from bot.intake.seed import office_name
from bot.knowledge.loader import load
from bot.screening.rules import Standard
from bot.settings import ROOT


def townships() -> list[Township]:
    data = yaml.safe_load((ROOT / "policies" / "shuangliao-divisions.yml").read_text(encoding="utf-8"))
    return [Township(code=t["code"], name=t["name"], kind=t["kind"], office_name=office_name(t["name"], t["kind"]),
                     aliases=list(t.get("aliases") or []),
                     places=(t.get("communities") or []) + (t.get("villages") or [])) for t in data["townships"]]


def form_env() -> dict[str, Any]:
    kb = load(ROOT / "policies")
    return {"_kb": kb, "_std": Standard.from_kb(kb), "_townships": townships()}
