"""What a referral can be and where it can go next: kinds, statuses, departments, allowed moves."""
from __future__ import annotations

from pathlib import Path

import yaml

from bot.settings import ROOT

KINDS = {"apply": "申请协助", "discovery": "主动发现", "urgent": "急难"}

STATUSES = {
    "pending": "待受理",
    "accepted": "已受理",
    "needs_materials": "待补材料",
    "home_visit": "入户调查",
    "closed": "已办结",
    "rejected": "不予受理",
    "transferred": "已转办",
}

# What the resident is told about each status, the next step in plain words: policies/referral-notices.yml,
# each sentence with the sources of the policy it states, checked at start-up (bot.knowledge.referrals; the
# console's notices read it from the app's knowledge base). NEXT_STEP is the same sentences read from the
# bundled policies folder, for the bundled intake system's status look-up (bot.intake.service).
NOTICES_FILE = "referral-notices.yml"


def read_next_steps(path: Path) -> dict[str, str]:
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("next_step") or {}
    return {status: str(entry["text"]) for status, entry in entries.items()}


NEXT_STEP = read_next_steps(ROOT / "policies" / NOTICES_FILE)

DEPARTMENTS = {
    "yibao": "医保局",
    "canlian": "残联",
    "renshe": "人社局",
    "jiaoyu": "教育局",
    "zhujian": "住建局",
    "yingji": "应急管理局",
}

# A clerk's status moves. Transfers are their own action (with a target and a reason): any open referral
# goes to another township (pending there) or to a department (transferred).
TRANSITIONS: dict[str, set[str]] = {
    "pending": {"accepted", "rejected"},
    "accepted": {"needs_materials", "home_visit", "closed", "rejected"},
    "needs_materials": {"accepted", "home_visit", "rejected", "closed"},
    "home_visit": {"needs_materials", "closed", "rejected"},
    "closed": set(),
    "rejected": set(),
    "transferred": set(),
}

OPEN = {"pending", "accepted", "needs_materials", "home_visit"}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())
