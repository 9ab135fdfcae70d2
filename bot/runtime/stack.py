"""Start engine, action server and app on localhost, wait until each is ready, stop them cleanly. With
EVENT_BROKER_URL amqp://…, also the review's queue consumer (`bot review consume`, its own process: a blocking
reader committing batches, apart from the app's event loop and from however many app workers run)."""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.runtime.endpoints import write_endpoints
from bot.runtime.model import RASA, ensure_model, rasa_env
from bot.settings import ROOT, Settings

LOG_DIR = ROOT / "var" / "log"
RASA_PYTHON = RASA.parent / "python"
SECRETS = ("ENGINE_TOKEN", "SERVICE_TOKEN", "ACTIONS_TOKEN", "WEBCHAT_SECRET", "WECHAT_TOKEN", "WECHAT_APP_SECRET",
           "WECHAT_AES_KEY", "SIMULATOR_TOKEN")
ENGINE_MAX_BODY_BYTES = 65536  # the app's messages and tracker events are small; Sanic refuses more (413)


PR_SET_PDEATHSIG = 1  # linux/prctl.h
# looked up here, not in the forked child (no dlopen between fork and exec)
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the supervisor dies, even by SIGKILL, so no orphaned engine or
    app keeps its port (their own session keeps Ctrl-C from reaching them twice). Linux only; else a no-op."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)


def private_files(folder) -> None:
    """Owner-only permissions on what earlier runs left world-readable (databases, logs, secrets)."""
    if not folder.exists():
        return
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)


@dataclass
class Stack:
    settings: Settings
    with_app: bool = True
    with_actions: bool = True
    model: Path | None = None   # serve this model file instead of the cached one of the current inputs
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    logs: list = field(default_factory=list)

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str]) -> None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = open(LOG_DIR / f"{name}.log", "ab")
        self.logs.append(log)
        self.procs[name] = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True, preexec_fn=die_with_parent)

    def child_env(self, role: str) -> dict[str, str]:
        """What each process is told: the app and the engine share the engine token; the engine and the
        action server share the actions token; no process gets a secret it does not use."""
        env = rasa_env()
        for name in SECRETS:
            env.pop(name, None)
        s = self.settings
        # children read the same configuration as this process, whatever its source
        env.update({"APP_URL": s.app_url, "ENGINE_URL": s.engine_url, "SANIC_HOST": "127.0.0.1", "BOT_ENV": s.env,
                    "BOT_HOST": s.host, "BOT_APP_PORT": str(s.app_port), "BOT_ENGINE_PORT": str(s.engine_port),
                    "BOT_ACTIONS_PORT": str(s.actions_port), "DATABASE_URL": s.database_url,
                    "TRACKER_STORE_URL": s.tracker_store_url, "LOCK_STORE_URL": s.lock_store_url,
                    "EVENT_BROKER_URL": s.event_broker_url, "EVENT_BROKER_QUEUE": s.event_broker_queue,
                    "REDIS_URL": s.redis_url, "RATE_LIMIT_FACTOR": str(s.rate_limit_factor),
                    "POLICIES_DIR": str(s.policies_dir),
                    "MODEL_CACHE_DIR": str(s.model_cache_dir)})
        if role == "engine":
            env.update({"ENGINE_TOKEN": s.engine_token, "ACTIONS_TOKEN": s.actions_token,
                        "SANIC_REQUEST_MAX_SIZE": str(ENGINE_MAX_BODY_BYTES)})
        elif role == "actions":
            env.update({"ACTIONS_TOKEN": s.actions_token, "SERVICE_TOKEN": s.service_token})
        elif role == "review":   # no token: it only reads the queue and writes the review tables
            env.update({"REVIEW_PREFETCH": str(s.review_prefetch), "REVIEW_BATCH_WAIT_S": str(s.review_batch_wait_s),
                        "REVIEW_RECONNECT_MAX_S": str(s.review_reconnect_max_s),
                        "REVIEW_KEY_DAYS": str(s.review_key_days), "RETENTION_DAYS": str(s.retention_days)})
        else:
            env.update({"ENGINE_TOKEN": s.engine_token, "SERVICE_TOKEN": s.service_token,
                        "WEBCHAT_SECRET": s.webchat_secret,
                        "WECHAT_TOKEN": s.wechat_token, "WECHAT_APP_ID": s.wechat_app_id,
                        "WECHAT_APP_SECRET": s.wechat_app_secret, "WECHAT_AES_KEY": s.wechat_aes_key,
                        "WECHAT_API_BASE": s.wechat_api_base,
                        "WECHAT_PASSIVE_BUDGET_S": str(s.wechat_passive_budget_s),
                        "WECHAT_REPLAY_WINDOW_S": str(s.wechat_replay_window_s),
                        "WECHAT_MAX_BODY_BYTES": str(s.wechat_max_body_bytes),
                        "WECHAT_REQUIRE_AES": "1" if s.wechat_require_aes else "0",
                        "SIMULATOR_TOKEN": s.simulator_token})
        return env

    def start(self, log=sys.stderr) -> None:
        s = self.settings
        os.umask(0o077)  # databases, logs and secrets this stack writes: owner only
        private_files(ROOT / "var")
        model = self.model or ensure_model(log)
        endpoints = write_endpoints(s, ROOT / "var" / f"endpoints-{s.engine_port}.yml")
        if self.with_actions:
            self._spawn("actions", [str(RASA_PYTHON), "-m", "actions.server"], self.child_env("actions"))
        # the launcher hands the API token to Rasa inside the process: `ps` never shows it
        self._spawn("engine", [str(RASA_PYTHON), "-m", "engine_server", "run", "--enable-api",
                               "-i", "127.0.0.1", "-p", str(s.engine_port), "-m", str(model),
                               "--endpoints", str(endpoints), "--credentials", "credentials.yml"],
                    self.child_env("engine"))
        if self.with_app:
            proxy = ([f"--forwarded-allow-ips={s.forwarded_allow_ips}", "--proxy-headers"]
                     if s.forwarded_allow_ips else ["--no-proxy-headers"])
            self._spawn("app", [sys.executable, "-m", "uvicorn", "bot.app:create_app", "--factory",
                                "--host", s.host, "--port", str(s.app_port), "--no-access-log", *proxy],
                        self.child_env("app"))
        try:
            self.wait_ready(log)
            if self.with_app and s.events_on_rabbitmq:   # after the app: the database is migrated by then
                self._spawn("review", [sys.executable, "-m", "bot.cli", "review", "consume"], self.child_env("review"))
            self.warm_up()
        except Exception:
            self.stop()
            raise

    def warm_up(self) -> None:
        """The first parse builds TensorFlow's graph (~0.4 s): pay it before a resident does."""
        s = self.settings
        for text in ("你好", "低保怎么申请"):
            httpx.post(f"{s.engine_url}/model/parse", params={"token": s.engine_token}, json={"text": text},
                       timeout=30).raise_for_status()

    def _checks(self) -> dict[str, str]:
        s = self.settings
        checks = {"engine": f"{s.engine_url}/status?token={s.engine_token}"}
        if self.with_actions:
            checks["actions"] = f"http://127.0.0.1:{s.actions_port}/health"
        if self.with_app:
            checks["app"] = f"{s.app_url}/healthz"
        return checks

    def wait_ready(self, log=sys.stderr, timeout_s: float = 240) -> None:
        started = time.monotonic()
        pending = self._checks()
        while pending:
            for name, url in list(pending.items()):
                proc = self.procs.get(name)
                if proc is not None and proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}; see var/log/{name}.log")
                try:
                    if httpx.get(url, timeout=2).status_code == 200:
                        print(f"{name}: ready after {time.monotonic() - started:.1f} s", file=log)
                        del pending[name]
                except httpx.HTTPError:
                    pass
            if time.monotonic() - started > timeout_s:
                raise TimeoutError(f"not ready after {timeout_s} s: {', '.join(pending)}")
            time.sleep(0.5)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs.clear()
        for log in self.logs:
            log.close()
        self.logs.clear()

    def __enter__(self) -> "Stack":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()




def _up(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def engine_running(settings: Settings, with_app: bool):
    """Reuse a running engine (and app), or start them for the duration of the block."""
    engine_up = _up(f"{settings.engine_url}/status?token={settings.engine_token}")
    if engine_up and (not with_app or _up(f"{settings.app_url}/healthz")):
        yield
        return
    with Stack(settings, with_app=with_app, with_actions=with_app):
        yield
