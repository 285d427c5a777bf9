"""Test support for sync: a real server on 127.0.0.1 (in a thread, or as a subprocess), real
encrypted stores, enrolled devices, and replica comparison."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests
import uvicorn
from sqlalchemy import text

from vsm_desktop.store.store import Store
from vsm_desktop.domain import model
from vsm_desktop.sync.engine import SyncClient
from vsm_server import db, service
from vsm_server.app import Faults, create_app

from conftest import PASSPHRASE, REPO

POSTGRES_ENV = "VSM_TEST_POSTGRES_URL"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def fresh_postgres(base_url: str, name: str) -> str:
    """A new empty database on the test cluster; returns its URL."""
    admin = db.make_engine(base_url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    head, _sep, _db = base_url.rpartition("/")
    return f"{head}/{name}"


class ThreadServer:
    """uvicorn serving the app on 127.0.0.1 in a background thread."""

    def __init__(self, url: str, *, authority: str = "Cyngor Prawf", fault: str | None = None,
                 ssl_certfile: str | None = None, ssl_keyfile: str | None = None, init: bool = True):
        self.db_url = url
        self.engine = db.make_engine(url)
        if init:
            service.init_authority(self.engine, authority)
        self.port = free_port()
        scheme = "https" if ssl_certfile else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(self.engine, fault=Faults(fault)), host="127.0.0.1", port=self.port,
                                log_level="warning", access_log=False, ssl_certfile=ssl_certfile,
                                ssl_keyfile=ssl_keyfile, timeout_keep_alive=30)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 10
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.engine.dispose()

    # administration, as the CLI does it
    def user(self, username: str, role: str, school: str | None = None, display_name: str | None = None) -> str:
        service.add_user(self.engine, username, role, school, display_name)
        return service.enrol_code(self.engine, username)

    def code(self, username: str) -> str:
        return service.enrol_code(self.engine, username)

    def assign(self, username: str, learner_id: str, remove: bool = False) -> None:
        service.assign(self.engine, username, learner_id, remove=remove)


class ProcessServer:
    """`vsm-server serve` as a subprocess (so a test can kill it); the database outlives it."""

    def __init__(self, url: str, tmp: Path, *, fault: str | None = None, init: bool = True,
                 authority: str = "Cyngor Prawf", env: dict | None = None, port: int | None = None):
        self.db_url = url
        self.tmp = tmp
        self.env = dict(env or {})  # e.g. {"VSM_SERVER_TODAY": "2027-03-10"}: the server's date moved
        self.engine = db.make_engine(url)
        if init:
            service.init_authority(self.engine, authority)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.start(fault)

    def start(self, fault: str | None = None) -> None:
        env = dict(os.environ, PYTHONPATH=str(REPO), **self.env)
        env.pop("VSM_SERVER_FAULT", None)
        if fault:
            env["VSM_SERVER_FAULT"] = fault
        self.log = open(self.tmp / f"server-{self.port}-{time.time_ns()}.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "vsm_server", "serve", "--db", self.db_url, "--port", str(self.port),
             "--log-level", "INFO"], env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=REPO)
        deadline = time.time() + 20
        while True:
            try:
                requests.get(self.url + "/v1/health", timeout=1)
                return
            except requests.RequestException:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("server process did not start")
                time.sleep(0.1)

    def wait_dead(self, timeout: float = 20) -> int:
        return self.proc.wait(timeout)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def user(self, username: str, role: str, school: str | None = None, display_name: str | None = None) -> str:
        service.add_user(self.engine, username, role, school, display_name)
        return service.enrol_code(self.engine, username)

    def code(self, username: str) -> str:
        return service.enrol_code(self.engine, username)

    def assign(self, username: str, learner_id: str, remove: bool = False) -> None:
        service.assign(self.engine, username, learner_id, remove=remove)


def run_server_cli(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    """`vsm-server ARGS` as an administrator runs it."""
    return subprocess.run([sys.executable, "-m", "vsm_server", *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO), **(env or {})))


@dataclass
class Device:
    store: Store
    client: SyncClient
    path: Path

    def sync(self):
        return self.client.sync()

    def close(self):
        self.store.close()


def device(tmp_path: Path, server, username: str, role: str = "coordinator", school: str | None = None,
           name: str | None = None, timeout: float | None = 20) -> Device:
    path = tmp_path / f"{name or username}.vsm"
    store = Store.initialise(path, PASSPHRASE, author=username.title())
    client = SyncClient(store, timeout=timeout)
    code = server.user(username, role, school)
    client.enrol(server.url, code)
    return Device(store, client, path)


def snapshot(store: Store) -> dict:
    """Everything that must be the same on every replica: every record of every table."""
    out = {}
    for name in model.ENTITIES:
        out[name] = store.all_rows(name)
    return out


def server_ops(store: Store) -> list[tuple]:
    """The part of the change log every replica shares: operations the server has."""
    from vsm_desktop.store import oplog

    return [(op["hlc"], op["entity"], op["record_id"], op["field"], oplog.encode(op["value"]), op["held"] or "")
            for op in oplog.read(store.conn, "WHERE server_seq IS NOT NULL")]


# --- PostgreSQL for the tests ---------------------------------------------------------------

_PG: dict = {}


def postgres_base() -> str | None:
    """The test cluster's URL: VSM_TEST_POSTGRES_URL, or a throwaway cluster started once per
    test run with scripts/start-postgres (stopped when the run ends); None if neither works."""
    if POSTGRES_ENV in os.environ:
        return os.environ[POSTGRES_ENV] or None
    if "url" not in _PG:
        _PG["url"] = None
        try:
            out = subprocess.run([str(REPO / "scripts" / "start-postgres")], capture_output=True, text=True,
                                 timeout=120)
        except (OSError, subprocess.TimeoutExpired):
            return None
        if out.returncode == 0:
            found = dict(line.removeprefix("export ").split("=", 1) for line in out.stdout.splitlines() if "=" in line)
            _PG["url"] = found.get(POSTGRES_ENV)
            _PG["dir"] = found.get("VSM_TEST_POSTGRES_DIR")
            import atexit

            atexit.register(lambda: subprocess.run([str(REPO / "scripts" / "start-postgres"), "--stop", _PG["dir"]],
                                                   capture_output=True, timeout=60))
        else:
            _PG["why"] = out.stderr.strip()
    return _PG["url"]


def postgres_or_skip(name: str) -> str:
    import pytest

    base = postgres_base()
    if not base:
        pytest.skip("no PostgreSQL server: set VSM_TEST_POSTGRES_URL or install PostgreSQL's server programs "
                    f"(scripts/start-postgres said: {_PG.get('why') or 'not run'})")
    return fresh_postgres(base, name)


def backend_url(backend: str, tmp_path: Path, name: str) -> str:
    if backend == "sqlite":
        return sqlite_url(tmp_path / f"{name}.db")
    return postgres_or_skip(name)
