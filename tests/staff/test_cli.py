"""`bot admin create-user` / `reset-password`: the password from stdin (or getpass), never from argv."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from bot import cli
from bot.db import session as db_session
from bot.settings import get_settings
from bot.staff import passwords, sessions
from bot.staff.accounts import find
from bot.staff.models import AuditEntry
from tests.staff.conftest import CONFIG, TOWNSHIP


class Stdin(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.fixture
def run(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    for cached in (get_settings, db_session.get_engine, db_session.get_sessionmaker):
        cached.cache_clear()

    def bot_admin(*args: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", Stdin(stdin))
        return cli.main(["admin", *args])

    yield bot_admin
    for cached in (get_settings, db_session.get_engine, db_session.get_sessionmaker):
        cached.cache_clear()


def test_create_the_first_admin_with_the_password_on_stdin(run, db, capsys):
    assert run("create-user", "--username", "Admin", "--role", "admin", stdin="a long secret 1\n") == 0
    assert "已创建 admin（管理员）" in capsys.readouterr().out
    user = find(db, "admin")
    assert user.role == "admin" and user.township_code is None
    assert passwords.verify(CONFIG.hasher, user.password_hash, "a long secret 1")
    created = db.scalars(select(AuditEntry).where(AuditEntry.action == "user_created")).one()
    assert created.subject == "staff:admin" and created.actor_name == "(命令行)"


def test_there_is_no_password_option(run):
    with pytest.raises(SystemExit):
        run("create-user", "--username", "x1", "--role", "admin", "--password", "a long secret 1")


def test_a_clerk_needs_a_known_township(run, db, capsys):
    assert run("create-user", "--username", "clerk1", "--role", "clerk", stdin="a long secret 1\n") == 1
    err = capsys.readouterr().err
    assert "必须指定乡镇" in err and "220382100  茂林镇" in err
    assert run("create-user", "--username", "clerk1", "--role", "clerk", "--township", "999",
               stdin="a long secret 1\n") == 1
    assert run("create-user", "--username", "clerk1", "--role", "clerk", "--township", TOWNSHIP,
               stdin="a long secret 1\n") == 0
    assert find(db, "clerk1").township_code == TOWNSHIP
    assert run("create-user", "--username", "agent1", "--role", "agent", "--township", TOWNSHIP,
               stdin="a long secret 1\n") == 1


def test_weak_passwords_and_taken_names_are_refused(run, db, capsys):
    assert run("create-user", "--username", "agent1", "--role", "agent", stdin="short\n") == 1
    assert "至少" in capsys.readouterr().err and find(db, "agent1") is None
    assert run("create-user", "--username", "agent1", "--role", "agent", stdin="a long secret 1\n") == 0
    assert run("create-user", "--username", "agent1", "--role", "agent", stdin="a long secret 2\n") == 1
    assert "已经有了" in capsys.readouterr().err


def test_reset_password_unlocks_and_ends_every_session(run, db):
    assert run("create-user", "--username", "agent1", "--role", "agent", stdin="a long secret 1\n") == 0
    user = find(db, "agent1")
    token = sessions.open_session(db, user)
    user.failed_logins = 3
    db.commit()
    assert run("reset-password", "--username", "agent1", stdin="another secret 2\n") == 0
    db.expire_all()
    user = find(db, "agent1")
    assert passwords.verify(CONFIG.hasher, user.password_hash, "another secret 2")
    assert user.failed_logins == 0 and user.locked_until is None
    assert sessions.resume(db, token, CONFIG) is None
    assert run("reset-password", "--username", "nobody", stdin="another secret 2\n") == 1


def test_on_a_terminal_the_password_is_asked_twice(monkeypatch):
    from bot.staff import cli as staff_cli

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter(["a long secret 1", "a long secret 1", "a long secret 1", "typo"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert staff_cli.read_password(Tty()) == "a long secret 1"
    with pytest.raises(staff_cli.Mismatch):
        staff_cli.read_password(Tty())
