"""Short-lived keys and counters that every app instance shares: Redis where REDIS_URL is set, otherwise
this process's memory (the embedded default runs one app process).

Two operations cover every use: `add` remembers a key once (a WeChat nonce, a delivered message) and
`hit` counts events in a fixed window (rate limits).
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

logger = logging.getLogger(__name__)
PREFIX = "jiuzhu:"


class ExpiringStore(Protocol):
    def add(self, key: str, ttl_s: float) -> bool:
        """Remember `key` for `ttl_s` seconds; False if it was already remembered."""

    def hit(self, key: str, window_s: float) -> int:
        """Count one event under `key`; the events counted in the current window, this one included."""

    def hits(self, counts: list[tuple[str, float]]) -> list[int]:
        """`hit` for several (key, window) at once (one round trip to Redis)."""


class MemoryStore:
    """One process's store. Expired keys are purged every few thousand writes, so memory stays bounded by
    what the windows hold."""

    PURGE_EVERY = 4096

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._keys: dict[str, float] = {}               # key → expiry
        self._counts: dict[str, tuple[float, int]] = {}  # key → (window end, count)
        self._writes = 0
        self._lock = threading.Lock()

    def _purge(self, now: float) -> None:
        self._writes += 1
        if self._writes % self.PURGE_EVERY:
            return
        self._keys = {k: t for k, t in self._keys.items() if t > now}
        self._counts = {k: v for k, v in self._counts.items() if v[0] > now}

    def add(self, key: str, ttl_s: float) -> bool:
        with self._lock:
            now = self._clock()
            self._purge(now)
            if self._keys.get(key, 0.0) > now:
                return False
            self._keys[key] = now + ttl_s
            return True

    def hit(self, key: str, window_s: float) -> int:
        with self._lock:
            now = self._clock()
            self._purge(now)
            end, count = self._counts.get(key, (0.0, 0))
            if end <= now:
                end, count = now + window_s, 0
            self._counts[key] = (end, count + 1)
            return count + 1

    def hits(self, counts: list[tuple[str, float]]) -> list[int]:
        return [self.hit(key, window_s) for key, window_s in counts]


class RedisStore:
    """Shared by every app instance. If Redis is unreachable the answer comes from this process's memory
    (logged): a resident is never refused because the limit store is down."""

    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._errors = redis.RedisError
        self._fallback = MemoryStore()

    def _failed(self, op: str, exc: Exception) -> None:
        logger.warning("limit store unavailable (%s: %s); using this process's memory", op, type(exc).__name__)

    def add(self, key: str, ttl_s: float) -> bool:
        try:
            return bool(self._redis.set(PREFIX + key, b"1", nx=True, px=max(1, int(ttl_s * 1000))))
        except self._errors as exc:
            self._failed("add", exc)
            return self._fallback.add(key, ttl_s)

    def hit(self, key: str, window_s: float) -> int:
        return self.hits([(key, window_s)])[0]

    def hits(self, counts: list[tuple[str, float]]) -> list[int]:
        try:
            pipe = self._redis.pipeline(transaction=False)
            for key, window_s in counts:
                pipe.incr(PREFIX + key)
                pipe.pexpire(PREFIX + key, max(1, int(window_s * 1000)), nx=True)
            return [int(n) for n in pipe.execute()[::2]]
        except self._errors as exc:
            self._failed("hit", exc)
            return self._fallback.hits(counts)


def make_store(redis_url: str) -> ExpiringStore:
    return RedisStore(redis_url) if redis_url else MemoryStore()
