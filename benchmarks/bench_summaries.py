"""What the dashboard's summary rows (migration 0012) cost the writes that keep them.

    .venv/bin/python benchmarks/bench_summaries.py [--learners 7500] [--edits 200] [--demo 150] [--runs 3]

In one process, on the store of bench_store.py and on a copy of it without the summaries'
triggers (the baseline), alternated: medians of single edits through `Store.update` /
`Store.create`, each in its own transaction as the editor makes them (the summaries' triggers
fire for the fields they read: a concern for well-being, the meeting date, a quality rating, an
intervention), and
the statement alone inside a transaction rolled back (the triggers' own cost, no commit). Then
the demo generator filling a new store of `--demo` learners, with and without the triggers.
Written to benchmarks/out/summaries-results.json.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_store import PASSPHRASE, build  # noqa: E402

from vsm_desktop.demo.generator import generate  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402


class RolledBack(Exception):
    pass


def drop_triggers(store: Store) -> None:
    with store.transaction():
        for (name,) in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                          " AND name LIKE 'summary_%'").fetchall():
            store.conn.execute(f"DROP TRIGGER {name}")


def edits(store: Store, rng: random.Random, n: int) -> list:
    drafts = [r for (r,) in store.conn.execute("SELECT id FROM reviews WHERE status = 'draft' ORDER BY id")]
    out = []
    for i in range(n):
        rid = rng.choice(drafts)
        out.append([("update", "reviews", rid, {"wellbeing_concern": rng.random() < 0.5}),
                    ("update", "reviews", rid, {"meeting_date": f"2026-10-{rng.randint(1, 28):02d}"}),
                    ("create", "quality_ratings", None, {"review_id": rid, "rating": rng.choice(["red", "amber", "green"]),
                                                         "rated_at": "2026-11-02T10:00:00+00:00"}),
                    ("create", "interventions", None, {"review_id": rid, "kind": "tutoring", "cost_pence": 4000,
                                                       "funding": "pdg_cla"})][i % 4])
    return out


def apply(store: Store, edit) -> None:
    verb, entity, rid, values = edit
    if verb == "update":
        store.update(entity, rid, values)
    else:
        store.create(entity, values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=7500)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--demo", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    encrypted, _plain = build(args.out, args.learners)
    results: dict = {"learners": args.learners, "edits": args.edits, "demo_learners": args.demo}
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        with_path, without_path = Path(tmp) / "with.vsm", Path(tmp) / "without.vsm"
        shutil.copy(encrypted, with_path)
        shutil.copy(encrypted, without_path)
        stores = {"with": Store.open(with_path, PASSPHRASE), "without": Store.open(without_path, PASSPHRASE)}
        drop_triggers(stores["without"])
        plan = edits(stores["with"], random.Random(7), args.edits)
        committed = {k: [] for k in stores}
        alone = {k: [] for k in stores}
        for edit in plan:   # alternated, so that the machine's load falls on both alike
            for key, store in stores.items():
                start = time.perf_counter()
                with store.transaction():
                    apply(store, edit)
                committed[key].append((time.perf_counter() - start) * 1000)
                try:
                    with store.transaction():
                        start = time.perf_counter()
                        apply(store, edit)
                        alone[key].append((time.perf_counter() - start) * 1000)
                        raise RolledBack
                except RolledBack:
                    pass
        for key, store in stores.items():
            results[f"edit_committed_{key}_triggers_ms"] = statistics.median(committed[key])
            results[f"edit_statement_{key}_triggers_ms"] = statistics.median(alone[key])
            store.close()

        demo = {"with": [], "without": []}
        for run in range(args.runs):
            for key in demo:
                path = Path(tmp) / f"demo-{key}-{run}.vsm"
                with Store.initialise(path, PASSPHRASE, author="Benchmark") as store:
                    if key == "without":
                        drop_triggers(store)
                    start = time.perf_counter()
                    generate(store, args.demo, 7)
                    demo[key].append(time.perf_counter() - start)
        for key, times in demo.items():
            results[f"demo_{key}_triggers_s"] = statistics.median(times)
    results["edit_statement_added_ms"] = (results["edit_statement_with_triggers_ms"]
                                          - results["edit_statement_without_triggers_ms"])
    results["demo_ratio"] = results["demo_with_triggers_s"] / results["demo_without_triggers_s"]
    (args.out / "summaries-results.json").write_text(json.dumps(results, indent=1))
    for key, value in results.items():
        print(f"  {key:36} {value:10.3f}" if isinstance(value, float) else f"  {key:36} {value:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
