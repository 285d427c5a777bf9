"""The demo authority's build: the bulk write path against the one-at-a-time path, with a baseline.

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python benchmarks/bench_demo.py [--learners 1100] [--runs 3]
        [--paths bulk old] [--out benchmarks/out]

Each run builds a new encrypted store of `--learners` learners (seed 7, profile "Benchmark") in a
process of its own, as `vsm-desktop demo` does, once per path, the paths alternated and their
order swapped each run (the machine is shared: compare within a run). Timed: `generate()` alone,
wall and CPU. The baseline: the same rows (every record and change-log row of the last bulk build)
inserted into a plain SQLite file with the same schema (tables, indexes, triggers, search index),
`executemany` per table, in as many transactions as the bulk path (the rows cut in proportion). Medians are
printed and written to OUT/demo-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSPHRASE = "benchmark store passphrase"
SEED = 7


def _remove(path: Path) -> None:
    from vsm_desktop.store import contentfile

    for side in [path, *(Path(str(path) + s) for s in ("-wal", "-shm", "-journal"))] + contentfile.side_files(path):
        side.unlink(missing_ok=True)


def one(path: str, learners: int, bulk: bool) -> None:
    """In a process of its own: builds the store and prints the timings as JSON."""
    from vsm_desktop.demo.generator import generate
    from vsm_desktop.store.store import Store

    store = Store.initialise(Path(path), PASSPHRASE, author="Benchmark", role="coordinator")
    with store:
        wall, cpu = time.perf_counter(), time.process_time()
        generate(store, learners, SEED, bulk=bulk)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        ops = store.conn.execute("SELECT count(*) FROM ops").fetchone()[0]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # MB (Linux gives KiB)
    print(json.dumps({"wall": wall, "cpu": cpu, "ops": ops, "bytes": Path(path).stat().st_size, "peak_mb": peak}))


def dump(path: Path, rows_file: Path) -> None:
    """The schema and every row of a built store, for the baseline (pickled, in a process of its own)."""
    import pickle

    from vsm_desktop.domain import model
    from vsm_desktop.store.store import Store

    with Store.open(path, PASSPHRASE) as store:
        conn = store.conn
        schema = [sql for (sql,) in conn.execute(
            "SELECT sql FROM main.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'learner\\_search\\_%' ESCAPE '\\' ORDER BY rowid")]
        tables = {}
        for name in [*model.ENTITIES, "ops"]:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
            tables[name] = (cols, conn.execute(f"SELECT * FROM {name} ORDER BY rowid").fetchall())
        learners = conn.execute("SELECT count(*) FROM learners").fetchone()[0]
    with rows_file.open("wb") as f:
        pickle.dump({"schema": schema, "tables": tables, "learners": learners}, f)


def baseline(rows_file: Path, target: Path) -> None:
    """The same rows into a plain SQLite file (stdlib sqlite3), one transaction per slice, the
    slices as large as the bulk path's batches (by learners)."""
    from vsm_desktop.demo.generator import bulk_batch

    import pickle

    with rows_file.open("rb") as f:
        data = pickle.load(f)
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA cache_size = -1048576")
    for sql in data["schema"]:
        conn.execute(sql)
    ends, stored = [0], 0
    while stored < data["learners"]:
        stored = min(data["learners"], stored + bulk_batch(stored))
        ends.append(stored)
    cut = [e / max(1, data["learners"]) for e in ends]
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(len(ends) - 1):
        conn.execute("BEGIN IMMEDIATE")
        for name, (cols, rows) in data["tables"].items():
            part = rows[round(len(rows) * cut[n]): round(len(rows) * cut[n + 1])]
            conn.executemany(f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", part)
        conn.execute("COMMIT")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    conn.close()
    print(json.dumps({"wall": wall, "cpu": cpu}))


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--paths", nargs="+", choices=("bulk", "old"), default=["bulk", "old"])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from vsm_desktop.store import contentfile

    results: dict[str, list[dict]] = {p: [] for p in args.paths}
    built = args.out / f"bench-demo-{args.learners}.vsm"
    for run in range(args.runs):
        order = args.paths if run % 2 == 0 else list(reversed(args.paths))
        for path in order:
            target = args.out / f"bench-demo-{args.learners}-{path}.vsm"
            _remove(target)
            got = _child("--one", str(target), str(args.learners), path)
            results[path].append(got)
            print(f"run {run + 1} {path:>4}: {got['wall']:6.1f} s wall, {got['cpu']:6.1f} s CPU, "
                  f"{got['ops']:,} ops, {got['bytes'] / 1e6:,.0f} MB, peak memory {got.get('peak_mb', 0):,.0f} MB",
                  file=sys.stderr)
            if path == "bulk":
                _remove(built)
                target.rename(built)
                for made, final in zip(contentfile.side_files(target), contentfile.side_files(built)):
                    if made.exists():
                        made.rename(final)   # the attachments' content file goes with its store
            else:
                _remove(target)
    summary: dict = {"learners": args.learners, "runs": args.runs, "load": os.getloadavg()[0]}
    for path, runs in results.items():
        summary[path] = {"wall_s": statistics.median(r["wall"] for r in runs),
                         "cpu_s": statistics.median(r["cpu"] for r in runs),
                         "ms_per_learner": 1000 * statistics.median(r["wall"] for r in runs) / max(1, args.learners),
                         "peak_mb": max(r.get("peak_mb", 0) for r in runs)}
    if not args.no_baseline and built.exists():
        rows_file = args.out / f"bench-demo-{args.learners}.rows"
        _child("--dump", str(built), str(rows_file))
        base = []
        for run in range(args.runs):
            plain = args.out / f"bench-demo-{args.learners}-plain.db"
            _remove(plain)
            base.append(_child("--baseline", str(rows_file), str(plain)))
            _remove(plain)
        rows_file.unlink()
        summary["baseline_plain_sqlite_inserts"] = {"wall_s": statistics.median(r["wall"] for r in base),
                                                    "cpu_s": statistics.median(r["cpu"] for r in base)}
    print(json.dumps(summary, indent=1))
    (args.out / "demo-results.json").write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        one(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "bulk")
    elif len(sys.argv) > 1 and sys.argv[1] == "--dump":
        dump(Path(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--baseline":
        baseline(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
