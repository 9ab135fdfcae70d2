"""The app's services, built once from settings and held on app.state: what routes receive, typed
(`bot.api.deps.AppServices`)."""
from __future__ import annotations

from dataclasses import dataclass

from bot.channels.conversation import Conversation
from bot.channels.wechat.api import WeChatApi
from bot.channels.wechat.gateway import Gateway
from bot.channels.wechat.menu import click_intents
from bot.channels.wechat.menu import load as load_menu
from bot.channels.wechat.outbox import Outbox
from bot.db.session import Database
from bot.engine.client import EngineClient
from bot.forms.service import Forms
from bot.gazetteer.divisions import DIVISIONS_FILE, Gazetteer
from bot.gazetteer.divisions import load as load_gazetteer
from bot.knowledge.loader import KnowledgeBase, load
from bot.replies.service import Replies
from bot.safety.net import SafetyNet
from bot.security.limits import Limiter
from bot.security.store import ExpiringStore, make_store
from bot.settings import Settings
from bot.staff.alerts.service import Alerts
from bot.staff.desk import Desk


@dataclass
class Services:
    settings: Settings
    db: Database  # settings.database_url: every session the app opens
    kb: KnowledgeBase
    net: SafetyNet
    engine: EngineClient
    replies: Replies
    conversation: Conversation
    forms: Forms
    outbox: Outbox
    store: ExpiringStore  # rate limits, WeChat nonces and deliveries (Redis or this process)
    limiter: Limiter
    alerts: Alerts
    gazetteer: Gazetteer  # townships, villages, communities (policies/shuangliao-divisions.yml)
    wechat: Gateway | None = None  # built last: it answers through the services above


def build_services(settings: Settings) -> Services:
    kb = load(settings.policies_dir)  # refuses to start on an inconsistent knowledge base
    db = Database(settings.database_url)
    net = SafetyNet.from_file(settings.policies_dir / "emergency.yml")
    engine = EngineClient(settings.engine_url, settings.engine_token, settings.engine_timeout_s)
    store = make_store(settings.redis_url)
    limiter = Limiter(store, settings.rate_limit_factor)
    alerts = Alerts(kb, net)
    conversation = Conversation(engine, kb, net, settings.max_message_chars, limiter, desk=Desk(alerts))
    replies = Replies(kb, settings.reply_chunk_chars)
    gazetteer = load_gazetteer(settings.policies_dir / DIVISIONS_FILE)
    outbox = Outbox(WeChatApi(settings.wechat_api_url, settings.wechat_app_id, settings.wechat_app_secret, db), db)
    services = Services(settings, db, kb, net, engine, replies, conversation, Forms(kb, replies, gazetteer), outbox,
                        store, limiter, alerts, gazetteer)
    services.wechat = Gateway(settings, services, outbox, click_intents(load_menu()))
    return services
