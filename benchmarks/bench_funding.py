"""PDG-CLA funding figures on a demo authority with a request in every learner's latest review.

    .venv/bin/python benchmarks/bench_funding.py [--learners 1100] [--runs 7]

In one process, medians of: the baseline (bare SQL sums of requested, approved and spent over
the same tables); the figures the dashboard and the report show (`reports.funding.compute`:
by school and kind, each request's school found from the enrolments); and one coordinator's
decision with its allocation check (`domain.funding.decide`, rolled back each time).
Written to benchmarks/out/funding-results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vsm_desktop.demo.generator import generate  # noqa: E402
from vsm_desktop.domain import funding  # noqa: E402
from vsm_desktop.reports import funding as figures  # noqa: E402
from vsm_desktop.reports.cohort import Period  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402

PASSPHRASE = "benchmark passphrase words"
KINDS = list(funding.model.ENUMS["funding_kind"])


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def fill(store: Store, today: dt.date) -> int:
    rng = random.Random(17)
    year = funding.financial_year(today)
    funding.set_allocation(store, year, 150_000_000)
    reviews = store.conn.execute("SELECT id FROM reviews WHERE id IN (SELECT max(id) FROM reviews GROUP BY learner_id)").fetchall()
    with store.transaction():
        for (rid,) in reviews:
            amount = rng.randrange(50, 2_000) * 100
            request = funding.request_funding(store, rid, amount_pence=amount, kind=rng.choice(KINDS),
                                              purpose="Synthetic", start_date=today.isoformat())
            if rng.random() < 0.7:
                funding.decide(store, request, "approve", reason="Synthetic", amount_pence=amount - rng.randrange(0, 50) * 100 or amount)
                funding.record_spend(store, request, amount_pence=rng.randrange(1, amount), spent_on=today.isoformat())
    return len(reviews)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1100)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    today = dt.date.today()
    period = Period(today - dt.timedelta(days=180), today + dt.timedelta(days=180))
    with tempfile.TemporaryDirectory() as tmp:
        with Store.initialise(Path(tmp) / "bench.vsm", PASSPHRASE, author="Bench", role="coordinator") as store:
            generate(store, args.learners, seed=7)
            requests = fill(store, today)

            def baseline():
                store.conn.execute(
                    "SELECT sum(amount_pence), sum(CASE WHEN status = 'approved' THEN approved_pence END),"
                    " (SELECT sum(amount_pence) FROM funding_spend WHERE coalesce(deleted, 0) = 0)"
                    " FROM funding_requests WHERE coalesce(deleted, 0) = 0").fetchone()

            some = store.conn.execute("SELECT id FROM funding_requests WHERE status = 'requested' LIMIT 1").fetchone()[0]

            def decide():
                store.conn.execute("SAVEPOINT bench")
                store._depth = 1   # inside our savepoint: the store's own transaction nests
                try:
                    funding.decide(store, some, "approve", reason="Bench")
                finally:
                    store._depth = 0
                    store.conn.execute("ROLLBACK TO bench")
                    store.conn.execute("RELEASE bench")

            results = {
                "learners": args.learners, "requests": requests, "runs": args.runs,
                "baseline_sql_ms": median_ms(baseline, args.runs),
                "figures_ms": median_ms(lambda: figures.compute(store, period), args.runs),
                "decide_ms": median_ms(decide, args.runs),
            }
    results["figures_vs_baseline"] = results["figures_ms"] / max(results["baseline_sql_ms"], 1e-6)
    for key, value in results.items():
        print(f"{key}: {value:.1f}" if isinstance(value, float) else f"{key}: {value}")
    (args.out / "funding-results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
