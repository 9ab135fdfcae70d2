"""Passwords: argon2id hashes, the length rule, and equal work whether or not the account exists."""
from __future__ import annotations

import statistics
import time

import pytest
from argon2 import PasswordHasher

from bot.staff import passwords
from bot.staff.passwords import WeakPassword
from tests.staff.conftest import FAST


def test_a_hash_is_argon2id_salted_and_verifies_only_the_same_password():
    first, second = passwords.hash_password(FAST, "correct horse 42"), passwords.hash_password(FAST, "correct horse 42")
    assert first.startswith("$argon2id$") and first != second  # a salt of its own each time
    assert "correct horse" not in first
    assert passwords.verify(FAST, first, "correct horse 42")
    assert not passwords.verify(FAST, first, "correct horse 43")
    assert not passwords.verify(FAST, first, "")


@pytest.mark.parametrize("stored", ["", "plaintext", "$argon2id$v=19$m=1024,t=1,p=1$broken", "$2b$12$bcrypt"])
def test_a_stored_value_that_is_no_argon2_hash_never_verifies(stored):
    assert passwords.verify(FAST, stored, "plaintext") is False


def test_an_overlong_password_is_refused_without_hashing_it():
    stored = passwords.hash_password(FAST, "x" * passwords.MAX_LENGTH)
    assert passwords.verify(FAST, stored, "x" * passwords.MAX_LENGTH)
    assert not passwords.verify(FAST, stored, "x" * (passwords.MAX_LENGTH + 1))


def test_a_hash_made_with_other_parameters_is_rehashed():
    stored = passwords.hash_password(FAST, "correct horse 42")
    assert not passwords.needs_rehash(FAST, stored)
    assert passwords.needs_rehash(PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1), stored)
    assert passwords.needs_rehash(FAST, "not a hash")


@pytest.mark.parametrize("password, why", [
    ("short1", "至少"),
    ("x" * 129, "最多"),
    ("aaaaaaaaaaaa", "4 种"),
    ("ababababab12", None),
    ("wang.li-2026!", "用户名"),
])
def test_the_password_rule(password, why):
    if why is None:
        passwords.check_rule(password, "wang.li")
        return
    with pytest.raises(WeakPassword, match=why):
        passwords.check_rule(password, "wang.li")


def _median_seconds(action, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_an_unknown_user_costs_as_much_work_as_a_wrong_password():
    hasher = PasswordHasher(time_cost=2, memory_cost=16 * 1024, parallelism=1)  # slow enough to measure
    stored = passwords.hash_password(hasher, "correct horse 42")
    passwords.waste_time(hasher)  # the dummy hash is made once, on first use
    wrong = _median_seconds(lambda: passwords.verify(hasher, stored, "wrong password"))
    unknown = _median_seconds(lambda: passwords.waste_time(hasher))
    assert wrong > 0.005
    assert 0.25 < unknown / wrong < 4.0  # skipping the hash makes it ~0.01; the band is wide for a loaded CI
