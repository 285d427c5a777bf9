"""Sync benchmarks on loopback: a real `vsm-server` process and real encrypted stores.

    .venv/bin/python benchmarks/bench_sync.py [--learners 1100] [--repeat 5] [--first-repeat 3] [--clients 50]
                                              [--postgres URL] [--out benchmarks/out]

1. First sync of a synthetic authority (vsm_desktop.demo.generator, seed 7) into an empty store:
   a coordinator's device pushes the whole authority once (timed too), then a new device pulls
   all of it. Reported: operations per second, and the ratio to a bare HTTP transfer of the same
   bytes in the same number of requests (a plain endpoint serving a blob), in the same run.
   Medians of --first-repeat runs, each into a new server database and a new store.
2. Incremental round trip: 20 changed fields on one device, its sync (push + pull), then another
   device's sync receiving them. Median and p95 over --repeat × 5 runs.
   The same first sync in the application (offscreen, its sync thread and second connection):
   the longest stall of the UI thread meanwhile (a 10 ms timer's largest gap), with --skip app
   to leave it out.
3. 50 clients at once (social workers, each with a learner of their own): each syncs 20 changed
   fields, --rounds times, all together; on SQLite and on PostgreSQL (--postgres URL, or
   VSM_TEST_POSTGRES_URL, or a cluster from scripts/start-postgres) with `serve --workers` 1 and
   3 (--workers). Throughput (syncs, operations and pushes per second), request latency and push
   latency (median, p95, max). Before it, the server alone under the same 50 clients pushing
   (raw HTTP, no local work: --load-rounds pushes each) with 1 and 3 workers, and after it a
   profile of one 20-field push in-process on PostgreSQL (where a push's time goes; --skip
   profile / sync-clients to leave those out). --profile-pull writes a cProfile of the last first
   pull (its applying thread) to OUT/pull.prof and prints where its time went.

Medians are printed and written to OUT/sync-results.json. Budgets (issue 5): first sync of 1,100
learners ≤ 60 s; incremental round trip ≤ 300 ms; no request over 2 s at 50 clients.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from vsm_desktop.errors import Refused  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402
from vsm_desktop.sync import engine as sync_engine  # noqa: E402
from vsm_desktop.sync.engine import SyncClient  # noqa: E402
from vsm_desktop.sync.transport import Transport  # noqa: E402
from vsm_server import db as sdb, service  # noqa: E402

from bench_store import PASSPHRASE, SEED, build  # noqa: E402  (one demo store, shared by the benchmarks)
FIELDS = [("reviews", "strengths"), ("reviews", "wellbeing_notes"), ("reviews", "carer_views"),
          ("reviews", "sdq_score"), ("learners", "preferred_name")]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`vsm-server serve` in its own process, so the clients' CPU does not stand in its way."""

    def __init__(self, url: str, log: Path, level: str = "WARNING", workers: int = 1):
        self.log_path = log
        self.engine = sdb.make_engine(url)
        service.init_authority(self.engine, "Benchmark Authority")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "vsm_server", "serve", "--db", url, "--port", str(self.port),
                                      "--log-level", level] + (["--workers", str(workers)] if workers > 1 else []),
                                     cwd=ROOT, stdout=self.log,
                                     stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        for _ in range(200):
            try:
                requests.get(self.url + "/v1/health", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def cpu_s(self) -> float:
        """CPU seconds the server process has used (Linux): on a loaded machine the wall clock
        says more about the other processes than about this one."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def code(self, username: str, role: str = "coordinator") -> str:
        service.add_user(self.engine, username, role)
        return service.enrol_code(self.engine, username)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(20)
        self.log.close()
        self.engine.dispose()


class CountingTransport(Transport):
    """Records each request's duration and the bytes of each answer."""

    timings: list[float] = []
    push_timings: list[float] = []
    sizes: list[int] = []
    lock = threading.Lock()

    def _interpret(self, status, media, raw, host):
        with self.lock:
            self.sizes.append(len(raw))
        return super()._interpret(status, media, raw, host)

    def _request(self, method, path, body):
        started = time.perf_counter()
        try:
            return super()._request(method, path, body)
        finally:
            with self.lock:
                self.timings.append(time.perf_counter() - started)
                if path == "/v1/push":
                    self.push_timings.append(self.timings[-1])


def copy_store(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst


def bare_transfer(sizes: list[int]) -> float:
    """The same bytes in the same number of requests from a plain endpoint (no sync logic)."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route
    import uvicorn

    blob = b"x" * max(sizes)

    async def serve(request):
        n = int(request.query_params["n"])
        return Response(blob[:n], media_type="application/octet-stream")

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=[Route("/blob", serve, methods=["POST"])]), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    while not server.started:
        time.sleep(0.02)
    session = requests.Session()
    started = time.perf_counter()
    for n in sizes:
        r = session.post(f"http://127.0.0.1:{port}/blob?n={n}", data=b"{}", timeout=60)
        assert len(r.content) == n
    elapsed = time.perf_counter() - started
    server.should_exit = True
    t.join(10)
    return elapsed


def bench_first_sync(tmp: Path, src: Path, url: str, results: dict, repeat: int = 1,
                     pull: bool = True, profile_pull: Path | None = None) -> tuple[Server, Store, SyncClient]:
    """The first sync `repeat` times, each into a new server database and a new store; medians
    (with the bare HTTP baseline of each run) in results["first_sync"]. The last run's server and
    device stay up for the incremental benchmark."""
    runs = []
    for run in range(repeat):
        if runs:
            server.stop()
            origin.close()
        path = url.replace("first.db", f"first-{run}.db")
        for side in ("", "-wal", "-shm", "-content"):   # each run starts from new files
            (tmp / f"origin.vsm{side}").unlink(missing_ok=True)
            (tmp / f"fresh.vsm{side}").unlink(missing_ok=True)
        server = Server(path, tmp / f"server-first-{run}.log")
        try:
            server, origin, client = _first_sync(tmp, src, server, results, pull,
                                                 profile_pull if run == repeat - 1 else None)
        except BaseException:
            server.stop()
            raise
        runs.append(results["first_sync"])
    if repeat > 1:
        med = {k: round(statistics.median(r[k] for r in runs), 3) for k in (
            "initial_push_s", "initial_push_sending_s", "first_pull_s", "bare_http_same_bytes_s", "ratio_to_bare_http")
            if k in runs[-1]}
        med.update({f"initial_push_cpu_{side}_s": round(statistics.median(r["initial_push_cpu_s"][side] for r in runs), 2)
                    for side in ("client", "server")})
        results["first_sync"] = dict(runs[-1], **med, runs=repeat,
                                     each={k: [r.get(k) for r in runs] for k in med})
        print(f"first sync, median of {repeat}: push {med['initial_push_s']:.1f} s (CPU: client "
              f"{med['initial_push_cpu_client_s']:.1f} s, server {med['initial_push_cpu_server_s']:.1f} s)"
              + (f"; pull {med['first_pull_s']:.1f} s; bare HTTP {med['bare_http_same_bytes_s']:.2f} s "
                 f"(ratio {med['ratio_to_bare_http']:.1f})" if pull else ""), flush=True)
    return server, origin, client


def _first_sync(tmp: Path, src: Path, server: Server, results: dict, pull: bool = True,
                profile_pull: Path | None = None) -> tuple[Server, Store, SyncClient]:
    origin = Store.open(copy_store(src, tmp / "origin.vsm"), PASSPHRASE)
    ops = origin.conn.execute("SELECT count(*) FROM ops").fetchone()[0]
    client = SyncClient(origin)
    client.enrol(server.url, server.code("origin"))
    cpu = (time.process_time(), server.cpu_s())
    started = time.perf_counter()
    phases: dict[str, float] = {}
    # When the push phase ends: the rest of the first sync is this device receiving its own changes back.
    pushed = client.sync(progress=lambda p: phases.setdefault(p.phase, time.perf_counter() - started))
    push_s = time.perf_counter() - started
    push_only_s = phases.get("pull", push_s)
    push_cpu = (time.process_time() - cpu[0], server.cpu_s() - cpu[1])
    if not pull:  # --skip first-pull: the push alone
        print(f"  pushed {ops} ops in {push_s:.1f} s (of which sending {push_only_s:.1f} s; CPU: client "
              f"{push_cpu[0]:.1f} s, server {push_cpu[1]:.1f} s)", flush=True)
        results["first_sync"] = {
            "operations": ops, "initial_push_s": round(push_s, 2), "initial_push_ops_per_s": round(ops / push_s),
            "initial_push_sending_s": round(push_only_s, 2),
            "initial_push_cpu_s": {"client": round(push_cpu[0], 2), "server": round(push_cpu[1], 2)},
            "push_results": pushed.results,
        }
        return server, origin, client
    fresh = Store.initialise(tmp / "fresh.vsm", PASSPHRASE, author="Fresh")
    fresh_client = SyncClient(fresh, transport_factory=CountingTransport)
    fresh_client.enrol(server.url, server.code("fresh"))
    CountingTransport.sizes.clear()
    CountingTransport.timings.clear()
    cpu = (time.process_time(), server.cpu_s())
    started = time.perf_counter()
    if profile_pull:
        # The applying thread only: the next page is read and checked on a helper thread meanwhile.
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        pulled = profiler.runcall(fresh_client.sync)
        profiler.dump_stats(profile_pull)
        print(f"  profile of the pull (applying thread; timed figures below include cProfile's cost): {profile_pull}")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    else:
        pulled = fresh_client.sync()
    pull_s = time.perf_counter() - started
    pull_cpu = (time.process_time() - cpu[0], server.cpu_s() - cpu[1])
    sizes = [s for s in CountingTransport.sizes]
    print(f"  pushed {ops} ops in {push_s:.1f} s (of which sending {push_only_s:.1f} s; CPU: client {push_cpu[0]:.1f} s, "
          f"server {push_cpu[1]:.1f} s); pulled them in {pull_s:.1f} s (CPU: client {pull_cpu[0]:.1f} s, server "
          f"{pull_cpu[1]:.1f} s)", flush=True)
    bare_s = bare_transfer(sizes)
    assert pulled.pulled == ops, (pulled.pulled, ops)
    results["first_sync"] = {
        "operations": ops, "learners": fresh.counts()["learners"], "bytes": sum(sizes), "requests": len(sizes),
        "initial_push_s": round(push_s, 2), "initial_push_ops_per_s": round(ops / push_s),
        "initial_push_sending_s": round(push_only_s, 2),
        "initial_push_cpu_s": {"client": round(push_cpu[0], 2), "server": round(push_cpu[1], 2)},
        "first_pull_cpu_s": {"client": round(pull_cpu[0], 2), "server": round(pull_cpu[1], 2)},
        "first_pull_s": round(pull_s, 2), "first_pull_ops_per_s": round(ops / pull_s),
        "bare_http_same_bytes_s": round(bare_s, 3), "ratio_to_bare_http": round(pull_s / bare_s, 1),
        "push_results": pushed.results,
    }
    print(f"first sync: {ops} ops pushed in {push_s:.1f} s ({ops / push_s:.0f}/s); pulled into an empty store in "
          f"{pull_s:.1f} s ({ops / pull_s:.0f}/s); {sum(sizes) / 1e6:.1f} MB in {len(sizes)} requests; "
          f"bare HTTP {bare_s:.2f} s (ratio {pull_s / bare_s:.1f})", flush=True)
    fresh.close()
    return server, origin, client


def bench_app_first_sync(tmp: Path, server: Server, results: dict) -> None:
    """The application's first sync of the authority: how long the UI thread is ever kept waiting."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["VSM_USER_SETTINGS"] = str(tmp / "user.json")
    os.environ["VSM_MACHINE_SETTINGS"] = str(tmp / "machine.json")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from vsm_desktop import settings
    from vsm_desktop.app.main import AppController

    path = tmp / "app.vsm"
    with Store.initialise(path, PASSPHRASE, author="App") as store:
        SyncClient(store).enrol(server.url, server.code("app"))
    app = QApplication.instance() or QApplication([])
    chosen = settings.load()
    chosen.language = "en"
    controller = AppController(app, chosen, path)
    controller.window.show()
    part = controller.sync
    gaps: list[float] = []
    clock = QElapsedTimer()
    tick = QTimer()
    tick.setInterval(10)
    tick.timeout.connect(lambda: (gaps.append(clock.restart()), None))
    controller.unlock_page.passphrase.setText(PASSPHRASE)
    controller.unlock_page.unlock()
    started = time.perf_counter()
    while not part.running and time.perf_counter() - started < 120:
        app.processEvents()
        time.sleep(0.005)
    clock.start()
    tick.start()
    sync_started = time.perf_counter()
    while part.running:
        app.processEvents()
        time.sleep(0.002)
    sync_s = time.perf_counter() - sync_started
    tick.stop()
    learners = controller.store.counts()["learners"] if controller.store else None
    controller.close_requested()
    controller.window.close()
    gaps = gaps[1:] or [0.0]
    results["app_first_sync"] = {
        "sync_s": round(sync_s, 2), "learners": learners, "problem": part.problem and part.problem[0],
        "ui_longest_stall_ms": max(gaps), "ui_stall_p99_ms": percentile(gaps, 99), "ui_ticks": len(gaps),
    }
    print(f"app first sync: {sync_s:.1f} s; UI thread's longest stall {max(gaps):.0f} ms "
          f"(p99 {percentile(gaps, 99):.0f} ms, timer every 10 ms)", flush=True)


def bench_incremental(tmp: Path, server: Server, origin: Store, client: SyncClient, repeat: int, results: dict):
    other = Store.initialise(tmp / "other.vsm", PASSPHRASE, author="Other")
    other_client = SyncClient(other)
    other_client.enrol(server.url, server.code("other"))
    other_client.sync()
    rng = random.Random(SEED)
    reviews = [r[0] for r in origin.conn.execute("SELECT id FROM reviews WHERE status = 'draft'")]
    learners = [r[0] for r in origin.conn.execute("SELECT id FROM learners")]
    push_ms, pull_ms, total_ms = [], [], []
    for run in range(repeat * 5):
        written = 0
        with origin.transaction():
            while written < 20:
                entity, field = rng.choice(FIELDS)
                rid = rng.choice(reviews if entity == "reviews" else learners)
                value = rng.randint(0, 40) if field == "sdq_score" else f"Newid {run}-{written} {rng.random():.6f}"
                try:
                    written += origin.set_field(entity, rid, field, value) is not None
                except Refused:  # a section outside that review's phase: another field
                    pass
        t0 = time.perf_counter()
        sent = client.sync()
        t1 = time.perf_counter()
        got = other_client.sync()
        t2 = time.perf_counter()
        assert sent.pushed == 20 and got.pulled >= 20, (sent.pushed, got.pulled)
        push_ms.append((t1 - t0) * 1000)
        pull_ms.append((t2 - t1) * 1000)
        total_ms.append((t2 - t0) * 1000)
    results["incremental_20_fields"] = {
        "runs": len(total_ms), "sender_sync_ms_median": round(statistics.median(push_ms), 1),
        "receiver_sync_ms_median": round(statistics.median(pull_ms), 1),
        "round_trip_ms_median": round(statistics.median(total_ms), 1),
        "round_trip_ms_p95": round(percentile(total_ms, 95), 1),
    }
    print(f"incremental (20 fields): sender {statistics.median(push_ms):.0f} ms, receiver "
          f"{statistics.median(pull_ms):.0f} ms, round trip median {statistics.median(total_ms):.0f} ms "
          f"(p95 {percentile(total_ms, 95):.0f} ms)", flush=True)
    other.close()


def bench_many_clients(tmp: Path, url: str, label: str, clients: int, rounds: int, results: dict,
                       workers: int = 1) -> None:
    server = Server(url, tmp / f"server-{label}.log", level="INFO", workers=workers)
    try:
        _many_clients(tmp, server, label, clients, rounds, results)
    finally:
        server.stop()


def _many_clients(tmp: Path, server: Server, label: str, clients: int, rounds: int, results: dict) -> None:
    devices = []
    for i in range(clients):
        path = tmp / f"c{label}{i}.vsm"
        store = Store.initialise(path, PASSPHRASE, author=f"Worker {i}")
        client = SyncClient(store, transport_factory=CountingTransport, timeout=30)
        client.enrol(server.url, server.code(f"sw{label}{i}", "social_worker"))
        learner = store.create("learners", {"reference": f"B{i:06d}", "legal_forename": "Test", "legal_surname": f"L{i}",
                                            "date_of_birth": "2012-01-01", "legal_status": "care_order"})
        client.sync()
        devices.append((store, client, learner))
    CountingTransport.timings.clear()
    CountingTransport.push_timings.clear()
    server.log.flush()
    log_start = server.log_path.stat().st_size
    errors: list[str] = []
    barrier = threading.Barrier(clients)

    def work(store, client, learner, seed):
        rng = random.Random(seed)
        barrier.wait()
        for r in range(rounds):
            with store.transaction():
                for i in range(20):
                    store.set_field("learners", learner, "preferred_name", f"Enw {r}-{i}-{rng.random():.5f}")
            try:
                client.sync()
            except Exception as e:  # recorded, reported
                errors.append(type(e).__name__)

    threads = [threading.Thread(target=work, args=(s, c, l, n)) for n, (s, c, l) in enumerate(devices)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    timings = [t * 1000 for t in CountingTransport.timings]
    pushes = [t * 1000 for t in CountingTransport.push_timings]
    syncs = clients * rounds
    time.sleep(0.5)
    with open(server.log_path, encoding="utf-8") as f:
        f.seek(log_start)
        server_ms = [float(line.rsplit("ms=", 1)[1]) for line in f if " ms=" in line and "/v1/" in line]
    results[f"clients_{clients}_{label}"] = {
        "clients": clients, "rounds": rounds, "seconds": round(elapsed, 2), "syncs_per_s": round(syncs / elapsed, 1),
        "ops_per_s": round(syncs * 20 / elapsed), "requests": len(timings),
        "request_ms_median": round(statistics.median(timings), 1), "request_ms_p95": round(percentile(timings, 95), 1),
        "request_ms_max": round(max(timings), 1), "errors": errors,
        "server_ms_median": round(statistics.median(server_ms), 1), "server_ms_p95": round(percentile(server_ms, 95), 1),
        "server_ms_max": round(max(server_ms), 1),
        "pushes_per_s": round(len(pushes) / elapsed, 1), "push_ms_p50": round(statistics.median(pushes), 1),
        "push_ms_p95": round(percentile(pushes, 95), 1), "push_ms_max": round(max(pushes), 1),
    }
    print(f"{clients} clients on {label}: {len(pushes) / elapsed:.1f} pushes/s; push p50 "
          f"{statistics.median(pushes):.0f} ms, p95 {percentile(pushes, 95):.0f} ms, max {max(pushes):.0f} ms",
          flush=True)
    print(f"{clients} clients on {label}: {syncs / elapsed:.1f} syncs/s ({syncs * 20 / elapsed:.0f} ops/s); requests "
          f"median {statistics.median(timings):.0f} ms, p95 {percentile(timings, 95):.0f} ms, max {max(timings):.0f} ms; "
          f"errors {len(errors)}; in the server: median {statistics.median(server_ms):.0f} ms, "
          f"p95 {percentile(server_ms, 95):.0f} ms, max {max(server_ms):.0f} ms", flush=True)
    for store, _c, _l in devices:
        store.close()


def bench_push_load(tmp: Path, url: str, label: str, clients: int, rounds: int, results: dict,
                    workers: int) -> None:
    """The server alone under 50 pushers: each client (a social worker's device, its token made
    directly in the database) sends `rounds` pushes of 20 changed fields to its own learner, all
    at once, over HTTP. The clients do no local work, so the rates and latencies are the server's
    (the load generator still shares the machine's cores with it)."""
    server = Server(url, tmp / f"server-load-{label}.log", level="WARNING", workers=workers)
    try:
        devices = []
        for i in range(clients):
            user_id = service.add_user(server.engine, f"load{i}", "social_worker")
            device_id = f"{i:016x}"
            token = f"load-token-{i:04d}-{'x' * 24}"
            with server.engine.begin() as conn:
                conn.execute(sdb.devices.insert().values(id=device_id, user_id=user_id, token_hash=service._hash(token),
                                                         created_at=0, expires_at=2**62))
            devices.append((device_id, token, f"{i + 1:032x}"))
        session_local = threading.local()

        def post(token, body):
            if not hasattr(session_local, "s"):
                session_local.s = requests.Session()
            started = time.perf_counter()
            r = session_local.s.post(server.url + "/v1/push", json=body, timeout=60,
                                     headers={"Authorization": f"Bearer {token}",
                                              "X-VSM-Client-Time": str(time.time_ns() // 1_000_000)})
            return r.status_code, (time.perf_counter() - started) * 1000

        counter = iter(range(10**9))
        lock = threading.Lock()

        def stamp(device_id):
            with lock:
                n = next(counter)
            return f"{time.time_ns() // 1_000_000:015d}-{n % 1000000:06d}-{device_id}"

        for device_id, token, learner in devices:
            create = {"hlc": stamp(device_id), "entity": "learners", "record_id": learner, "learner_id": learner,
                      "field": "*", "value": {"reference": f"B{learner[-6:]}", "legal_forename": "Test",
                                              "legal_surname": "L", "date_of_birth": "2012-01-01",
                                              "legal_status": "care_order"},
                      "prev_hlc": None, "device_id": device_id, "author": "W"}
            status, _ms = post(token, {"batch_id": uuid.uuid4().hex, "cursor": 0, "ops": [create]})
            assert status == 200, status
        latencies: list[float] = []
        statuses: list[int] = []
        barrier = threading.Barrier(clients)

        def work(device_id, token, learner):
            barrier.wait()
            for r in range(rounds):
                ops = [{"hlc": stamp(device_id), "entity": "learners", "record_id": learner, "learner_id": learner,
                        "field": "preferred_name", "value": f"Enw {r}-{i}", "prev_hlc": None,
                        "device_id": device_id, "author": "W"} for i in range(20)]
                status, ms = post(token, {"batch_id": uuid.uuid4().hex, "cursor": 0, "ops": ops})
                with lock:
                    latencies.append(ms)
                    statuses.append(status)

        threads = [threading.Thread(target=work, args=d) for d in devices]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        scraped = requests.get(server.url + "/metrics", timeout=30).text

        def metric(name):
            return sum(float(line.rsplit(" ", 1)[1]) for line in scraped.splitlines() if line.startswith(name + " "))

        lock_sum, lock_count = metric("vsm_push_lock_seconds_sum"), metric("vsm_push_lock_seconds_count")
        key = f"push_load_{clients}_{label}"
        results[key] = {
            "clients": clients, "rounds": rounds, "workers": workers, "seconds": round(elapsed, 2),
            "pushes_per_s": round(len(latencies) / elapsed, 1), "push_ms_p50": round(statistics.median(latencies), 1),
            "push_ms_p95": round(percentile(latencies, 95), 1), "push_ms_max": round(max(latencies), 1),
            "non_200": sum(1 for st in statuses if st != 200),
            "lock_ms_mean": round(lock_sum / lock_count * 1000, 2) if lock_count else None,
            "lock_busy_share": round(lock_sum / elapsed, 2),
        }
        print(f"push load, {clients} clients, {label} ({workers} worker(s)): {len(latencies) / elapsed:.1f} pushes/s; "
              f"p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 95):.0f} ms, "
              f"max {max(latencies):.0f} ms; non-200: {results[key]['non_200']}; the lock held "
              f"{results[key]['lock_ms_mean']} ms a push on average, busy {lock_sum / elapsed:.0%} of the time",
              flush=True)
    finally:
        server.stop()


def profile_push(url: str, results: dict) -> None:
    """Where one push's time goes: a 20-field push by a social worker (as in the 50-client run),
    profiled in this process against the server's code and database, without HTTP."""
    import cProfile
    import io
    import pstats

    engine = sdb.make_engine(url)
    service.init_authority(engine, "Profile Authority")
    service.add_user(engine, "sw", "social_worker")
    with engine.begin() as conn:
        conn.execute(sdb.devices.insert().values(id="0123456789abcdef", user_id=1, token_hash="x" * 64,
                                                 created_at=0, expires_at=2**62))
    p = service.Principal("0123456789abcdef", 1, "sw", "social_worker", None)
    learner = "b" * 32

    def stamp(n):
        return f"{time.time_ns() // 1_000_000:015d}-{n:06d}-0123456789abcdef"

    create = {"hlc": stamp(0), "entity": "learners", "record_id": learner, "learner_id": learner, "field": "*",
              "value": {"reference": "B000001", "legal_forename": "Test", "legal_surname": "L",
                        "date_of_birth": "2012-01-01", "legal_status": "care_order"},
              "prev_hlc": None, "device_id": p.device_id, "author": "W"}
    service.push(engine, p, {"batch_id": "a" * 32, "cursor": 0, "ops": [create]})
    times, prof = [], cProfile.Profile()
    prev = create["hlc"]
    for n in range(60):
        ops = []
        for i in range(20):
            h = stamp(n * 20 + i + 1)
            ops.append({"hlc": h, "entity": "learners", "record_id": learner, "learner_id": learner,
                        "field": "preferred_name", "value": f"Enw {n}-{i}", "prev_hlc": prev,
                        "device_id": p.device_id, "author": "W"})
            prev = h
        body = {"batch_id": f"{n + 1:032x}", "cursor": 0, "ops": ops}
        started = time.perf_counter()
        if n >= 10:
            prof.enable()
        service.push(engine, p, body)
        if n >= 10:
            prof.disable()
            times.append((time.perf_counter() - started) * 1000)
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(18)
    results["profile_push"] = {"push_ms_median": round(statistics.median(times), 2)}
    print(f"one 20-field push in-process on PostgreSQL: median {statistics.median(times):.1f} ms; profile:")
    print("\n".join(out.getvalue().splitlines()[:45]), flush=True)
    engine.dispose()


def postgres(arg: str | None) -> tuple[str | None, str | None]:
    url = arg or os.environ.get("VSM_TEST_POSTGRES_URL")
    if url:
        return url, None
    out = subprocess.run([str(ROOT / "scripts" / "start-postgres")], capture_output=True, text=True)
    if out.returncode != 0:
        print("no PostgreSQL: " + out.stderr.strip(), file=sys.stderr)
        return None, None
    found = dict(line.removeprefix("export ").split("=", 1) for line in out.stdout.splitlines())
    return found["VSM_TEST_POSTGRES_URL"], found["VSM_TEST_POSTGRES_DIR"]


def fresh_pg_db(base: str, name: str) -> str:
    from sqlalchemy import text

    admin = sdb.make_engine(base)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rpartition("/")[0] + "/" + name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=1100)
    parser.add_argument("--repeat", type=int, default=3, help="incremental runs = 5 × this")
    parser.add_argument("--first-repeat", type=int, default=3, help="first syncs (push, pull, bare HTTP) for the medians")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--skip", nargs="*", default=[], choices=["first", "first-pull", "app", "clients", "sqlite",
                                                                  "postgres", "profile", "sync-clients"],
                        help="first-pull: time the first push only (no new device pulling it all)")
    parser.add_argument("--load-rounds", type=int, default=10, help="pushes per client in the push load")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 3],
                        help="serve --workers for the PostgreSQL runs (default: 1 and 3)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--profile-pull", action="store_true",
                        help="profile the last first pull (cProfile, applying thread) into OUT/pull.prof")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict = {"learners": args.learners}
    with tempfile.TemporaryDirectory(prefix="vsm-bench-sync-") as tmpname:
        tmp = Path(tmpname)
        if "first" not in args.skip:
            src, _plain = build(args.out, args.learners)
            server, origin, client = bench_first_sync(tmp, src, f"sqlite:///{tmp / 'first.db'}", results,
                                                      args.first_repeat, pull="first-pull" not in args.skip,
                                                      profile_pull=args.out / "pull.prof" if args.profile_pull else None)
            try:
                if "app" not in args.skip:
                    bench_app_first_sync(tmp, server, results)
                if "first-pull" not in args.skip:  # (its second device would pull everything first)
                    bench_incremental(tmp, server, origin, client, args.repeat, results)
            finally:
                origin.close()
                server.stop()
        if "clients" not in args.skip:
            if "sqlite" not in args.skip:
                bench_many_clients(tmp, f"sqlite:///{tmp / 'many.db'}", "sqlite", args.clients, args.rounds, results)
            if "postgres" not in args.skip:
                base, cluster = postgres(args.postgres)
                if base:
                    try:
                        for workers in args.workers:
                            bench_push_load(tmp, fresh_pg_db(base, f"bench_load_{workers}"),
                                            f"postgresql_{workers}w", args.clients, args.load_rounds, results,
                                            workers)
                        for workers in args.workers:
                            if "sync-clients" in args.skip:
                                break
                            bench_many_clients(tmp, fresh_pg_db(base, f"bench_many_{workers}"),
                                               f"postgresql_{workers}w", args.clients, args.rounds, results,
                                               workers=workers)
                        if "profile" not in args.skip:
                            profile_push(fresh_pg_db(base, "bench_profile"), results)
                    finally:
                        if cluster:
                            subprocess.run([str(ROOT / "scripts" / "start-postgres"), "--stop", cluster])
    target = args.out / "sync-results.json"
    target.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
