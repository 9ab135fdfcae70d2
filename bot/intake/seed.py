"""Seed the townships table from policies/shuangliao-divisions.yml.

Only missing townships are added: what an admin edited (office phone, verified) is never overwritten.
The intake offices' phones are not published in our sources, so they start empty and unverified.
"""
from __future__ import annotations

import logging
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from bot.intake.models import Township

logger = logging.getLogger(__name__)


def office_name(name: str, kind: str) -> str:
    seat = "办事处" if kind == "街道" else "人民政府"
    return f"{name}{seat}社会救助窗口"


def seed_townships(session: Session, divisions_file: Path) -> int:
    data = yaml.safe_load(divisions_file.read_text(encoding="utf-8"))
    added = 0
    for entry in data["townships"]:
        if session.get(Township, entry["code"]) is not None:
            continue
        session.add(Township(
            code=entry["code"], name=entry["name"], kind=entry["kind"],
            office_name=office_name(entry["name"], entry["kind"]), office_phone=None,
            aliases=list(entry.get("aliases") or []),
            places=list(entry.get("communities") or []) + list(entry.get("villages") or []),
            verified=False))
        added += 1
    session.commit()
    if added:
        logger.info("seeded %d townships from %s (unverified)", added, divisions_file.name)
    return added
