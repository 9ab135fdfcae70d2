"""`bot admin …`: staff accounts from the command line (the first admin is made this way).

    bot admin create-user --username U --role agent|clerk|reviewer|admin [--township CODE] [--name 姓名]
    bot admin reset-password --username U

The password is asked twice on a terminal (getpass), or read from the first line of stdin when piped —
never from the command line, where `ps` and the shell history would keep it. A reset also unlocks the
account and ends all its sessions. Both migrate the database first (as `bot db upgrade` does).
"""
from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import select

from bot.db.session import session_scope
from bot.intake.models import Township
from bot.settings import get_settings
from bot.staff import accounts
from bot.staff.config import StaffConfig
from bot.staff.passwords import WeakPassword
from bot.staff.roles import CLERK, ROLES


class Mismatch(Exception):
    pass


def read_password(stdin=None) -> str:
    stdin = stdin or sys.stdin
    if not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    first = getpass.getpass("新密码：")
    if getpass.getpass("再输一次：") != first:
        raise Mismatch("两次输入的密码不一样，没有保存。")
    return first


def _townships() -> str:
    with session_scope() as db:
        rows = db.execute(select(Township.code, Township.name).order_by(Township.code)).all()
    return "\n".join(f"  {code}  {name}" for code, name in rows)


def run(args: argparse.Namespace) -> int:
    from bot.app import prepare_database

    settings = get_settings()
    prepare_database(settings)
    config = StaffConfig.from_env(settings.env)
    try:
        if args.admin_action == "create-user":
            with session_scope() as db:
                accounts.check_new(db, args.username, args.role, args.township)
            password = read_password()
            with session_scope() as db:
                user = accounts.create(db, config, args.username, args.role, password, args.township, args.name)
                township = f"，{user.township_code}" if user.township_code else ""
                print(f"已创建 {user.username}（{ROLES[user.role]}{township}）")
        else:
            password = read_password()
            with session_scope() as db:
                user = accounts.reset_password(db, config, args.username, password)
                print(f"已重置 {user.username} 的密码，账号已解锁，原有登录已全部退出")
    except (accounts.AccountError, WeakPassword, Mismatch) as exc:
        print(exc, file=sys.stderr)
        if args.admin_action == "create-user" and args.role == CLERK and "乡镇" in str(exc):
            print("乡镇代码：\n" + _townships(), file=sys.stderr)
        return 1
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    admin = sub.add_parser("admin", help="staff accounts of the console")
    actions = admin.add_subparsers(dest="admin_action", required=True)
    create = actions.add_parser("create-user", help="a new staff account (password from getpass or stdin)")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=list(ROLES))
    create.add_argument("--township", help="clerk: the township's code (统计用区划代码, e.g. 220382101)")
    create.add_argument("--name", default="", help="the name shown in the console")
    reset = actions.add_parser("reset-password", help="new password (getpass or stdin), unlock, end sessions")
    reset.add_argument("--username", required=True)
    admin.set_defaults(func=run)
