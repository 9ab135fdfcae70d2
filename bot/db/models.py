"""Import every module that defines tables, so Base.metadata knows them all (Alembic, tests)."""
from bot.staff.alerts.models import Alert
from bot.channels.danger_check import DangerCheck
from bot.staff.handoff import Handoff, HandoffMessage
from bot.channels.inbox import InboundMessage
from bot.channels.notices import ResidentNotice
from bot.channels.quick_replies import PendingButtons
from bot.intake.models import CaseCounter, Referral, ReferralEvent, Township
from bot.channels.wechat.models import WechatFollower, WechatInbound, WechatOutbox, WechatToken
from bot.staff.models import AuditEntry, StaffSession, StaffUser
from bot.staff.wrapups import AssistWrapup  # noqa: F401  (the agent assist's wrap-ups)
from bot.staff.review.models import ReviewConversation, ReviewCursor, ReviewTag, ReviewTurn  # noqa: F401  (会话审阅)

__all__ = ["Alert", "AuditEntry", "CaseCounter", "DangerCheck", "Handoff", "HandoffMessage", "InboundMessage", "PendingButtons", "Referral",
           "ReferralEvent", "ResidentNotice", "StaffSession", "StaffUser", "Township", "WechatFollower", "WechatInbound", "WechatOutbox",
           "WechatToken"]
