"""The console's settings, read once from the environment (documented in README.md, "Configuration").

Kept apart from bot/settings.py so the staff wing moves as a whole; `create_app` builds one from its Settings.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher


def _minutes(name: str, default: float) -> timedelta:
    return timedelta(minutes=float(os.environ.get(name, str(default))))


@dataclass(frozen=True)
class StaffConfig:
    idle: timedelta = timedelta(minutes=30)        # a session unused this long is over
    absolute: timedelta = timedelta(hours=12)      # and any session this old, however busy
    lockout_failures: int = 5                      # wrong passwords in a row that lock an account
    lockout: timedelta = timedelta(minutes=15)     # for this long
    secure_cookies: bool = False                   # Secure cookies (HTTPS only): on in production
    hasher: PasswordHasher = PasswordHasher()      # argon2id, RFC 9106 low-memory profile (argon2-cffi default)

    @classmethod
    def from_env(cls, bot_env: str) -> StaffConfig:
        return cls(idle=_minutes("CONSOLE_IDLE_MINUTES", 30),
                   absolute=_minutes("CONSOLE_SESSION_MINUTES", 12 * 60),
                   lockout_failures=int(os.environ.get("CONSOLE_LOCKOUT_FAILURES", "5")),
                   lockout=_minutes("CONSOLE_LOCKOUT_MINUTES", 15),
                   secure_cookies=bot_env == "production")
