"""A throwaway production-like stack on loopback: PostgreSQL, Redis, gunicorn (gunicorn.conf.py), a Celery worker
and Celery beat, all started from this checkout with the production settings (DEBUG off).

The PostgreSQL cluster is started once per test session and migrated once into a template database; every stack
gets its own database cloned from it, its own Redis server, its own gunicorn, worker and beat, and its own
MEDIA_ROOT, so scenarios never see each other's rows and never touch the shared development servers.
Waiting is always polling with a deadline (``wait_for``), never a bare sleep.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PYTHON = sys.executable
TEMPLATE_DB = "osce_tnt_template"
SEED = ROOT / "tests" / "reliability" / "seed.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], Any], *, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Poll ``condition`` until it returns something truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception as exc:  # noqa: BLE001 - the service may still be starting
            last_error = exc
            value = None
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(
        f"timed out after {timeout}s waiting for {what}" + (f" (last error: {last_error!r})" if last_error else "")
    )


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PostgresCluster:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="osce-rel-pg-"))
        self.dir.chmod(0o755)
        if os.geteuid() == 0:
            subprocess.run(["chown", "postgres", str(self.dir)], check=True)
        self.port = free_port()
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.dir / "data"),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.start()

    def start(self) -> None:
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.dir / "data"),
                    "-l",
                    str(self.dir / "pg.log"),
                    "-w",
                    "-o",
                    f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                    "-c synchronous_commit=off "
                    "-c full_page_writes=off -c max_connections=200",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", mode, "-w", "stop"]),
            check=False,
            capture_output=True,
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
        finally:
            conn.close()

    def destroy(self) -> None:
        self.stop("immediate")
        subprocess.run(["rm", "-rf", str(self.dir)], check=False)


class Session:
    """Session-wide: the cluster, the template database (migrated and seeded once) and collected static files."""

    def __init__(self) -> None:
        self.cluster = PostgresCluster()
        self.static_root = static_root()
        self.cluster.execute(f"CREATE DATABASE {TEMPLATE_DB}")
        env = base_env(
            database_url=self.cluster.url(TEMPLATE_DB),
            static_root=self.static_root,
            media_root=Path(tempfile.mkdtemp(prefix="osce-rel-media-")),
            redis_url=None,
        )
        commands = [["migrate", "--noinput", "-v0"], ["load_reference_data"]]
        if not (self.static_root / "staticfiles.json").exists():
            commands.append(["collectstatic", "--noinput", "-v0"])
        for command in commands:
            subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
        result = subprocess.run([PYTHON, str(SEED)], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        self.accounts = json.loads(result.stdout.strip().splitlines()[-1])

    def close(self) -> None:
        self.cluster.destroy()


def static_root() -> Path:
    """Collected static files, kept between runs while the sources and pinned packages are the same: compressing
    them takes minutes on a busy 2-core machine."""
    import hashlib

    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes())
    for path in sorted((ROOT / "static").rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(ROOT)}:{path.stat().st_size}:{path.stat().st_mtime_ns}".encode())
    return ROOT / ".tmp" / "reliability-static" / digest.hexdigest()[:16]


def base_env(
    *,
    database_url: str,
    static_root: Path,
    media_root: Path,
    redis_url: str | None,
    broker_url: str | None = None,
    **extra: str,
) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PORTAL_", "CELERY_", "REDIS_", "DATABASE_", "GUNICORN_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "osce_tnt.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "reliability-scenarios-" + "k" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_SESSION_COOKIE_SECURE": "0",
            "DJANGO_CSRF_COOKIE_SECURE": "0",
            "DJANGO_STATIC_ROOT": str(static_root),
            "DJANGO_MEDIA_ROOT": str(media_root),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    env.update(extra)
    return env


class Stack:
    """One scenario's services. ``settings`` become environment variables of gunicorn, the worker and beat."""

    def __init__(self, session: Session, name: str, **settings: str) -> None:
        self.session = session
        self.cluster = session.cluster
        self.accounts = session.accounts
        self.dir = Path(tempfile.mkdtemp(prefix=f"osce-rel-{name}-"))
        self.database = f"rel_{name}_{os.getpid()}"[:60]
        self.cluster.execute(f"CREATE DATABASE {self.database} TEMPLATE {TEMPLATE_DB}")
        self.redis_port = free_port()
        self.web_port = free_port()
        self.media_root = self.dir / "media"
        self.media_root.mkdir()
        defaults = {
            "PORTAL_OUTBOX_SWEEP_SECONDS": "3",
            "PORTAL_OUTBOX_GRACE_SECONDS": "2",
            "PORTAL_JOB_HEARTBEAT_SECONDS": "1",
            "PORTAL_JOB_STALE_SECONDS": "6",
            "PORTAL_SERVICE_HEARTBEAT_SECONDS": "2",
            "PORTAL_SERVICE_HEARTBEAT_MAX_AGE": "10",
            "CELERY_BEAT_SCHEDULE_FILENAME": str(self.dir / "celerybeat"),
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_ACCESSLOG": str(self.dir / "access.log"),
        }
        defaults.update(settings)
        self.env = base_env(
            database_url=self.cluster.url(self.database),
            static_root=session.static_root,
            media_root=self.media_root,
            redis_url=f"redis://127.0.0.1:{self.redis_port}/1",
            broker_url=f"redis://127.0.0.1:{self.redis_port}/0",
            **defaults,
        )
        self.processes: dict[str, subprocess.Popen] = {}
        self.base_url = f"http://127.0.0.1:{self.web_port}"

    # --- processes ---------------------------------------------------------------------------------------------

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.dir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def start_redis(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(self.dir),
                "--pidfile",
                str(self.dir / "redis.pid"),
                "--logfile",
                str(self.dir / "redis.log"),
            ],
            check=True,
        )
        wait_for(
            lambda: (
                subprocess.run(
                    ["redis-cli", "-p", str(self.redis_port), "ping"], capture_output=True, text=True, timeout=2
                ).stdout.strip()
                == "PONG"
            ),
            timeout=10,
            what="redis",
        )

    def redis_pid(self) -> int:
        return int((self.dir / "redis.pid").read_text().strip())

    def stop_redis(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"], capture_output=True, check=False, timeout=5
        )
        wait_for(lambda: not self._port_open(self.redis_port), timeout=10, what="redis to stop")

    def pause_redis(self) -> None:
        os.kill(self.redis_pid(), signal.SIGSTOP)

    def resume_redis(self) -> None:
        os.kill(self.redis_pid(), signal.SIGCONT)

    @staticmethod
    def _port_open(port: int) -> bool:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            return sock.connect_ex(("127.0.0.1", port)) == 0

    def start_web(self) -> None:
        self._spawn("web", [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "osce_tnt.wsgi:application"])
        wait_for(
            lambda: requests.get(f"{self.base_url}/healthz", timeout=3).status_code in (200, 503),
            timeout=30,
            what="gunicorn",
        )

    def start_worker(self, concurrency: int = 2) -> None:
        self._spawn(
            "worker",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "osce_tnt",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "-P",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"worker-{self.web_port}@localhost",
            ],
        )

    def start_beat(self) -> None:
        self._spawn(
            "beat",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "osce_tnt",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(self.dir / "celerybeat"),
            ],
        )

    def start(self, *, worker: bool = True, beat: bool = True) -> Stack:
        self.start_redis()
        self.start_web()
        if worker:
            self.start_worker()
        if beat:
            self.start_beat()
        if worker or beat:
            required = ",".join(part for part, on in (("worker", worker), ("beat", beat)) if on)
            wait_for(lambda: self.health(required).status_code == 200, timeout=40, what=f"{required} heartbeat")
        return self

    def stop_process(self, name: str, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def worker_children(self) -> list[int]:
        """Pids of the worker's pool processes (its children)."""
        parent = self.processes["worker"].pid
        result = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True, check=False)
        return [int(pid) for pid in result.stdout.split()]

    def close(self) -> None:
        for name in list(self.processes):
            self.stop_process(name, signal.SIGTERM, timeout=10)
        with contextlib.suppress(OSError, ValueError):
            self.resume_redis()
        self.stop_redis() if self._port_open(self.redis_port) else None
        with contextlib.suppress(psycopg2.Error):
            self.cluster.execute(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        subprocess.run(["rm", "-rf", str(self.dir)], check=False)

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    # --- talking to it -----------------------------------------------------------------------------------------

    def health(self, require: str = "") -> requests.Response:
        return requests.get(f"{self.base_url}/healthz", params={"require": require} if require else None, timeout=10)

    def api(self, role: str, index: int = 0) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {self.accounts[role][index]['token']}"
        return session

    def browser(self, role: str, index: int = 0) -> requests.Session:
        """A logged-in HTML session (cookie + CSRF token) for ``role``."""
        session = requests.Session()
        account = self.accounts[role][index]
        # Generous: logging in runs the password hasher on purpose slowly, and a load test logs many people in.
        page = session.get(f"{self.base_url}/accounts/login/", timeout=60)
        session.post(
            f"{self.base_url}/accounts/login/",
            timeout=60,
            data={
                "username": account["username"],
                "password": account["password"],
                "csrfmiddlewaretoken": csrf_from(page.text),
            },
            headers={"Referer": page.url},
        )
        assert "sessionid" in session.cookies, "login failed"
        return session

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        conn = psycopg2.connect(
            host="127.0.0.1", port=self.cluster.port, user="postgres", dbname=self.database, connect_timeout=3
        )
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            conn.close()

    def scalar(self, sql: str, params: tuple = ()):
        return self.query(sql, params)[0][0]


def csrf_from(html: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    return html[html.index(marker) + len(marker) :].split('"', 1)[0]
