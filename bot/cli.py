"""`bot` command line.

    bot serve              start engine, action server and app (what `make run` does)
    bot triage < in.jsonl  one triage JSON line per {"text": ...} line (starts the engine if needed)
    bot chat               chat in the terminal through the same path as the web chat
    bot kb check           load and check policies/
    bot nlu sync           regenerate the NLU lookup table, synonyms and jieba dictionary from policies/
    bot model              print the cached model path, training it first if inputs changed
    bot model --data DIR --out FILE   train config.yml + domain/ on the data in DIR into FILE (*.tar.gz),
                           e.g. a copy of nlu_data with `bot review export --nlu-dir` corrections in it
    bot db upgrade         migrate DATABASE_URL to the newest schema and seed missing townships
                           (the app also does this at start)
    bot wechat menu [--push]       show the official account's menu (bot/channels/wechat/menu.yml); --push sends it
    bot wechat simulate [--aes]    chat as a WeChat follower through /wechat (signed, retried like WeChat);
                                   starts the whole product first if it is not running
    bot admin create-user --username U --role R [--township CODE]   a staff account of the console
    bot admin reset-password --username U                           (passwords from getpass or stdin)
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys

import httpx

from bot.runtime.stack import engine_running
from bot.settings import get_settings


def cmd_serve(_: argparse.Namespace) -> int:
    import signal
    import time

    from bot.runtime.stack import Stack

    s = get_settings()
    stack = Stack(s)
    stack.start()
    print(f"\n救助小助手 is running. Chat: http://{s.host}:{s.app_port}/chat   "
          f"API docs: http://{s.host}:{s.app_port}/docs\nCtrl-C stops all three processes.", file=sys.stderr)
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    try:
        while not stop["now"]:
            for name, proc in stack.procs.items():
                if proc.poll() is not None:
                    print(f"{name} exited ({proc.returncode}); see var/log/{name}.log", file=sys.stderr)
                    stop["now"] = True
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping …", file=sys.stderr)
        stack.stop()
    return 0


def cmd_triage(_: argparse.Namespace) -> int:
    from bot.engine.client import EngineClient
    from bot.knowledge.loader import load
    from bot.triage.service import empty_triage, triage

    s = get_settings()
    kb = load(s.policies_dir)
    lines = sys.stdin.read().splitlines()

    async def run() -> None:
        engine = EngineClient(s.engine_url, s.engine_token, s.engine_timeout_s)
        try:
            for line in lines:
                if not line.strip():
                    continue
                try:
                    text = json.loads(line)["text"]
                    result = (await triage(str(text), engine, kb, s.max_message_chars)).as_dict()
                except (ValueError, KeyError, TypeError):
                    result = {**empty_triage(kb).as_dict(), "error": "invalid input line"}
                sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
                sys.stdout.flush()
        finally:
            await engine.close()

    with engine_running(get_settings(), with_app=False):
        asyncio.run(run())
    return 0


def cmd_chat(_: argparse.Namespace) -> int:
    s = get_settings()
    sender = None  # the app issues the conversation's sender with its first answer
    with engine_running(s, with_app=True):
        print("救助小助手（输入 exit 退出）", file=sys.stderr)
        while True:
            try:
                text = input("您: ")
            except (EOFError, KeyboardInterrupt):
                break
            if text.strip().lower() in {"exit", "quit"}:
                break
            response = httpx.post(f"{s.app_url}/api/chat", json={"sender": sender, "text": text}, timeout=30)
            body = response.json()
            sender = body.get("sender", sender)
            for message in body.get("messages") or [body.get("message", "")]:
                print(f"小助手: {message}\n")
    return 0


def cmd_kb(args: argparse.Namespace) -> int:
    from bot.knowledge.loader import KnowledgeError, load

    try:
        kb = load()
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        return 1
    figures = sum(len(p.figures) for p in kb.programmes.values())
    print(f"policies/ ok: {len(kb.programmes)} programmes, {len(kb.documents)} documents, {figures} local figures")
    return 0


def cmd_nlu(_: argparse.Namespace) -> int:
    from bot.knowledge.nlu_export import write_all

    for path in write_all():
        print(f"wrote {path}")
    return 0


def cmd_model(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.runtime.model import ensure_model, train

    if bool(args.data) != bool(args.out):
        print("bot model: --data and --out go together", file=sys.stderr)
        return 2
    if args.out and not args.out.endswith(".tar.gz"):
        print("bot model: --out names the model file, ending in .tar.gz", file=sys.stderr)
        return 2
    print(train(Path(args.data).resolve(), Path(args.out).resolve()) if args.data else ensure_model())
    return 0


def cmd_db(_: argparse.Namespace) -> int:
    from bot.app import prepare_database

    prepare_database(get_settings())
    print("database is at the newest schema; townships seeded")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.db.session import session_scope
    from bot.retention import purge

    s = get_settings()
    with session_scope() as session:
        purged = purge(session, tracker_url=s.tracker_store_url, broker_url=s.event_broker_url,
                       days=args.older_than or s.retention_days, referral_days=s.referral_retention_days)
    for p in purged:
        print(f"{p.store}: {p.rows}")
    return 0


def cmd_wechat(args: argparse.Namespace) -> int:
    from bot.channels.wechat import menu

    s = get_settings()
    if args.action == "menu":
        loaded = menu.load()
        print(menu.render_text(loaded))
        if args.push:
            from bot.channels.wechat.api import WeChatApi
            from bot.db.session import Database

            api = WeChatApi(s.wechat_api_url, s.wechat_app_id, s.wechat_app_secret, Database(s.database_url))
            asyncio.run(api.create_menu(menu.for_wechat(loaded)))
            print(f"pushed to {s.wechat_api_url}", file=sys.stderr)
        return 0
    from bot.devtools import dev_module

    simulator = dev_module("wechat.cli")  # a development tool: dev/ in a checkout, not in the package
    if simulator is None:
        print("the WeChat simulator is a development tool (dev/wechat/ in a checkout of the project)", file=sys.stderr)
        return 2
    with engine_running(s, with_app=True):
        return simulator.simulate(s, encrypted=args.aes, openid=args.openid)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bot", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve").set_defaults(func=cmd_serve)
    sub.add_parser("triage").set_defaults(func=cmd_triage)
    sub.add_parser("chat").set_defaults(func=cmd_chat)
    kb = sub.add_parser("kb")
    kb.add_argument("action", choices=["check"])
    kb.set_defaults(func=cmd_kb)
    nlu = sub.add_parser("nlu")
    nlu.add_argument("action", choices=["sync"])
    nlu.set_defaults(func=cmd_nlu)
    model = sub.add_parser("model", help="the trained model (cached), or one trained on other data")
    model.add_argument("--data", help="train on this training data folder instead of nlu_data (with --out)")
    model.add_argument("--out", help="the model file to write (*.tar.gz; with --data)")
    model.set_defaults(func=cmd_model)
    purge = sub.add_parser("purge", help="delete conversations older than the retention period")
    purge.add_argument("--older-than", type=int, metavar="DAYS", help="default: RETENTION_DAYS")
    purge.set_defaults(func=cmd_purge)
    wx = sub.add_parser("wechat")
    wx.add_argument("action", choices=["menu", "simulate"])
    wx.add_argument("--push", action="store_true", help="menu: send it to WeChat (WECHAT_API_BASE)")
    wx.add_argument("--aes", action="store_true", help="simulate: safe mode (AES-encrypted messages)")
    wx.add_argument("--openid", help="simulate: the follower's openid (default: a new one)")
    wx.set_defaults(func=cmd_wechat)
    db = sub.add_parser("db")
    db.add_argument("action", choices=["upgrade"])
    db.set_defaults(func=cmd_db)
    from bot.staff.cli import add_parser as add_admin

    add_admin(sub)
    from bot.staff.review.cli import add_parser as add_review

    add_review(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
