"""Configuration from environment variables, with safe embedded defaults.

Every variable is documented in README.md. `get_settings()` is the one way to read them.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev"}


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _dev_secret(name: str) -> str:
    """A per-checkout secret kept in var/, so the three local processes agree without config."""
    path = ROOT / "var" / f".{name}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


def _dev_aes_key() -> str:
    """EncodingAESKey for development: 43 characters of base64 (a 32-byte key without padding)."""
    import base64

    path = ROOT / "var" / ".wechat_aes_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(base64.b64encode(secrets.token_bytes(32)).decode().rstrip("="))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    env: str = field(default_factory=lambda: _env("BOT_ENV", "dev"))
    host: str = field(default_factory=lambda: _env("BOT_HOST", "127.0.0.1"))
    app_port: int = field(default_factory=lambda: _int("BOT_APP_PORT", 8000))
    engine_port: int = field(default_factory=lambda: _int("BOT_ENGINE_PORT", 5005))
    actions_port: int = field(default_factory=lambda: _int("BOT_ACTIONS_PORT", 5055))
    database_url: str = field(
        default_factory=lambda: _env("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'app.db'}")
    )
    tracker_store_url: str = field(
        default_factory=lambda: _env("TRACKER_STORE_URL", f"sqlite:///{ROOT / 'var' / 'tracker.db'}")
    )
    lock_store_url: str = field(default_factory=lambda: _env("LOCK_STORE_URL", ""))  # "" = in-memory
    # the engine's event broker (conversation review reads it): SQL on SQLite/PostgreSQL, or amqp://… (RabbitMQ)
    event_broker_url: str = field(
        default_factory=lambda: _env("EVENT_BROKER_URL", f"sqlite:///{ROOT / 'var' / 'events.db'}")
    )
    # RabbitMQ only: the queue the engine publishes to (through its fanout exchange) and the review consumer
    # (`bot review consume`, started by `bot serve`) reads; its batch size (= prefetch), how long a batch waits
    # to fill, the longest pause between reconnects, and how long the keys of folded events are kept
    event_broker_queue: str = field(default_factory=lambda: _env("EVENT_BROKER_QUEUE", "jiuzhu_events"))
    event_broker_exchange: str = field(default_factory=lambda: _env("EVENT_BROKER_EXCHANGE", "rasa-exchange"))
    review_prefetch: int = field(default_factory=lambda: _int("REVIEW_PREFETCH", 500))
    review_batch_wait_s: float = field(default_factory=lambda: float(_env("REVIEW_BATCH_WAIT_S", "0.5")))
    review_reconnect_max_s: float = field(default_factory=lambda: float(_env("REVIEW_RECONNECT_MAX_S", "30")))
    review_key_days: int = field(default_factory=lambda: _int("REVIEW_KEY_DAYS", 7))
    # rate limits, WeChat nonces and deliveries shared by app instances; "" = this process's memory
    redis_url: str = field(default_factory=lambda: _env("REDIS_URL", ""))
    # days what residents said is kept (app database, tracker store, event broker); referrals: days after closing,
    # 0 = kept. The bureau sets both from its records rules; these defaults are placeholders, not a legal figure.
    retention_days: int = field(default_factory=lambda: _int("RETENTION_DAYS", 180))
    referral_retention_days: int = field(default_factory=lambda: _int("REFERRAL_RETENTION_DAYS", 0))
    rate_limit_factor: float = field(default_factory=lambda: float(_env("RATE_LIMIT_FACTOR", "1")))
    # the reverse proxy whose X-Forwarded-For names the client; "" = none: a caller cannot pick its address
    forwarded_allow_ips: str = field(default_factory=lambda: _env("FORWARDED_ALLOW_IPS", ""))
    engine_token: str = field(default_factory=lambda: os.environ.get("ENGINE_TOKEN") or _dev_secret("engine_token"))
    service_token: str = field(default_factory=lambda: os.environ.get("SERVICE_TOKEN") or _dev_secret("service_token"))
    # the engine's call to the action server (only the engine knows it, besides the action server)
    actions_token: str = field(default_factory=lambda: os.environ.get("ACTIONS_TOKEN") or _dev_secret("actions_token"))
    # signs the web chat's sender ids: the app issues them, nobody can speak as another's
    webchat_secret: str = field(default_factory=lambda: os.environ.get("WEBCHAT_SECRET") or _dev_secret("webchat_secret"))
    policies_dir: Path = field(default_factory=lambda: Path(_env("POLICIES_DIR", str(ROOT / "policies"))))
    model_cache_dir: Path = field(
        default_factory=lambda: Path(_env("MODEL_CACHE_DIR", str(Path.home() / ".cache" / "jiuzhu" / "models")))
    )
    engine_timeout_s: float = field(default_factory=lambda: float(_env("ENGINE_TIMEOUT_S", "8")))
    max_message_chars: int = field(default_factory=lambda: _int("MAX_MESSAGE_CHARS", 500))
    reply_chunk_chars: int = field(default_factory=lambda: _int("REPLY_CHUNK_CHARS", 160))
    # WeChat official account (公众号) server configuration; dev values let the simulator work offline
    wechat_token: str = field(default_factory=lambda: os.environ.get("WECHAT_TOKEN") or _dev_secret("wechat_token"))
    wechat_app_id: str = field(default_factory=lambda: _env("WECHAT_APP_ID", "wx00000000000dev00"))
    wechat_app_secret: str = field(
        default_factory=lambda: os.environ.get("WECHAT_APP_SECRET") or _dev_secret("wechat_app_secret"))
    wechat_aes_key: str = field(default_factory=lambda: os.environ.get("WECHAT_AES_KEY") or _dev_aes_key())
    wechat_api_base: str = field(default_factory=lambda: _env("WECHAT_API_BASE", ""))  # "" = by BOT_ENV
    wechat_passive_budget_s: float = field(default_factory=lambda: float(_env("WECHAT_PASSIVE_BUDGET_S", "4")))
    wechat_replay_window_s: int = field(default_factory=lambda: _int("WECHAT_REPLAY_WINDOW_S", 300))
    wechat_max_body_bytes: int = field(default_factory=lambda: _int("WECHAT_MAX_BODY_BYTES", 65536))
    # refuse plaintext WeChat messages (安全模式 only); "" = on in production, off elsewhere (the simulator's plaintext)
    wechat_require_aes_flag: str = field(default_factory=lambda: _env("WECHAT_REQUIRE_AES", ""))
    # the WeChat simulator's routes (development only) answer loopback clients presenting this token
    simulator_token: str = field(
        default_factory=lambda: os.environ.get("SIMULATOR_TOKEN") or _dev_secret("simulator_token"))

    # read once, like every other setting ("" = from the port): a value set later in the environment does not
    # reach a Settings already made
    engine_url_setting: str = field(default_factory=lambda: _env("ENGINE_URL", ""))
    app_url_setting: str = field(default_factory=lambda: _env("APP_URL", ""))

    @property
    def engine_url(self) -> str:
        return self.engine_url_setting or f"http://127.0.0.1:{self.engine_port}"

    @property
    def app_url(self) -> str:
        return self.app_url_setting or f"http://127.0.0.1:{self.app_port}"

    @property
    def events_on_rabbitmq(self) -> bool:
        """The engine publishes to RabbitMQ: the review reads the queue (`bot review consume`), not a SQL table."""
        return self.event_broker_url.split("://", 1)[0] in ("amqp", "amqps")

    @property
    def wechat_api_url(self) -> str:
        """WeChat's API (production default), or in development the bundled simulator's stand-in for it."""
        default = "https://api.weixin.qq.com" if self.env == "production" else f"{self.app_url}/wechat-sim"
        return (self.wechat_api_base or default).rstrip("/")

    @property
    def wechat_require_aes(self) -> bool:
        flag = self.wechat_require_aes_flag.strip().lower()
        if not flag:
            return self.env == "production"
        return flag not in ("0", "false", "no", "off")  # anything else (1, true, yes, on, a typo) refuses plaintext

    def check_production(self) -> None:
        """Refuse to run in production on placeholder secrets or embedded stores."""
        if self.env != "production":
            return
        # the app's own secrets (ACTIONS_TOKEN is the engine's and the action server's: actions.server checks it)
        for name in ("ENGINE_TOKEN", "SERVICE_TOKEN", "WEBCHAT_SECRET", "WECHAT_TOKEN", "WECHAT_APP_ID",
                     "WECHAT_APP_SECRET", "WECHAT_AES_KEY"):
            if os.environ.get(name, "").strip().lower() in PLACEHOLDER_SECRETS:
                raise RuntimeError(f"{name} must be set to a real secret in production")
        if self.database_url.startswith("sqlite"):
            raise RuntimeError("DATABASE_URL must point to PostgreSQL in production")


@lru_cache
def get_settings() -> Settings:
    return Settings()
