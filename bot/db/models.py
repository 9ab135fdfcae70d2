"""Import every module that defines tables, so Base.metadata knows them all (Alembic, tests)."""
from bot.alerts.models import Alert
from bot.channels.inbox import InboundMessage
from bot.channels.quick_replies import PendingButtons
from bot.intake.models import CaseCounter, Referral, ReferralEvent, Township

__all__ = ["Alert", "CaseCounter", "InboundMessage", "PendingButtons", "Referral", "ReferralEvent", "Township"]
