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
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    path.chmod(0o600)  # may hold a database password
    return path
