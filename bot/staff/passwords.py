"""Staff passwords: argon2id hashes, a length rule, and as much work for an unknown username as for a known one.

`verify(hasher, stored, password)` is False for a wrong password and for a malformed hash alike; `waste_time`
runs one full verification against a dummy hash, so "no such user" takes as long as "wrong password".
"""
from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 128   # hashing is the cost; nobody types more
_dummies: dict[tuple[int, int, int], str] = {}


class WeakPassword(ValueError):
    """The password breaks the rule; the message says why, in Chinese, for the person choosing it."""


def check_rule(password: str, username: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少要 {MIN_LENGTH} 个字符。")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"密码最多 {MAX_LENGTH} 个字符。")
    if len(set(password)) < 4:
        raise WeakPassword("密码不能是同一个字反复（至少要有 4 种不同的字符）。")
    if username and username.lower() in password.lower():
        raise WeakPassword("密码里不能包含用户名。")


def hash_password(hasher: PasswordHasher, password: str) -> str:
    return hasher.hash(password)


def verify(hasher: PasswordHasher, stored: str, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        waste_time(hasher)
        return False
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):  # a mismatch, or a stored value that is no argon2 hash
        return False


def needs_rehash(hasher: PasswordHasher, stored: str) -> bool:
    """True when the hash was made with other parameters than today's (rehashed at the next login)."""
    try:
        return hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def waste_time(hasher: PasswordHasher) -> None:
    """One verification of a password nobody has, with the hasher's own parameters."""
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummies:
        _dummies[key] = hasher.hash(secrets.token_urlsafe(16))
    try:
        hasher.verify(_dummies[key], secrets.token_urlsafe(16))
    except VerificationError:
        pass
