"""Dashboard benchmarks on the demo store of bench_store.py (default: 7,500 learners).

    .venv/bin/python benchmarks/bench_dashboard.py [--learners 7500] [--runs 7] [--first-runs 3] [--cold-file]
        [--code OLD_CHECKOUT]

In one process, medians of: the baseline (a bare SQL count of the reviews, through the same
covering index the figures read); the figures for a school year, whole authority and one
school (`reports.dashboard.compute`, from the summary rows of migration 0012), alternated with
the same figures after a write (`compute_after_write_ms`: a coordinator's quality rating of one
of the year's reviews, its own transaction, then the figures; the write itself is not timed),
with the same figures counted afresh (`compute_fresh_ms`: every kept read dropped, the pages
still in memory: what any write cost before the reads were brought up to date learner by
learner) and with the same figures grouped from the records as before 0012
(`records_compute_ms`: `cohort.load_from_records` and `dashboard.from_facts`), which must be
equal (checked); painting the dashboard page with those figures offscreen at 1366x768 (numbers,
charts and the scroll area's contents); and the monitoring CSV for every learner. Budgets
(issue 7): compute <= 500 ms, paint <= 1 s, CSV <= 5 s. The write leaves one quality rating in
the demo store (the same one each run, rated red or green in turn).

With --code, the same measures run on another checkout's code (`git worktree add DIR COMMIT`),
on the same store, written to dashboard-results-DIRNAME.json: run it and this code in turn for
a before and after on the same machine.

The first compute in a new process (`compute_first_ms`, median of --first-runs processes), and
what it pays on top of a later one (`first_*`), each step timed on its own in another set of
processes, in order: importing the reports, the calendar (machine settings, terms), the
calendar's school days for first-PEP deadlines, reading the pages the figures read from the
encrypted file (SQLCipher decrypts each page once; with --cold-file the file is first dropped
from the OS cache, as after a restart), and the compute left once those are done. Written to
benchmarks/out/dashboard-results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if "--code" in sys.argv:   # bench_store puts VSM_BENCH_CODE first on the path
    os.environ["VSM_BENCH_CODE"] = str(Path(sys.argv[sys.argv.index("--code") + 1]).resolve())
CODE = Path(os.environ.get("VSM_BENCH_CODE") or ROOT)
sys.path.insert(0, str(CODE))

from bench_store import PASSPHRASE, build  # noqa: E402

from vsm_desktop.reports import cohort, monitoring  # noqa: E402
from vsm_desktop.reports.cohort import Period, Scope, load, load_from_records  # noqa: E402
from vsm_desktop.reports.dashboard import attach_funding, compute, from_facts  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402

# Every read the figures keep dropped (older code kept them in `cohort._READS` only).
forget = getattr(cohort, "forget_reads", cohort._READS.clear)


def median_ms(fn, runs: int, cpu: list | None = None) -> float:
    """The median wall time of `runs` calls; each call's CPU time is added to `cpu` when given
    (on a loaded machine the wall time is mostly waiting for a core)."""
    times = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times)


def school_year(today: dt.date) -> Period:
    start_year = today.year if today.month >= 9 else today.year - 1
    return Period(dt.date(start_year - 1, 9, 1), dt.date(start_year, 8, 31))


# The reads of a first compute, step by step (run in a new process by `first_compute`).
FIRST_STEPS = """
import os, sys, time, json, datetime as dt
t0 = time.perf_counter(); c0 = time.process_time()
steps = {}
def step(name):
    global t0, c0
    t, c = time.perf_counter(), time.process_time()
    steps[name] = [(t - t0) * 1000, (c - c0) * 1000]
    t0, c0 = time.perf_counter(), time.process_time()
path, passphrase, detailed, cold = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4] == "1"
if cold:
    fd = os.open(path, os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)
from vsm_desktop.store.store import Store
t0 = time.perf_counter(); c0 = time.process_time()
from vsm_desktop.reports import cohort, dashboard, funding
from vsm_desktop.reports.cohort import Period, Scope
forget = getattr(cohort, "forget_reads", cohort._READS.clear)
step("imports")
store = Store.open(path, passphrase)
step("open")
today = dt.date.today()
y = today.year if today.month >= 9 else today.year - 1
year = Period(dt.date(y - 1, 9, 1), dt.date(y, 8, 31))
if detailed:
    from vsm_desktop.domain.calendar import default_calendar
    cal = default_calendar()
    dashboard.terms_in(year, cal)
    cal.add_school_days(today, 20)
    step("calendar")
    recent = (year.start - dt.timedelta(days=cohort.FIRST_PEP_SPAN_DAYS)).isoformat()
    for (day,) in store.conn.execute("SELECT DISTINCT date_looked_after FROM summary_learners"
                                     " WHERE date_looked_after >= ?", (recent,)):   # the deadlines the figures ask
        cohort._first_pep_due(cal, day)
    step("first_pep_deadlines")
    dashboard.compute(store, year, Scope(), today)   # every page it reads, decrypted once
    forget()
    step("pages_and_compute")
    dashboard.compute(store, year, Scope(), today)
    forget()
    step("compute_again")
else:
    dashboard.compute(store, year, Scope(), today)
    step("first_compute")
print(json.dumps(steps))
"""


def first_compute(encrypted: Path, runs: int, cold: bool) -> dict:
    """Medians over new processes (alternating a plain first compute and the step-by-step one)."""
    import subprocess

    plain, detailed = [], []
    for _ in range(runs):
        for out, flag in ((plain, "0"), (detailed, "1")):
            done = subprocess.run([sys.executable, "-c", FIRST_STEPS, str(encrypted), PASSPHRASE, flag, "1" if cold else "0"],
                                  cwd=CODE, capture_output=True, text=True, check=True)
            out.append(json.loads(done.stdout.strip().splitlines()[-1]))
    result = {"compute_first_ms": statistics.median(r["first_compute"][0] for r in plain),
              "compute_first_cpu_ms": statistics.median(r["first_compute"][1] for r in plain)}
    for name in detailed[0]:
        result[f"first_{name}_ms"] = statistics.median(r[name][0] for r in detailed)
        result[f"first_{name}_cpu_ms"] = statistics.median(r[name][1] for r in detailed)
    # What the first compute reads from the file: the pages and the compute, less a compute on warm pages.
    result["first_pages_ms"] = result["first_pages_and_compute_ms"] - result["first_compute_again_ms"]
    result["first_pages_cpu_ms"] = result["first_pages_and_compute_cpu_ms"] - result["first_compute_again_cpu_ms"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=7500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--first-runs", type=int, default=3, help="new processes for the first compute (0: none)")
    parser.add_argument("--cold-file", action="store_true",
                        help="drop the store file from the OS cache before each first compute (as after a restart)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--code", type=Path, help="measure this checkout's code instead (a before)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    encrypted, _plain = build(args.out, args.learners)
    today = dt.date.today()
    year = school_year(today)
    results: dict = {"learners": args.learners, "runs": args.runs}
    if args.first_runs:
        results.update(first_compute(encrypted, args.first_runs, args.cold_file))

    with Store.open(encrypted, PASSPHRASE) as store:
        d = compute(store, year)
        results["baseline_sql_count_ms"] = median_ms(lambda: store.conn.execute(
            "SELECT count(*), sum(attendance_pct) FROM reviews INDEXED BY reviews_monitoring").fetchone(), args.runs)

        def from_records():
            facts = load_from_records(store, year, Scope(), today)
            return attach_funding(store, from_facts(facts, year, Scope(), today), facts)

        # A quality rating of one of the year's reviews, rated red and green in turn (one row, kept).
        rated = store.conn.execute(
            "SELECT review_id FROM summary_reviews WHERE period_start <= ? AND period_end >= ? AND NOT amended"
            " ORDER BY review_id LIMIT 1", (year.end.isoformat(), year.start.isoformat())).fetchone()[0]
        found = store.conn.execute("SELECT id FROM quality_ratings WHERE review_id = ? AND rated_by = 'Benchmark'"
                                   " ORDER BY id LIMIT 1", (rated,)).fetchone()
        rating = found[0] if found else store.create("quality_ratings", {
            "review_id": rated, "rating": "green", "rated_at": "2026-01-05T10:00:00+00:00", "rated_by": "Benchmark"})
        colours = ["red", "green"]

        def write():
            colours.reverse()
            store.update("quality_ratings", rating, {"rating": colours[0]})

        def fresh():
            forget()   # what any write dropped before
            return compute(store, year)

        write()
        assert from_records() == compute(store, year) == fresh(), "the figures differ from the records'"
        new, written, afresh, old = [], [], [], []
        new_cpu, written_cpu, afresh_cpu, old_cpu = [], [], [], []
        for _ in range(args.runs):   # alternated, so that the machine's load falls on all alike
            new.append(median_ms(lambda: compute(store, year), 1, new_cpu))
            write()
            written.append(median_ms(lambda: compute(store, year), 1, written_cpu))
            afresh.append(median_ms(fresh, 1, afresh_cpu))
            old.append(median_ms(from_records, 1, old_cpu))
        assert compute(store, year) == from_records(), "the figures after writes differ from the records'"
        results["compute_ms"] = statistics.median(new)
        results["compute_cpu_ms"] = statistics.median(new_cpu)
        results["compute_after_write_ms"] = statistics.median(written)
        results["compute_after_write_cpu_ms"] = statistics.median(written_cpu)
        results["compute_fresh_ms"] = statistics.median(afresh)
        results["compute_fresh_cpu_ms"] = statistics.median(afresh_cpu)
        results["records_compute_ms"] = statistics.median(old)
        results["records_compute_cpu_ms"] = statistics.median(old_cpu)
        school = max(d.schools, key=lambda s: s.due.count).school_id

        school_cpu, school_written, school_written_cpu = [], [], []
        results["compute_one_school_ms"] = median_ms(lambda: compute(store, year, Scope(school=school)), args.runs,
                                                     school_cpu)
        results["compute_one_school_cpu_ms"] = statistics.median(school_cpu)
        for _ in range(args.runs):
            write()
            school_written.append(median_ms(lambda: compute(store, year, Scope(school=school)), 1, school_written_cpu))
        results["compute_one_school_after_write_ms"] = statistics.median(school_written)
        results["compute_one_school_after_write_cpu_ms"] = statistics.median(school_written_cpu)
        facts = load(store, year)
        results["csv_ms"] = median_ms(lambda: (monitoring.csv_text(load(store, year), year, today)), max(3, args.runs // 2))
        results["csv_rows"] = len(facts)

    from PySide6.QtWidgets import QApplication

    from vsm_desktop.app.dashboard import DashboardPage
    from vsm_desktop.app.worker import StoreWorker

    app = QApplication.instance() or QApplication([])
    worker = StoreWorker()
    page = DashboardPage(worker)
    page.resize(1366, 768)
    page.show()
    app.processEvents()

    def paint():
        page.dashboard = d
        page._show()
        page.grab()   # lays out and paints the whole page, charts included

    paint()
    results["paint_ms"] = median_ms(paint, args.runs)
    worker.shutdown()

    results["compute_ratio_to_baseline"] = results["compute_ms"] / results["baseline_sql_count_ms"]
    results["compute_after_write_ratio_to_baseline"] = results["compute_after_write_ms"] / results["baseline_sql_count_ms"]
    results["records_ratio_to_baseline"] = results["records_compute_ms"] / results["baseline_sql_count_ms"]
    name = "dashboard-results.json" if args.code is None else f"dashboard-results-{args.code.resolve().name}.json"
    (args.out / name).write_text(json.dumps(results, indent=1))
    for key, value in results.items():
        print(f"  {key:38} {value:10.1f}" if isinstance(value, float) else f"  {key:38} {value:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
