"""Seed the townships table (the intake offices) from the gazetteer (policies/shuangliao-divisions.yml).

Only missing townships are added: what an admin edited (office phone, verified) is never overwritten.
The intake offices' phones are not published in our sources, so they start empty and unverified.
"""
from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.orm import Session

from bot.gazetteer.divisions import load
from bot.intake.models import Township

logger = logging.getLogger(__name__)


def seed_townships(session: Session, divisions_file: Path) -> int:
    added = 0
    for division in load(divisions_file).divisions:
        if session.get(Township, division.code) is not None:
            continue
        session.add(Township(
            code=division.code, name=division.name, kind=division.kind, office_name=division.office,
            office_phone=None, aliases=list(division.aliases), places=list(division.places), verified=False))
        added += 1
    session.commit()
    if added:
        logger.info("seeded %d townships from %s (unverified)", added, divisions_file.name)
    return added
