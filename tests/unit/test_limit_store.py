"""The shared limit store: one process's memory on the embedded default, Redis shared by app instances
(the machine's Redis at 127.0.0.1:6379, as in CI)."""
from __future__ import annotations

import secrets

from bot.security.limits import Limiter, Rule
from bot.security.store import MemoryStore, RedisStore

REDIS_URL = "redis://127.0.0.1:6379/0"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_memory_store_remembers_a_key_for_its_ttl_only():
    clock = Clock()
    store = MemoryStore(clock)
    assert store.add("nonce-1", 300) is True
    assert store.add("nonce-1", 300) is False
    assert store.add("nonce-2", 300) is True
    clock.now += 299.9
    assert store.add("nonce-1", 300) is False
    clock.now += 0.2
    assert store.add("nonce-1", 300) is True


def test_memory_store_counts_in_fixed_windows():
    clock = Clock()
    store = MemoryStore(clock)
    assert [store.hit("k", 60) for _ in range(3)] == [1, 2, 3]
    assert store.hit("other", 60) == 1
    clock.now += 60.1
    assert store.hit("k", 60) == 1


def test_memory_store_forgets_expired_keys():
    clock = Clock()
    store = MemoryStore(clock)
    for n in range(MemoryStore.PURGE_EVERY - 1):
        store.add(f"old-{n}", 10)
    clock.now += 11
    store.add("new", 10)  # the purge runs on this write
    assert len(store._keys) == 1


def test_limiter_allows_the_count_then_refuses_per_subject():
    limiter = Limiter(MemoryStore(Clock()))
    rule = Rule("test", 3, 60)
    assert [limiter.allow(rule, "a") for _ in range(5)] == [True, True, True, False, False]
    assert limiter.allow(rule, "b") is True


def test_limiter_factor_scales_every_count():
    limiter = Limiter(MemoryStore(Clock()), factor=2.5)
    rule = Rule("test", 2, 60)
    assert sum(limiter.allow(rule, "a") for _ in range(10)) == 5


def test_allow_all_counts_every_check_even_after_one_fails():
    store = MemoryStore(Clock())
    limiter = Limiter(store)
    per_case, per_client = Rule("case", 1, 60), Rule("client", 5, 60)
    assert limiter.allow_all((per_case, "SL-1"), (per_client, "1.2.3.4")) is True
    assert limiter.allow_all((per_case, "SL-1"), (per_client, "1.2.3.4")) is False
    # the refused request still counted against the client: a guesser cannot spread across cases for free
    assert [limiter.allow(per_client, "1.2.3.4") for _ in range(4)] == [True, True, True, False]


def test_two_app_instances_share_counts_and_keys_through_redis():
    first, second = RedisStore(REDIS_URL), RedisStore(REDIS_URL)
    key = f"test:{secrets.token_hex(8)}"
    assert first.add(key, 5) is True
    assert second.add(key, 5) is False  # the other instance sees the nonce
    assert [first.hit(key + ":n", 5), second.hit(key + ":n", 5), first.hit(key + ":n", 5)] == [1, 2, 3]
    rule = Rule(f"shared-{secrets.token_hex(4)}", 2, 5)
    a, b = Limiter(first), Limiter(second)
    assert [a.allow(rule, "s"), b.allow(rule, "s"), a.allow(rule, "s")] == [True, True, False]


def test_redis_keys_expire():
    import redis

    store = RedisStore(REDIS_URL)
    key = f"test:{secrets.token_hex(8)}"
    store.hit(key, 30)
    store.hit(key, 30)
    ttl = redis.Redis.from_url(REDIS_URL).pttl("jiuzhu:" + key)
    assert 0 < ttl <= 30_000  # set once by the first hit, not pushed back by later ones


def test_redis_down_falls_back_to_memory_and_keeps_answering(caplog):
    store = RedisStore("redis://127.0.0.1:1/0")  # nothing listens there
    assert store.add("k", 10) is True and store.add("k", 10) is False
    assert [store.hit("n", 10) for _ in range(2)] == [1, 2]
    assert "limit store unavailable" in caplog.text
