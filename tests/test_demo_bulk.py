"""The demo's bulk write path (store/bulk.py) against the one-at-a-time path (`Store.create`):
the same generated authority gives the same store (records, summaries, search, change log apart
from its stamps), the same rules refuse the same records with the same errors, and a crash or a
cancel leaves whole batches only, in a store that opens and checks clean."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from vsm_desktop.demo import generator
from vsm_desktop.demo.generator import generate
from vsm_desktop.domain.model import ImmutableError, ValidationError
from vsm_desktop.errors import Interrupted, Refused
from vsm_desktop.store.bulk import BulkWriter
from vsm_desktop.store import oplog
from vsm_desktop.store.check import check_store
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, REPO, add_learner, cli_env

TODAY = dt.date(2025, 11, 18)
STAMP_COLUMNS = ("hlc", "prev_hlc")


def _content(store: Store) -> dict:
    """Every table's rows (the search index by its columns); the change log as the export reads
    it, its stamps (which name the device) replaced by their rank among the store's stamps."""
    conn = store.conn
    ranks = {hlc: n for n, (hlc,) in enumerate(conn.execute("SELECT hlc FROM ops ORDER BY hlc"))}
    out = {}
    tables = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE"
                          " 'sqlite_%' AND name NOT LIKE 'learner\\_search\\_%' ESCAPE '\\'").fetchall()
    for name, sql in tables:
        if name == "meta":
            continue   # the store's own device id, key and when it was made
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
        rowid = "" if "WITHOUT ROWID" in (sql or "").upper() else "rowid, "
        rows = conn.execute(f"SELECT {rowid}* FROM {name}").fetchall()
        if name == "ops":   # as the export reads it: how a creation is kept (whole, or over its record) may differ
            rows = [tuple((k, ranks.get(oplog.stamp_key(v), v) if k in STAMP_COLUMNS else json.dumps(v, sort_keys=True))
                          for k, v in op.items() if k != "device_id") for op in oplog.read(conn)]
        out[name] = sorted(rows, key=repr)
    return out


def _build(tmp_path, name: str, learners: int, seed: int, today: dt.date, bulk: bool, again: int = 0) -> Store:
    store = Store.initialise(tmp_path / f"{name}.vsm", PASSPHRASE, author="Gwen Roberts", role="coordinator")
    generate(store, learners, seed, today=today, bulk=bulk)
    if again:
        generate(store, again, seed, today=today, bulk=bulk)   # a second run on a store that has learners
    return store


def _difference(expected: dict, got: dict) -> str:
    for name in expected:
        if expected[name] != got.get(name):
            missing = [r for r in expected[name] if r not in got.get(name, [])][:2]
            extra = [r for r in got.get(name, []) if r not in expected[name]][:2]
            return f"{name}: {len(expected[name])} rows against {len(got.get(name, []))}; missing {missing}; extra {extra}"
    return ""


@settings(max_examples=int(os.environ.get("VSM_DEMO_BULK_EXAMPLES", 6)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(learners=st.integers(1, 25), seed=st.integers(0, 10_000), again=st.sampled_from([0, 0, 7]),
       today=st.sampled_from([TODAY, dt.date(2025, 8, 11), dt.date(2026, 3, 2)]),
       batch=st.sampled_from([1, 7, 100]))
@example(learners=25, seed=7, again=7, today=TODAY, batch=7)   # every kind of record, two runs
def test_bulk_and_one_at_a_time_give_the_same_store(tmp_path_factory, learners, seed, again, today, batch):
    tmp_path = tmp_path_factory.mktemp("same")
    old_batch = generator.BULK_BATCH
    generator.BULK_BATCH = batch   # any split into transactions gives the same store
    try:
        one = _build(tmp_path, "one", learners, seed, today, bulk=False, again=again)
        bulk = _build(tmp_path, "bulk", learners, seed, today, bulk=True, again=again)
    finally:
        generator.BULK_BATCH = old_batch
    try:
        expected, got = _content(one), _content(bulk)
        assert len(got["ops"]) > 10 * learners and got["learners"]
        if learners >= 25:   # the explicit example: funding too (requests, their targets, spend)
            assert got["funding_requests"] and got["funding_targets"] and got["funding_spend"]
        assert not _difference(expected, got), _difference(expected, got)
        assert got == expected
        assert check_store(bulk) == []
        # Every operation is the profile's, on this device, and stamped in the order it was made.
        assert {(op["author"], op["device_id"]) for op in oplog.read(bulk.conn)} == {("Gwen Roberts", bulk.device_id)}
        seqs = [seq for (seq,) in bulk.conn.execute("SELECT seq FROM ops ORDER BY hlc")]
        assert seqs == sorted(seqs)
    finally:
        one.close()
        bulk.close()


def test_the_bulk_path_is_the_default_and_stamps_after_what_is_there(tmp_path):
    store = Store.initialise(tmp_path / "d.vsm", PASSPHRASE, author="Gwen Roberts", role="coordinator")
    with store:
        learner = add_learner(store)
        before = store.conn.execute("SELECT max(hlc) FROM ops").fetchone()[0]
        summary = generate(store, 30, seed=3, today=TODAY)
        assert summary["learners"] == 30 and summary["first_reference"] == "L000002"
        first_demo = store.conn.execute("SELECT min(hlc) FROM ops WHERE record_id != ?", (oplog.id_key(learner),)).fetchone()[0]
        assert first_demo > before
        assert check_store(store) == []
        # The search index knows the new learners and their schools.
        lr = store.all_rows("learners", "WHERE reference = 'L000010'")[0]
        found = store.list_learners(search=lr["legal_surname"], today=TODAY)
        assert lr["id"] in {r["id"] for r in found}
        school = next(r["school"] for r in found if r["id"] == lr["id"])
        assert school and store.search_ids(school.split()[0]) >= {lr["id"]}


def _refusal(call) -> tuple[type, str]:
    with pytest.raises((Refused, ImmutableError, ValidationError)) as caught:
        call()
    return type(caught.value), str(caught.value)


def test_a_refused_record_raises_the_same_error_and_saves_nothing_of_its_batch(tmp_path):
    """The rules are the store's: a post-16 list on a nine-year-old's review, a target added to a
    finalised review, a value the model refuses, a child of no review."""
    store = Store.initialise(tmp_path / "r.vsm", PASSPHRASE, author="Gwen Roberts", role="coordinator")
    with store:
        writer = BulkWriter(store)
        review = {"review_type": "termly", "status": "draft", "period_start": "2025-09-03", "period_end": "2025-12-19",
                  "due_date": "2025-12-19", "meeting_date": "2025-11-03"}
        qualification = {"title": "GCSE Maths", "level": "level2", "status": "studying"}
        target = {"description": "Read every day", "description_lang": "en"}

        def attempts(out, learner_id):
            draft = out.create("reviews", review | {"learner_id": learner_id})
            done = out.create("reviews", review | {"learner_id": learner_id, "period_start": "2025-04-22",
                                                   "period_end": "2025-07-21", "meeting_date": "2025-06-02"})
            out.finalise_review(done, dt.datetime(2025, 6, 2, 12, tzinfo=dt.timezone.utc))
            return [
                lambda: out.create("qualifications", qualification | {"review_id": draft}),
                lambda: out.create("reviews", review | {"learner_id": learner_id, "course_title": "Plumbing",
                                                        "course_title_lang": "en"}),
                lambda: out.create("targets", target | {"review_id": done}),
                lambda: out.finalise_review(done),
                lambda: out.create("targets", target | {"review_id": "0" * 32}),
                lambda: out.create("targets", {"review_id": draft, "description": 12}),
                lambda: out.create("learners", {"legal_forename": "Siân"}),
            ]

        with store.transaction():
            expected = [_refusal(call) for call in attempts(store, add_learner(store))]
        assert {kind for kind, _text in expected} == {Refused, ImmutableError, ValidationError}
        assert "is not part of this PEP review" in expected[0][1] and "finalised" in expected[2][1]
        counts = store.counts()
        with writer.batch():
            learner = writer.create("learners", {"reference": "L000002", "legal_forename": "Llŷr",
                                                 "legal_surname": "Prosser", "date_of_birth": "2016-05-04",
                                                 "legal_status": "care_order", "date_looked_after": "2024-02-01"})
            got = [_refusal(call) for call in attempts(writer, learner)]
        assert got == expected
        after = store.counts()   # the batch was written, with nothing refused in it
        assert (after["learners"], after["reviews"], after["qualifications"], after["targets"]) == (
            counts["learners"] + 1, counts["reviews"] + 2, counts["qualifications"], counts["targets"])
        with pytest.raises(Refused):
            with writer.batch():
                learner = writer.create("learners", {"reference": "L000003", "legal_forename": "Ffion",
                                                     "legal_surname": "Prosser", "date_of_birth": "2016-05-04",
                                                     "legal_status": "care_order", "date_looked_after": "2024-02-01"})
                attempts(writer, learner)[0]()
        assert store.all_rows("learners", "WHERE reference = 'L000003'") == []   # the whole batch, not part of it
        assert check_store(store) == []


def test_a_batch_that_fails_in_the_background_is_told_and_leaves_nothing(tmp_path):
    """An id made twice fails at the insert, as `Store.create` fails; the error comes back to the
    caller (at the next batch or `wait()`), and nothing of its batch is in the store."""
    store = Store.initialise(tmp_path / "f.vsm", PASSPHRASE, author="Gwen Roberts", role="coordinator")
    values = {"legal_forename": "Llŷr", "legal_surname": "Prosser", "date_of_birth": "2016-05-04",
              "legal_status": "care_order", "date_looked_after": "2024-02-01"}
    told = []
    with store:
        first = add_learner(store)
        with pytest.raises(Exception) as expected, store.transaction():
            store.create("learners", values | {"reference": "L000009"}, record_id=first)
        writer = BulkWriter(store, background=True)
        with writer.batch(lambda: told.append("one")):
            writer.create("learners", values | {"reference": "L000002"})
        with writer.batch(lambda: told.append("two")):
            writer.create("learners", values | {"reference": "L000003"})
            writer.create("learners", values | {"reference": "L000004"}, record_id=first)
        with pytest.raises(type(expected.value)) as got:
            writer.wait()
        assert str(got.value) == str(expected.value) and told == ["one"]
        assert sorted(r["reference"] for r in store.all_rows("learners")) == ["L000001", "L000002"]
        assert check_store(store) == []


def test_cancel_keeps_whole_batches_and_progress_counts_them(tmp_path):
    store = Store.initialise(tmp_path / "c.vsm", PASSPHRASE, author="Gwen Roberts", role="coordinator")
    calls = []

    def progress(done, total):
        calls.append((done, total))
        if len(calls) == 2:
            raise KeyboardInterrupt   # Ctrl-C in `vsm-desktop demo`

    with store:
        with pytest.raises(KeyboardInterrupt):
            generate(store, 2 * generator.BULK_BATCH + 10, seed=5, today=TODAY, progress=progress)
        assert calls == [(generator.BULK_BATCH, 2 * generator.BULK_BATCH + 10),
                         (2 * generator.BULK_BATCH, 2 * generator.BULK_BATCH + 10)]
        assert store.counts()["learners"] == 2 * generator.BULK_BATCH
        assert check_store(store) == []


CRASH_WORKER = """
import sys
from vsm_desktop.demo.generator import generate
from vsm_desktop.store.store import Store
store = Store.initialise(sys.argv[1], sys.argv[2], author="Gwen Roberts", role="coordinator")
generate(store, 10_000, seed=9, progress=lambda done, total: print(done, flush=True))
"""


def test_a_crash_mid_build_leaves_whole_batches_in_a_store_that_opens(tmp_path):
    path = tmp_path / "crash.vsm"
    worker = subprocess.Popen([sys.executable, "-c", CRASH_WORKER, str(path), PASSPHRASE], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    try:
        reported = [int(worker.stdout.readline()) for _n in range(2)]
        worker.send_signal(signal.SIGKILL)   # mid-way through a batch
    finally:
        worker.wait(timeout=60)
        worker.stdout.close()
    with Store.open(path, PASSPHRASE) as store:
        learners = store.counts()["learners"]
        ends, stored = [], 0
        while stored < learners:
            stored += generator.bulk_batch(stored)
            ends.append(stored)
        assert learners >= reported[-1] and learners in ends and reported == ends[:2]
        assert check_store(store) == []
        refs = [r for (r,) in store.conn.execute("SELECT reference FROM learners ORDER BY reference")]
        assert refs == [f"L{n:06d}" for n in range(1, learners + 1)]
        assert json.loads(store.conn.execute("SELECT json_group_array(DISTINCT author) FROM ops").fetchone()[0]) \
            == ["Gwen Roberts"]


def test_ctrl_c_in_the_demo_command_keeps_whole_batches(tmp_path):
    """`vsm-desktop demo` interrupted once a batch is in: the usual message and exit code, and a
    store that opens and checks clean with whole batches of learners."""
    path = tmp_path / "cli.vsm"
    # Far more than it makes before the interrupt: under a loaded machine 5,000 were all made
    # before this test saw the first batch in.
    wanted = 50_000
    command = subprocess.Popen([sys.executable, "-m", "vsm_desktop", "demo", "--store", str(path), "--learners",
                                str(wanted), "--seed", "3"], cwd=REPO, env=cli_env(), stderr=subprocess.PIPE, text=True)
    seen, batch_seen = None, False
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and command.poll() is None:
            time.sleep(0.3)
            try:
                with Store.open(path, PASSPHRASE, read_only=True) as store:
                    if store.counts()["learners"]:
                        batch_seen = True
                        break
            except Exception as e:   # not made yet, or being made
                seen = e
                continue
        command.send_signal(signal.SIGINT)
        try:
            _out, err = command.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the demo did not stop within 120 s of Ctrl-C (a batch seen: {batch_seen}; "
                        f"the last open of the store said: {seen!r})")
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()
    assert command.returncode == Interrupted.exit_code, (err, batch_seen, seen)
    assert "Interrupted" in err
    with Store.open(path, PASSPHRASE) as store:
        learners = store.counts()["learners"]
        ends, stored = [], 0
        while stored < wanted:
            stored += generator.bulk_batch(stored)
            ends.append(stored)
        assert learners in ends
        assert check_store(store) == []
