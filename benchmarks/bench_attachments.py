"""Attachment benchmarks: real encrypted stores, a real `vsm-server` process on loopback.

    .venv/bin/python benchmarks/bench_attachments.py [--repeat 5] [--sync-mb 100] [--out benchmarks/out]

1. Attach a 20 MB PDF (a new one each time: the same file would be stored once): the time of
   `vsm_desktop.attachments.content.attach`, and as baseline the same bytes written into a plain
   (unencrypted) SQLite table in 1 MiB rows, one transaction, synchronous=FULL, in the same run.
   Goal: ≤ 1 s, and ≤ 3× the baseline.
2. Read it back (every chunk, its hash checked): MB/s. Goal ≥ 100 MB/s.
3. Sync --sync-mb of attachments (files of 20 MB) to a second device: device A attaches and syncs
   (uploads); device B's sync (records, then the content) is timed in-process, as the
   application's sync thread runs it; the same sync as a `vsm-desktop sync` process of its own
   gives the peak memory (max RSS, from the kernel). Baseline: a bare HTTP server process
   (Starlette + uvicorn, as the sync server) serving the same bytes in the same number of 4 MiB
   requests on one keep-alive session. Goal: ≤ 3× the baseline, peak memory < 150 MB. The floor
   printed with it: the same bytes written into a store's content file alone (no network).

Medians are printed and written to OUT/attachments-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import requests  # noqa: E402

from vsm_desktop.attachments import content  # noqa: E402
from vsm_desktop.store import contentfile  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402
from vsm_desktop.sync.engine import SyncClient  # noqa: E402

from bench_sync import Server, free_port  # noqa: E402

PASSPHRASE = "benchmark passphrase 2026"
MB = 1_000_000
TRANSFER = 4 * 1024 * 1024


def make_pdf(path: Path, size: int) -> Path:
    """A well-formed PDF of `size` bytes, as a scanned report is: one page and one large stream
    (an image's worth of incompressible bytes), with its cross-reference table."""
    page = b"BT /F1 24 Tf 72 720 Td (Adroddiad ysgol) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
               b" /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(page) + page + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    head = b"%PDF-1.7\n"
    fixed = len(head) + sum(len(o) + 20 for o in objects) + 400
    blob = os.urandom(max(1000, size - fixed))
    objects.append(b"<< /Length %d >>\nstream\n" % len(blob) + blob + b"\nendstream")
    out = bytearray(head)
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(out)
    return path


def new_store(path: Path, learner: bool = True) -> tuple[Store, str | None]:
    store = Store.initialise(path, PASSPHRASE, author="Bench Mark", role="designated_person")
    if not learner:
        return store, None
    learner = store.create("learners", {"reference": "L000001", "legal_forename": "Siân", "legal_surname": "Prosser",
                                        "date_of_birth": "2013-05-04", "legal_status": "care_order"})
    return store, learner


def remove_store(path: Path) -> None:
    """The store and its content file (vsm_desktop.store.contentfile), with what SQLite keeps beside them."""
    for side in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    for leftover in contentfile.side_files(path):
        leftover.unlink(missing_ok=True)


def plain_sqlite(path: Path, source: Path) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS chunks (name TEXT, seq INTEGER, data BLOB, PRIMARY KEY (name, seq))")
    started = time.perf_counter()
    with source.open("rb") as f:
        conn.execute("BEGIN")
        seq = 0
        while chunk := f.read(content.CHUNK):
            conn.execute("INSERT INTO chunks VALUES (?, ?, ?)", (source.name, seq, chunk))
            seq += 1
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def bench_attach(tmp: Path, repeat: int, results: dict) -> None:
    store, learner = new_store(tmp / "attach.vsm")
    attach, baseline, read = [], [], []
    for n in range(repeat):
        pdf = make_pdf(tmp / f"report{n}.pdf", 20 * MB)
        started = time.perf_counter()
        attachment_id = content.attach(store, learner, pdf, kind="report")
        attach.append(time.perf_counter() - started)
        baseline.append(plain_sqlite(tmp / "plain.db", pdf))
        item = store.get("attachments", attachment_id)
        started = time.perf_counter()
        size = sum(len(c) for c in content.chunks(store.conn, item["sha256"]))
        read.append(size / MB / (time.perf_counter() - started))
        pdf.unlink()
    store.close()
    a, b, r = statistics.median(attach), statistics.median(baseline), statistics.median(read)
    results["attach_20mb_s"] = round(a, 3)
    results["plain_sqlite_20mb_s"] = round(b, 3)
    results["attach_ratio"] = round(a / b, 2)
    results["read_mb_per_s"] = round(r, 1)
    print(f"attach 20 MB PDF: median {a:.3f} s (goal ≤ 1 s); plain SQLite table {b:.3f} s; ratio {a / b:.2f}× (goal ≤ 3×)")
    print(f"read back: median {r:.0f} MB/s (goal ≥ 100 MB/s)")


BARE_SERVER = """
import sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
blob = bytes(4 * 1024 * 1024)
async def serve(request):
    return Response(blob[:int(request.query_params["n"])], media_type="application/octet-stream")
uvicorn.run(Starlette(routes=[Route("/blob", serve)]), host="127.0.0.1", port=int(sys.argv[1]),
            log_level="warning", access_log=False)
"""


def bare_transfer(sizes: list[int]) -> float:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(port)])
    try:
        session = requests.Session()
        for _ in range(200):
            try:
                session.get(f"http://127.0.0.1:{port}/blob?n=1", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.1)
        started = time.perf_counter()
        for n in sizes:
            r = session.get(f"http://127.0.0.1:{port}/blob?n={n}", timeout=60)
            assert len(r.content) == n
        return time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(10)


SYNC_COMMAND = """
import sys
from vsm_desktop.cli import main
code = main(["sync", "--store", sys.argv[1]])
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print("peak-kib", peak, file=sys.stderr)
sys.exit(code)
"""


def timed_sync(path: Path) -> tuple[float, int]:
    """`vsm-desktop sync` in its own process: (seconds, peak RSS in bytes). The peak is the
    process's own high-water mark after exec (rusage's maxrss would count the fork of this one)."""
    env = dict(os.environ, VSM_PASSPHRASE=PASSPHRASE, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", SYNC_COMMAND, str(path)], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    peak = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("peak-kib"))
    return elapsed, peak * 1024


def store_write_floor(tmp: Path, total: int) -> float:
    """The same bytes written into an encrypted store alone (no network, no hashing), 4 MiB a
    transaction with the sync's own settings: the floor under the sync's time."""
    from vsm_desktop.attachments.sync import _bulk

    store, _ = new_store(tmp / "floor.vsm", learner=False)
    data = os.urandom(content.CHUNK)
    conn = store.conn
    conn.execute("INSERT INTO blobs(sha256, size) VALUES ('floor', ?)", (total,))
    started = time.perf_counter()
    with _bulk(conn):
        for n in range(-(-total // TRANSFER)):
            with store.transaction():
                conn.executemany("INSERT INTO blob_chunks(sha256, seq, data) VALUES ('floor', ?, ?)",
                                 [(n * 4 + k, data) for k in range(4)])
    elapsed = time.perf_counter() - started
    store.close()
    remove_store(tmp / "floor.vsm")
    return elapsed


def bench_sync(tmp: Path, total_mb: int, repeat: int, results: dict) -> None:
    files = max(1, total_mb // 20)
    sizes = [20 * MB] * files
    server = Server(f"sqlite:///{tmp / 'server.db'}", tmp / "server.log")
    try:
        a_store, learner = new_store(tmp / "a.vsm")
        a = SyncClient(a_store)
        a.enrol(server.url, server.code("ana"))
        for n, size in enumerate(sizes):
            pdf = make_pdf(tmp / f"sync{n}.pdf", size)
            content.attach(a_store, learner, pdf, kind="report")
            pdf.unlink()
        started = time.perf_counter()
        assert a.sync().files.sent == files
        upload = time.perf_counter() - started
        a_store.close()
        chunks = [min(TRANSFER, s - k * TRANSFER) for s in sizes for k in range(-(-s // TRANSFER))]
        syncs, peaks, bares, floors = [], [], [], []
        for n in range(repeat):
            floors.append(store_write_floor(tmp, sum(sizes)))
            # In-process: the sync itself (records, then content), as the application's sync thread runs it.
            path = tmp / f"b{n}.vsm"
            b_store, _ = new_store(path, learner=False)
            client = SyncClient(b_store)
            client.enrol(server.url, server.code(f"bryn{n}"))
            started = time.perf_counter()
            assert client.sync().files.fetched == files
            syncs.append(time.perf_counter() - started)
            b_store.close()
            remove_store(path)
            bares.append(bare_transfer(chunks))
            # The whole `vsm-desktop sync` command in a process of its own, for its peak memory.
            path = tmp / f"c{n}.vsm"
            c_store, _ = new_store(path, learner=False)
            SyncClient(c_store).enrol(server.url, server.code(f"carys{n}"))
            c_store.close()
            _elapsed, peak = timed_sync(path)
            with Store.open(path, PASSPHRASE) as check:
                here = check.conn.execute("SELECT count(*) FROM blobs WHERE complete = 1").fetchone()[0]
            assert here == files, here
            peaks.append(peak)
            remove_store(path)
    finally:
        server.stop()
    s, p, b = statistics.median(syncs), statistics.median(peaks), statistics.median(bares)
    f = statistics.median(floors)
    results["store_write_floor_s"] = round(f, 2)
    results.update(sync_mb=sum(sizes) / MB, upload_s=round(upload, 2), sync_s=round(s, 2), bare_http_s=round(b, 2),
                   sync_ratio=round(s / b, 2), sync_peak_rss_mb=round(p / MB, 1))
    print(f"upload of {sum(sizes) / MB:.0f} MB by device A: {upload:.2f} s")
    print(f"sync of {sum(sizes) / MB:.0f} MB to device B (SyncClient.sync, records then content): median {s:.2f} s; "
          f"bare HTTP of the same bytes in {len(chunks)} requests {b:.2f} s; ratio {s / b:.2f}× (goal ≤ 3×)")
    print(f"floor: the same bytes written into an encrypted store alone (no network): median {f:.2f} s "
          f"({f / b:.2f}× the bare HTTP transfer)")
    print(f"peak memory of a `vsm-desktop sync` process doing it: median {p / MB:.0f} MB (goal < 150 MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sync-mb", type=int, default=100)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "out"))
    args = parser.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="vsm-bench-att-") as folder:
        tmp = Path(folder)
        bench_attach(tmp, args.repeat, results)
        bench_sync(tmp, args.sync_mb, max(1, args.repeat // 2 + 1), results)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "attachments-results.json").write_text(json.dumps(results, indent=1))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
