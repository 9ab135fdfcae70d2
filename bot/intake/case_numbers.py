"""Case numbers `SL-YYYY-NNNNNN`: one gap-free sequence per (China-time) year, safe across app replicas."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.intake.models import CaseCounter

CHINA = ZoneInfo("Asia/Shanghai")
PATTERN = re.compile(r"^SL-(\d{4})-(\d{6})$")


def format_case(year: int, number: int) -> str:
    return f"SL-{year}-{number:06d}"


def next_case_number(session: Session, now: datetime) -> str:
    """Increment this year's counter in the caller's transaction.

    PostgreSQL holds the counter row locked until commit, SQLite locks the file: concurrent creators
    wait for each other instead of handing out the same number.
    """
    year = now.astimezone(CHINA).year
    for _ in range(3):
        number = session.execute(
            update(CaseCounter).where(CaseCounter.year == year)
            .values(last=CaseCounter.last + 1).returning(CaseCounter.last)
        ).scalar_one_or_none()
        if number is not None:
            return format_case(year, number)
        try:
            with session.begin_nested():  # first case of the year; another replica may race us
                session.add(CaseCounter(year=year, last=1))
            return format_case(year, 1)
        except IntegrityError:
            continue
    raise RuntimeError(f"could not allocate a case number for {year}")
