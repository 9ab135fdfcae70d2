"""Rate limits per surface. Counts live in the shared store (bot/security/store.py), so every app instance
sees the same totals; keys are hashed, so the store never holds a sender id, an address or a case number.

RATE_LIMIT_FACTOR multiplies every count (1 in production; the shared test stack raises it, the limits'
own tests run at 1).
"""
from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass

from bot.security.store import ExpiringStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    name: str
    count: int       # allowed in one window
    window_s: float


# A resident types far slower than this; a script, a stuck client or a flood does not.
MESSAGES_PER_SENDER = Rule("messages-per-sender", 20, 60)
MESSAGES_PER_SENDER_DAY = Rule("messages-per-sender-day", 600, 86400)
# One address may be a village's shared connection: generous, but it stops one machine speaking as many.
WEB_MESSAGES_PER_CLIENT = Rule("web-messages-per-client", 120, 60)
NEW_WEB_SENDERS_PER_CLIENT = Rule("new-web-senders-per-client", 60, 3600)
# The web chat's page asks for staff replies every few seconds while a person has the conversation.
STAFF_POLLS_PER_SENDER = Rule("staff-polls-per-sender", 60, 60)
# Case number + phone: enough for a resident who mistypes, far too few to guess four digits.
STATUS_PER_CASE = Rule("status-per-case", 10, 3600)
STATUS_PER_CLIENT = Rule("status-per-client", 30, 3600)
# Urgent (急难) referrals opened by one conversation; beyond this, the numbers and the staff alert only.
URGENT_PER_SENDER = Rule("urgent-per-sender", 4, 6 * 3600)
# Staff console logins from one address, whatever the accounts (an office shares one address): stops a
# guesser trying one password on many accounts, which the per-account lockout (bot/staff/accounts.py) cannot.
CONSOLE_LOGINS_PER_CLIENT = Rule("console-logins-per-client", 30, 900)


class RateLimited(Exception):
    """A request over its limit: the app answers 429 with `message` (polite Chinese) and Retry-After."""

    def __init__(self, rule: Rule, message: str):
        super().__init__(rule.name)
        self.rule = rule
        self.message = message


def _key(rule: Rule, subject: str) -> str:
    return f"limit:{rule.name}:{hashlib.sha256(subject.encode()).hexdigest()[:24]}"


class Limiter:
    def __init__(self, store: ExpiringStore, factor: float = 1.0):
        self.store = store
        self.factor = factor

    def allow(self, rule: Rule, subject: str) -> bool:
        """Count one event for `subject`; False once the window's allowance is used up."""
        return self.allow_all((rule, subject))

    def allow_all(self, *checks: tuple[Rule, str]) -> bool:
        """Every check counted (a refused request still uses up its allowance), all must pass."""
        counts = self.store.hits([(_key(rule, subject), rule.window_s) for rule, subject in checks])
        over = [rule.name for (rule, _), count in zip(checks, counts) if count > math.ceil(rule.count * self.factor)]
        if over:
            logger.warning("rate limit reached: %s", ", ".join(over))
        return not over
