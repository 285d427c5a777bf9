"""Store benchmarks: the encrypted store against the same work on a plain SQLite file.

    .venv/bin/python benchmarks/bench_store.py [--sizes 1100 7500] [--out benchmarks/out]

For each size it builds (once, then reuses) a demo authority in an encrypted store, and a
plain copy of the same file made with `sqlcipher_export` (same SQLite build, same schema,
same pragmas, no key). Then, in one process, the same workload runs on both through the same
`Store` code: unlock, list every learner sorted, 200 full-text searches, 200 full-record loads,
1,000 single-field edits each in its own transaction. Medians (and p95 where it matters) and
encrypted/plain ratios are printed and written to OUT/results.json.

    .venv/bin/python benchmarks/bench_store.py --compare OLD_CHECKOUT [--sizes 1100] [--rounds 3]

compares this code with an older checkout (`git worktree add DIR COMMIT`) on the same demo store:
the older code reads the store as built, this code a copy it migrated (the migration's time is
printed, and both files' sizes). The two run in turn, each in a process of its own, `--rounds`
times; medians of each measure are printed side by side and written to OUT/compare.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

# --compare runs this script over an older checkout's code: VSM_BENCH_CODE names it.
sys.path.insert(0, os.environ.get("VSM_BENCH_CODE") or str(Path(__file__).resolve().parent.parent))

import sqlcipher3  # noqa: E402

from vsm_desktop.demo.generator import generate  # noqa: E402
from vsm_desktop.store import connection, contentfile, migrate  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402

PASSPHRASE = "benchmark store passphrase"
SEED = 7
EDIT_FIELDS = [("reviews", "carer_views"), ("reviews", "wellbeing_notes"), ("reviews", "wellbeing_concern"),
               ("reviews", "sdq_score"), ("learners", "preferred_name")]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def build(out: Path, size: int) -> tuple[Path, Path]:
    encrypted, plain = out / f"demo-{size}.vsm", out / f"demo-{size}-plain.db"
    if not encrypted.exists():
        # Built under another name and renamed when complete: an interrupted build is never reused.
        partial = out / f"demo-{size}.partial"
        for side in [Path(str(partial) + side) for side in ("", "-wal", "-shm")] + contentfile.side_files(partial):
            side.unlink(missing_ok=True)
        start = time.perf_counter()
        with Store.initialise(partial, PASSPHRASE, author="Benchmark") as store:
            summary = generate(store, size, SEED, progress=lambda done, total: print(
                f"\r  generating {done}/{total}", end="", file=sys.stderr))
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        partial.rename(encrypted)
        for built, final in zip(contentfile.side_files(partial), contentfile.side_files(encrypted)):
            if built.exists():
                built.rename(final)   # the attachments' content file goes with its store
        print(f"\n  built {encrypted.name} in {time.perf_counter() - start:.0f} s: {summary}", file=sys.stderr)
        plain.unlink(missing_ok=True)
    with Store.open(encrypted, PASSPHRASE):
        pass  # brings a store built by an earlier version up to the current schema, once
    if not plain.exists():
        with Store.open(encrypted, PASSPHRASE) as store:
            store.conn.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
            store.conn.execute("SELECT sqlcipher_export('plain')")
            version = store.conn.execute("PRAGMA user_version").fetchone()[0]
            store.conn.execute(f"PRAGMA plain.user_version = {version}")
            store.conn.execute("DETACH DATABASE plain")
    return encrypted, plain


def open_plain(path: Path) -> Store:
    """The same Store code over an unencrypted file with the store's other pragmas."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    for pragma in ("temp_store = MEMORY", "foreign_keys = ON", f"cache_size = -{connection.CACHE_KIB}",
                   "synchronous = FULL", "journal_mode = WAL"):
        conn.execute(f"PRAGMA {pragma}")
    migrate.migrate(conn)
    return Store(conn, path)


def workload(store: Store, rng_seed: int) -> dict:
    rng = random.Random(rng_seed)
    results: dict[str, float] = {}
    everyone = store.list_learners()  # warm the page cache as a user's first screen does
    list_times = [timed(store.list_learners) for _ in range(7)]
    results["list_all_sorted_ms"] = statistics.median(list_times)

    words = set()
    for row in everyone:
        words.update([row["legal_forename"], row["legal_surname"], row["reference"]])
        if row["school"]:
            words.add(row["school"].split()[-1])
    words = sorted(words)
    queries = []
    for _ in range(200):
        word = rng.choice(words)
        queries.append(word[: rng.randint(3, max(3, len(word)))].lower())
    # The full-text search itself (what the app's search box runs), then the same queries with
    # the list's summaries (due dates, school, rating) built for every match, as `learners --search` does.
    search_times = [timed(lambda q=q: store.search_ids(q)) for q in queries]
    results["search_p50_ms"] = percentile(search_times, 50)
    results["search_p95_ms"] = percentile(search_times, 95)
    listed_times = [timed(lambda q=q: store.list_learners(q)) for q in queries]
    results["search_listed_p50_ms"] = percentile(listed_times, 50)
    results["search_listed_p95_ms"] = percentile(listed_times, 95)

    ids = [row["id"] for row in everyone]
    sample = [rng.choice(ids) for _ in range(200)]
    load_times = [timed(lambda i=i: store.learner_record(i)) for i in sample]
    results["load_record_p50_ms"] = percentile(load_times, 50)
    results["load_record_p95_ms"] = percentile(load_times, 95)

    drafts = [r[0] for r in store.conn.execute("SELECT id FROM reviews WHERE status = 'draft' ORDER BY id")]
    edit_times = []
    for k in range(1000):
        entity, field = EDIT_FIELDS[k % len(EDIT_FIELDS)]
        record = rng.choice(drafts if entity == "reviews" else ids)
        value = {"wellbeing_concern": k % 2 == 0, "sdq_score": rng.randint(0, 40)}.get(field, f"Benchmark edit {k}")
        edit_times.append(timed(lambda: store.set_field(entity, record, field, value)))
    results["edit_p50_ms"] = statistics.median(edit_times)
    results["edits_1000_total_ms"] = sum(edit_times)
    return results


def bench_size(out: Path, size: int) -> dict:
    encrypted, plain = build(out, size)
    # Edits change the files: run on copies so every run starts from the same data.
    work_enc, work_plain = out / f"run-{size}.vsm", out / f"run-{size}-plain.db"
    for src, dst in ((encrypted, work_enc), (plain, work_plain)):
        for side in ("-wal", "-shm"):
            Path(str(dst) + side).unlink(missing_ok=True)
        shutil.copyfile(src, dst)

    unlock = []
    for _ in range(5):
        start = time.perf_counter()
        store = Store.open(work_enc, PASSPHRASE)
        store.conn.execute("SELECT count(*) FROM learners").fetchone()
        unlock.append((time.perf_counter() - start) * 1000)
        store.close()
    plain_open = []
    for _ in range(5):
        start = time.perf_counter()
        store = open_plain(work_plain)
        store.conn.execute("SELECT count(*) FROM learners").fetchone()
        plain_open.append((time.perf_counter() - start) * 1000)
        store.close()

    with Store.open(work_enc, PASSPHRASE) as store:
        enc = workload(store, 1)
        counts = store.counts()
    with open_plain(work_plain) as store:
        pln = workload(store, 1)
    enc["unlock_ms"], pln["unlock_ms"] = statistics.median(unlock), statistics.median(plain_open)
    read_keys = ["list_all_sorted_ms", "search_p50_ms", "search_listed_p50_ms", "load_record_p50_ms"]
    ratios = {k: enc[k] / pln[k] for k in enc if pln.get(k)}
    return {
        "learners": size, "reviews": counts["reviews"], "ops": counts["ops"],
        "file_mb": round(encrypted.stat().st_size / 1e6, 1),
        "encrypted": enc, "plain": pln, "ratio": ratios,
        "read_ratio": statistics.median([ratios[k] for k in read_keys]),
        "write_ratio": ratios["edits_1000_total_ms"],
    }


def run_workload(path: Path) -> dict:
    """One process's measures on a copy of the store at `path` (the code is whatever imports here)."""
    work = path.with_name(path.name + ".run")
    for side in ("-wal", "-shm"):
        Path(str(work) + side).unlink(missing_ok=True)
    shutil.copyfile(path, work)
    content = contentfile.path_for(path)
    if content.exists():
        shutil.copyfile(content, contentfile.path_for(work))
    unlock = []
    for _ in range(3):
        start = time.perf_counter()
        store = Store.open(work, PASSPHRASE)
        store.conn.execute("SELECT count(*) FROM learners").fetchone()
        unlock.append((time.perf_counter() - start) * 1000)
        store.close()
    with Store.open(work, PASSPHRASE) as store:
        out = workload(store, 1)
        # The history of 50 learners (the learner page's history view) and a whole export.
        ids = [r[0] for r in store.conn.execute("SELECT id FROM learners ORDER BY id LIMIT 50")]
        out["history_50_ms"] = timed(lambda: [store.audit(i) for i in ids])
        from vsm_desktop.store import export
        out["export_all_ms"] = timed(lambda: export.export_all(store))
    out["unlock_ms"] = statistics.median(unlock)
    out["file_mb"] = round(path.stat().st_size / 1e6, 1)
    return out


def compare(args) -> int:
    """This code against an older checkout, on the same store, in turn."""
    here = Path(__file__).resolve()
    report = []
    for size in args.sizes:
        old_store = args.out / f"demo-{size}.vsm"
        if not old_store.exists():
            print(f"{old_store} is missing: build it with the older code first", file=sys.stderr)
            return 2
        new_store = args.out / f"compare-{size}.vsm"
        for src, dst in ((old_store, new_store), (contentfile.path_for(old_store), contentfile.path_for(new_store))):
            shutil.copyfile(src, dst)
        start = time.perf_counter()
        with Store.open(new_store, PASSPHRASE):
            pass
        migrated_s = time.perf_counter() - start
        runs: dict[str, list[dict]] = {"old": [], "new": []}
        for n in range(args.rounds):
            for label, code, path in (("old", args.compare, old_store), ("new", here.parent.parent, new_store)):
                env = dict(os.environ, VSM_BENCH_CODE=str(code))
                done = subprocess.run([sys.executable, str(here), "--workload", str(path)], env=env, check=True,
                                      capture_output=True, text=True, cwd=str(code))
                runs[label].append(json.loads(done.stdout.strip().splitlines()[-1]))
                print(f"  {size}: round {n + 1} {label} done", file=sys.stderr)
        medians = {label: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for label, rs in runs.items()}
        report.append({"learners": size, "migration_s": round(migrated_s, 1), **medians})
        print(f"\n{size} learners: {medians['old']['file_mb']} MB before, {medians['new']['file_mb']} MB after "
              f"(migration {migrated_s:.1f} s); medians of {args.rounds} runs each, in turn")
        print(f"  {'measure':24} {'before':>10} {'after':>10} {'ratio':>6}")
        for key, before in medians["old"].items():
            after = medians["new"][key]
            print(f"  {key:24} {before:10.2f} {after:10.2f} {after / before if before else float('nan'):6.2f}")
    (args.out / "compare.json").write_text(json.dumps(report, indent=1))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1100, 7500])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    parser.add_argument("--compare", type=Path, help="an older checkout to compare with (see above)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workload", type=Path, help=argparse.SUPPRESS)   # one run, for --compare
    args = parser.parse_args()
    if args.workload:
        print(json.dumps(run_workload(args.workload)))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    if args.compare:
        return compare(args)
    report = []
    for size in args.sizes:
        result = bench_size(args.out, size)
        report.append(result)
        print(f"\n{size} learners ({result['reviews']} reviews, {result['ops']} change-log rows, {result['file_mb']} MB)")
        print(f"  {'measure':24} {'encrypted':>10} {'plain':>10} {'ratio':>6}")
        for key, value in result["encrypted"].items():
            plain = result["plain"][key]
            print(f"  {key:24} {value:10.2f} {plain:10.2f} {value / plain if plain else float('nan'):6.2f}")
        print(f"  read ratio (median of list/search/load): {result['read_ratio']:.2f}; write ratio: {result['write_ratio']:.2f}")
    (args.out / "results.json").write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
