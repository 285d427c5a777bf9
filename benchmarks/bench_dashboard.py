"""Dashboard benchmarks on the demo store of bench_store.py (default: 7,500 learners).

    .venv/bin/python benchmarks/bench_dashboard.py [--learners 7500] [--runs 7]

In one process, medians of: the baseline (a bare SQL count of the reviews, through the same
covering index the figures read); the figures for a school year, whole authority and one
school (`reports.dashboard.compute`, from the summary rows of migration 0012), and, alternated
with it, the same figures grouped from the records as before 0012 (`records_compute_ms`:
`cohort.load_from_records` and `dashboard.from_facts`); painting the dashboard page with those figures
offscreen at 1366x768 (numbers, charts and the scroll area's contents); and the monitoring
CSV for every learner. Budgets (issue 7): compute <= 500 ms, paint <= 1 s, CSV <= 5 s.
Written to benchmarks/out/dashboard-results.json.
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
sys.path.insert(0, str(ROOT))

from bench_store import PASSPHRASE, build  # noqa: E402

from vsm_desktop.reports import monitoring  # noqa: E402
from vsm_desktop.reports.cohort import Period, Scope, load, load_from_records  # noqa: E402
from vsm_desktop.reports.dashboard import attach_funding, compute, from_facts  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=7500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    encrypted, _plain = build(args.out, args.learners)
    today = dt.date.today()
    start_year = today.year if today.month >= 9 else today.year - 1
    year = Period(dt.date(start_year - 1, 9, 1), dt.date(start_year, 8, 31))
    results: dict = {"learners": args.learners, "runs": args.runs}

    with Store.open(encrypted, PASSPHRASE) as store:
        first = time.perf_counter()
        d = compute(store, year)   # the first, from a cold file
        results["compute_first_ms"] = (time.perf_counter() - first) * 1000
        results["baseline_sql_count_ms"] = median_ms(lambda: store.conn.execute(
            "SELECT count(*), sum(attendance_pct) FROM reviews INDEXED BY reviews_monitoring").fetchone(), args.runs)
        def from_records():
            facts = load_from_records(store, year, Scope(), today)
            return attach_funding(store, from_facts(facts, year, Scope(), today), facts)

        new, old = [], []
        for _ in range(args.runs):   # alternated, so that the machine's load falls on both alike
            new.append(median_ms(lambda: compute(store, year), 1))
            old.append(median_ms(from_records, 1))
        results["compute_ms"] = statistics.median(new)
        results["records_compute_ms"] = statistics.median(old)
        school = max(d.schools, key=lambda s: s.due.count).school_id
        results["compute_one_school_ms"] = median_ms(lambda: compute(store, year, Scope(school=school)), args.runs)
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
    results["records_ratio_to_baseline"] = results["records_compute_ms"] / results["baseline_sql_count_ms"]
    (args.out / "dashboard-results.json").write_text(json.dumps(results, indent=1))
    for key, value in results.items():
        print(f"  {key:28} {value:10.1f}" if isinstance(value, float) else f"  {key:28} {value:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
