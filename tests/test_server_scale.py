"""Several `vsm-server serve` processes on one PostgreSQL database: a batch retried on two processes
at once gets the stored answer from both (never a 503), and pullers never miss an operation while
pushers run concurrently on three processes (the cursor stays safe with the lock held only for
numbering and inserting). Also `serve --workers`: refused above 1 on SQLite, N processes on
PostgreSQL."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import requests

from vsm_desktop.sync import protocol as P
from vsm_server import service

from conftest import add_learner
from sync_support import ProcessServer, backend_url, device, free_port, run_server_cli, sqlite_url


def token_of(d) -> str:
    return d.store.conn.execute("SELECT value FROM meta WHERE key = 'sync_device_token'").fetchone()[0]


def headers(token: str) -> dict:
    return {"Authorization": f"Bearer {token}", P.HEADER_CLIENT_TIME: str(time.time_ns() // 1_000_000)}


@pytest.fixture
def two_processes(tmp_path):
    url = backend_url("postgresql", tmp_path, "scale")
    first = ProcessServer(url, tmp_path)
    second = ProcessServer(url, tmp_path, init=False)
    yield first, second
    for s in (first, second):
        s.stop()
        s.engine.dispose()


def test_a_batch_retried_on_two_processes_at_once_gets_the_stored_answer(tmp_path, two_processes):
    first, second = two_processes
    d = device(tmp_path, first, "ana", "coordinator")
    learner = add_learner(d.store)
    d.sync()
    token = token_of(d)
    for round_ in range(12):
        d.store.set_field("learners", learner, "preferred_name", f"Enw {round_}")
        d.store.set_field("learners", learner, "gender", "female" if round_ % 2 else "not_stated")
        body = {"batch_id": uuid.uuid4().hex, "cursor": 0, "ops": d.client._read_unsent(P.MAX_BATCH_OPS)[0]}
        before = service.head(first.engine)
        start = threading.Barrier(2)
        answers: dict[int, requests.Response] = {}

        def send(i, server):
            start.wait()
            answers[i] = requests.post(server.url + "/v1/push", json=body, headers=headers(token), timeout=30)

        threads = [threading.Thread(target=send, args=(i, s)) for i, s in enumerate((first, second))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [answers[i].status_code for i in (0, 1)] == [200, 200], [answers[i].text for i in (0, 1)]
        assert answers[0].json()["results"] == answers[1].json()["results"]
        assert [r["status"] for r in answers[0].json()["results"]] == ["applied", "applied"]
        assert service.head(first.engine) == before + 2      # applied once
        d.sync()  # the device takes the answer (its own retry is a replay or duplicates)
        assert d.client.status().unsent == 0
    logs = "".join(p.read_text() for p in tmp_path.glob("server-*.log"))
    assert "Traceback" not in logs and "unavailable" not in logs
    d.close()


def test_pullers_never_miss_an_operation_with_three_processes_pushing(tmp_path):
    url = backend_url("postgresql", tmp_path, "cursor_race")
    servers = [ProcessServer(url, tmp_path, init=(i == 0)) for i in range(3)]
    try:
        reader = device(tmp_path, servers[0], "rhys", "coordinator")
        pusher_codes = [servers[0].user(f"pusher{i}", "coordinator") for i in range(6)]
        reader_token = token_of(reader)
        done = threading.Event()
        seen: list[int] = []
        problems: list[str] = []

        def pull_loop():
            cursor = 0
            while True:
                finished = done.is_set()
                r = requests.post(servers[len(seen) % 3].url + "/v1/pull", json={"cursor": cursor, "limit": 50},
                                  headers=headers(reader_token), timeout=30)
                if r.status_code != 200:
                    problems.append(r.text)
                    return
                page = r.json()
                seqs = [op["seq"] for op in page["ops"]]
                if seqs != list(range(cursor + 1, cursor + 1 + len(seqs))):
                    problems.append(f"gap after {cursor}: {seqs[:5]}")   # a coordinator sees every operation
                seen.extend(seqs)
                cursor = page["cursor"]
                if finished and not page["more"]:
                    return

        def push_loop(i):
            from vsm_desktop.store.store import Store
            from vsm_desktop.sync.engine import SyncClient

            from conftest import PASSPHRASE

            with Store.initialise(tmp_path / f"p{i}.vsm", PASSPHRASE, author=f"P{i}") as store:
                client = SyncClient(store, timeout=30)
                client.enrol(servers[i % 3].url, pusher_codes[i])
                learner = add_learner(store, f"L{i:06d}")
                for n in range(6):
                    store.set_field("learners", learner, "preferred_name", f"Enw {n}")
                    client.sync()

        puller = threading.Thread(target=pull_loop)
        puller.start()
        pushers = [threading.Thread(target=push_loop, args=(i,)) for i in range(6)]
        for t in pushers:
            t.start()
        for t in pushers:
            t.join()
        done.set()
        puller.join(60)
        head = service.head(servers[0].engine)
        assert problems == []
        assert head == 6 * 7 and sorted(seen) == list(range(1, head + 1))
        reader.close()
    finally:
        for s in servers:
            s.stop()
            s.engine.dispose()


def test_workers_above_one_are_refused_on_sqlite(tmp_path):
    url = sqlite_url(tmp_path / "s.db")
    assert run_server_cli("init", "--db", url, "--authority", "Cyngor Prawf").returncode == 0
    r = run_server_cli("serve", "--db", url, "--workers", "3", "--port", str(free_port()))
    assert r.returncode == 2 and "PostgreSQL" in r.stderr and "--workers" in r.stderr


def test_serve_starts_several_worker_processes_on_postgresql(tmp_path):
    import subprocess
    import sys

    from conftest import REPO

    url = backend_url("postgresql", tmp_path, "workers")
    assert run_server_cli("init", "--db", url, "--authority", "Cyngor Prawf").returncode == 0
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "vsm_server", "serve", "--db", url, "--port", str(port),
                             "--workers", "2"], stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    try:
        deadline = time.time() + 30
        children: list[str] = []
        while time.time() < deadline:
            try:
                ok = requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=2).status_code == 200
            except requests.RequestException:
                ok = False
            children = open(f"/proc/{proc.pid}/task/{proc.pid}/children").read().split()
            if ok and len(children) >= 2:
                break
            time.sleep(0.2)
        assert ok and len(children) >= 2, children   # worker processes behind one port
        # /metrics adds up every worker's counts, whichever worker answers.
        for _ in range(20):
            assert requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=5,
                                headers={"Connection": "close"}).status_code == 200
        text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        counted = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                      if line.startswith('vsm_requests_total{route="/v1/health",status="200"}'))
        assert counted >= 21
    finally:
        proc.terminate()
        proc.wait(20)
        log.close()
