"""Write the engine's endpoints.yml from settings (one source of configuration: bot/settings.py)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bot.settings import ROOT, Settings


MASKING_STORE = "engine_server.tracker_store.MaskingSQLTrackerStore"  # Rasa's SQL store, masking at write


def tracker_store(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return {"type": MASKING_STORE, "dialect": "sqlite", "db": url.split(":///", 1)[1]}
    return {"type": MASKING_STORE, "dialect": "postgresql", "url": parts.hostname, "port": parts.port or 5432,
            "db": parts.path.lstrip("/"), "username": parts.username or "postgres",
            "password": parts.password or "", "login_db": parts.path.lstrip("/")}


EVENT_QUEUE = "jiuzhu_events"


def event_broker(url: str, queue: str = EVENT_QUEUE, exchange: str = "rasa-exchange") -> dict | None:
    """Where the engine publishes every conversation event (masked, like the tracker store): Rasa's SQL broker
    on the embedded default and PostgreSQL, RabbitMQ (`amqp://…`, queue EVENT_BROKER_QUEUE, read by
    `bot review consume`) in production. "" = none."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return {"type": "SQL", "dialect": "sqlite", "db": url.split(":///", 1)[1]}
    if parts.scheme.startswith("postgresql"):
        return {"type": "SQL", "dialect": "postgresql", "url": parts.hostname, "port": parts.port or 5432,
                "db": parts.path.lstrip("/"), "username": parts.username or "postgres",
                "password": parts.password or ""}
    if parts.scheme in ("amqp", "amqps"):
        return {"type": "pika", "url": parts.hostname, "port": parts.port or 5672,
                "username": parts.username or "guest", "password": parts.password or "guest",
                "queues": [queue], "exchange_name": exchange, "raise_on_failure": False}
    raise ValueError(f"EVENT_BROKER_URL: unsupported scheme {parts.scheme!r}")


def lock_store(url: str) -> dict | None:
    if not url:
        return None  # in-memory: one engine process only
    parts = urlsplit(url)
    return {"type": "redis", "url": parts.hostname, "port": parts.port or 6379,
            "db": int(parts.path.lstrip("/") or 0), "key_prefix": "jiuzhu"}


def write_endpoints(settings: Settings, path: Path | None = None) -> Path:
    path = path or ROOT / "var" / "endpoints.yml"
    config = {
        # Rasa reads ${ACTIONS_TOKEN} from the engine's environment: the secret is in no file
        "action_endpoint": {"url": f"http://127.0.0.1:{settings.actions_port}/webhook",
                            "headers": {"Authorization": "Bearer ${ACTIONS_TOKEN}"}},
        "tracker_store": tracker_store(settings.tracker_store_url),
    }
    lock = lock_store(settings.lock_store_url)
    if lock:
        config["lock_store"] = lock
    broker = event_broker(settings.event_broker_url, settings.event_broker_queue, settings.event_broker_exchange)
    if broker:
        config["event_broker"] = broker
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    path.chmod(0o600)  # may hold a database password
    return path
