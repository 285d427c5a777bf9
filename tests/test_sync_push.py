"""The push in small batches, one request in flight while the device records the answer before it
and reads the next: every change is sent once, in order, with the cursor the last answer moved
to; a change held or refused in the middle of a push sets aside only that change."""

from __future__ import annotations

import pytest

from vsm_desktop.store.check import check_store
from vsm_desktop.sync import engine
from vsm_server import db as sdb

from conftest import add_learner, add_review
from sync_support import ThreadServer, device, server_ops, snapshot, sqlite_url


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "BATCH", 4)
    s = ThreadServer(sqlite_url(tmp_path / "server.db"))
    bodies: list[dict] = []
    real = engine.SyncClient._send_batch

    def send(sender, transport, batch, cursor):
        bodies.append({"cursor": cursor, "hlcs": [op["hlc"] for op in batch]})
        return real(sender, transport, batch, cursor)

    monkeypatch.setattr(engine.SyncClient, "_send_batch", staticmethod(send))
    s.bodies = bodies
    yield s
    s.stop()


def _schools(store, names):
    return [store.create("schools", {"name": name, "medium": "welsh_medium", "kind": "primary"}) for name in names]


def _log(server) -> list[str]:
    with server.engine.connect() as conn:
        return [r[0] for r in conn.execute(sdb.ops.select().with_only_columns(sdb.ops.c.hlc).order_by(sdb.ops.c.seq))]


def test_a_push_in_many_batches_sends_each_change_once_in_order(tmp_path, server):
    a = device(tmp_path, server, "ana")
    _schools(a.store, [f"Ysgol {n:02d}" for n in range(18)])
    own = [op["hlc"] for op in a.client._read_unsent(100)[0]]
    result = a.sync()
    assert result.pushed == 18 and result.results == {"applied": 18} and result.pulled == 0
    sent = [h for body in server.bodies for h in body["hlcs"]]
    assert sent == own == _log(server)
    # Each batch went with the cursor the answer before it moved to (nothing else came between).
    assert [b["cursor"] for b in server.bodies] == [0, 4, 8, 12, 16]
    assert a.client.status().cursor == 18 and a.client.status().unsent == 0
    b = device(tmp_path, server, "bryn")
    assert b.sync().pulled == 18
    assert snapshot(a.store) == snapshot(b.store) and server_ops(a.store) == server_ops(b.store)


def test_a_change_held_in_the_middle_of_a_push_sets_aside_only_itself(tmp_path, server):
    a = device(tmp_path, server, "ana")
    b = device(tmp_path, server, "bryn")
    learner = add_learner(a.store, "L000001")
    review = add_review(a.store, learner, meeting_date="2026-11-02")
    a.sync()
    b.sync()
    a.store.finalise_review(review)
    a.sync()
    _schools(b.store, [f"Ysgol {n:02d}" for n in range(6)])
    b.store.set_field("reviews", review, "carer_views", "Yn hapus")  # finalised elsewhere: held
    _schools(b.store, [f"Ysgol {n:02d}" for n in range(6, 13)])
    server.bodies.clear()
    result = b.sync()
    assert result.pushed == 14 and result.held == 1 and result.results == {"applied": 13, "held": 1}
    assert [k.kind for k in b.client.conflicts()] == ["finalised"]
    sent = [h for body in server.bodies for h in body["hlcs"]]
    assert len(sent) == len(set(sent)) == 14
    assert b.client.status().unsent == 0
    a.sync()
    b.sync()
    assert snapshot(a.store) == snapshot(b.store) and server_ops(a.store) == server_ops(b.store)
    assert check_store(a.store) == [] and check_store(b.store) == []


def test_a_change_refused_in_the_middle_of_a_push_sets_aside_only_itself(tmp_path, server):
    coord = device(tmp_path, server, "cara", "coordinator")
    learner = add_learner(coord.store, "L000001")
    coord.sync()
    sw = device(tmp_path, server, "sioned", "social_worker")
    server.assign("sioned", learner)
    sw.sync()
    server.assign("sioned", learner, remove=True)
    mine = [add_learner(sw.store, f"L00010{n}") for n in range(3)]  # new learners: the creator's own
    sw.store.set_field("learners", learner, "preferred_name", "Nope")  # no longer in scope: refused
    mine += [add_learner(sw.store, f"L00020{n}") for n in range(3)]
    result = sw.sync()
    assert result.rejected == 1
    assert [(k.kind, k.other_value) for k in sw.client.conflicts()] == [("rejected", "Nope")]
    assert sw.client.status().unsent == 0
    coord.sync()
    assert coord.store.get("learners", learner)["preferred_name"] is None
    assert [coord.store.get("learners", m)["id"] for m in mine] == mine  # everything else arrived
    sent = [h for body in server.bodies for h in body["hlcs"]]
    assert set(_log(server)) >= set(sent) - {k.other_stamp for k in sw.client.conflicts()}
    assert check_store(sw.store) == []
