"""The server's log (`ops`) since schema 5: every query that reads it uses an index (no index by
record any more; on SQLite `seq` is the row id), and a schema-4 database upgrades with its log
unchanged, still served to a new device."""

from __future__ import annotations

import threading
import time
import types

import pytest
from sqlalchemy import event, inspect, select, text

from vsm_server import db as sdb, service

from conftest import add_learner, add_review
from sync_support import ThreadServer, backend_url, device, server_ops, snapshot, sqlite_url


def _two_devices_and_reviews(tmp_path, server):
    """Two coordinators' devices that both have three learners and their reviews."""
    a = device(tmp_path, server, "ana", "coordinator")
    b = device(tmp_path, server, "bryn", "coordinator")
    learners = [add_learner(a.store, f"L{n:06d}") for n in range(3)]
    reviews = [add_review(a.store, learner, meeting_date="2026-11-02") for learner in learners]
    a.sync()
    b.sync()
    return a, b, learners, reviews


def test_every_query_of_the_log_uses_an_index(tmp_path):
    server = ThreadServer(sqlite_url(tmp_path / "server.db"))
    seen: list[tuple[str, object]] = []

    @event.listens_for(server.engine, "before_cursor_execute")
    def _capture(conn, cursor, statement, parameters, context, executemany):
        if not executemany and statement.lstrip().upper().startswith("SELECT") and " ops" in statement:
            seen.append((statement, parameters))

    try:
        a, b, learners, reviews = _two_devices_and_reviews(tmp_path, server)
        b.store.set_field("reviews", reviews[0], "strengths", "Darllen yn dda")
        b.sync()
        a.store.finalise_review(reviews[0])  # without Bryn's change: held, asked by learner from the cursor
        a.store.finalise_review(reviews[1])
        assert a.sync().held >= 1
        c = device(tmp_path, server, "cai", "social_worker")
        server.assign("cai", learners[2])
        assert c.sync().pulled > 0  # a pull within a caseload
        with server.engine.connect() as conn:  # a batch merged while another committed
            service._touched(conn, 0, 5, types.SimpleNamespace(read_ids=set(learners) | set(reviews)))
        for d in (a, b, c):
            d.close()
        statements = {s for s, _p in seen}
        assert any("learner_id IN" in s and "seq >" in s and "DISTINCT" in s for s in statements)  # the stale check
        with server.engine.connect() as conn:
            for statement, parameters in seen:
                plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
                scans = [step for step in plan if step.startswith("SCAN ops")]
                assert not scans, (statement, plan)
    finally:
        server.stop()


def _copy(source, target) -> None:
    """Every row of every table but the schema's version, as stored."""
    with source.connect() as src, target.begin() as dst:
        for table in sdb.metadata.sorted_tables:
            if table.name == "schema_version":
                continue
            rows = [dict(r._mapping) for r in src.execute(select(table))]
            if table.name == "counters":
                dst.execute(table.delete())
            if rows:
                dst.execute(table.insert(), rows)
        if dst.dialect.name == "postgresql":  # ids given, so the sequence did not move
            dst.execute(text("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))"))


def _indexes(engine) -> set[str]:
    """The log's indexes but the one of its unique stamps (PostgreSQL lists that one too)."""
    return {i["name"] for i in inspect(engine).get_indexes("ops") if not i.get("unique")}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_schema_4_log_upgrades_unchanged_and_is_served(tmp_path, backend):
    server = ThreadServer(backend_url(backend, tmp_path, "log_now"))
    try:
        a, b, learners, reviews = _two_devices_and_reviews(tmp_path, server)
        b.store.set_field("reviews", reviews[0], "strengths", "Darllen yn dda")
        a.store.finalise_review(reviews[1])
        a.sync()
        b.sync()
        a.sync()
        with server.engine.connect() as conn:
            log = conn.execute(select(sdb.ops).order_by(sdb.ops.c.seq)).all()
    finally:
        server.stop()
    url = backend_url(backend, tmp_path, "log_v4")
    old = sdb.make_engine(url)
    assert sdb.migrate(old, target=4) == [1, 2, 3, 4]
    assert _indexes(old) == {"ops_learner_seq", "ops_record"}
    _copy(server.engine, old)
    assert sdb.migrate(old) == [5]
    with old.connect() as conn:
        assert conn.execute(select(sdb.ops).order_by(sdb.ops.c.seq)).all() == log
        if backend == "sqlite":
            plan = [r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN SELECT hlc FROM ops WHERE seq > 3 ORDER BY seq")]
            assert any("INTEGER PRIMARY KEY" in step for step in plan), plan
    assert _indexes(old) == {"ops_learner_seq"}
    old.dispose()
    upgraded = ThreadServer(url, init=False)
    try:
        with a.store.transaction():
            a.store.conn.execute("UPDATE meta SET value = ? WHERE key = 'sync_server_url'", (upgraded.url,))
        c = device(tmp_path, upgraded, "cai", "coordinator")
        assert c.sync().pulled == len(log)
        assert snapshot(c.store) == snapshot(a.store) and server_ops(c.store) == server_ops(a.store)
        c.store.set_field("learners", learners[0], "preferred_name", "Sionyn")
        c.sync()
        assert a.sync().pulled == 1 and a.store.get("learners", learners[0])["preferred_name"] == "Sionyn"
        for d in (a, b, c):
            d.close()
    finally:
        upgraded.stop()


def test_two_servers_upgrading_one_sqlite_file_at_once_both_start(tmp_path, monkeypatch):
    """The second waits for the first's step and finds it done (it failed with 'database is locked')."""
    url = f"sqlite:///{tmp_path / 's.db'}"
    engine = sdb.make_engine(url)
    assert sdb.migrate(engine, target=4) == [1, 2, 3, 4]
    engine.dispose()
    version, name, step = sdb.MIGRATIONS[4]
    started = threading.Event()

    def slow(conn):
        started.set()
        step(conn)
        time.sleep(1.0)   # the second server starts while the first is inside the step

    monkeypatch.setattr(sdb, "MIGRATIONS", [*sdb.MIGRATIONS[:4], (version, name, slow), *sdb.MIGRATIONS[5:]])
    results = {}

    def upgrade(who):
        server_engine = sdb.make_engine(url)
        try:
            results[who] = sdb.migrate(server_engine)
        except Exception as exc:   # reported below, with the other server's result
            results[who] = exc
        finally:
            server_engine.dispose()

    first = threading.Thread(target=upgrade, args=("first",))
    first.start()
    assert started.wait(30)
    upgrade("second")
    first.join()
    assert results == {"first": [5], "second": []}, results
