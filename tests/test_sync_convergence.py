"""Convergence, property-based (hypothesis, stateful): three devices and one real server on
127.0.0.1, random edits on each device (review fields, learner fields, targets added, edited and
removed, quality ratings, finalising, resolving conflicts) and random syncs in random order; then everyone syncs
until quiet. All replicas must be identical (with each other and with the server's state), every
store must pass `check`, nothing may be lost: every value that lost without anyone having seen it
is a conflict on its author's device, every change held for a finalised review is a conflict for
its author. Against SQLite, and against PostgreSQL when one can be started."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import delete, select, update

from vsm_desktop.domain.model import ImmutableError
from vsm_desktop.errors import Refused
from vsm_desktop.store import oplog
from vsm_desktop.store.check import check_store
from vsm_server import db as sdb

from conftest import add_learner, add_review
from sync_support import ThreadServer, backend_url, device, server_ops, snapshot

REVIEW_FIELDS = ["voice_enjoy", "strengths", "carer_views", "sdq_score", "wellbeing_concern"]
VALUES = {
    "voice_enjoy": ["Pêl-droed", "Nofio", "Darllen", None],
    "strengths": ["Mathemateg", "Celf", "Cerddoriaeth"],
    "carer_views": ["Setlo'n dda", "Angen cefnogaeth"],
    "sdq_score": [10, 14, 22],
    "wellbeing_concern": [True, False],
    "preferred_name": ["Siani", "Sian", "Sioni"],
    "gender": ["female", "not_stated"],
}
LEARNER_FIELDS = ["preferred_name", "gender"]
TEXTS = ["Dal bws i'r siop", "Darllen bob dydd", "Read with a friend", "Nofio 10 hyd"]
DEVICES = 3


class World:
    """One server and three enrolled devices, reused across examples and reset before each."""

    def __init__(self, backend: str):
        self.tmp = Path(tempfile.mkdtemp(prefix=f"vsm-conv-{backend}-"))
        url = backend_url(backend, self.tmp, "convergence")
        self.server = ThreadServer(url)
        self.devices = [device(self.tmp, self.server, f"user{i}", "coordinator", timeout=30) for i in range(DEVICES)]

    def reset(self) -> None:
        with sdb.write_transaction(self.server.engine) as conn:
            for table in (sdb.ops, sdb.records, sdb.fields, sdb.learner_schools, sdb.batches):
                conn.execute(delete(table))
            conn.execute(update(sdb.counters).values(value=0))
        for d in self.devices:
            s = d.store
            with s.transaction():
                for table in ("attendees", "quality_ratings", "targets", "actions", "exclusions", "attainments",
                              "interventions", "reviews", "contacts", "placements", "enrolments", "learners", "schools",
                              "ops", "conflicts", "op_resolves", "learner_search"):
                    s.conn.execute(f"DELETE FROM {table}")
                s.conn.execute("UPDATE meta SET value = '0' WHERE key = 'sync_cursor'")
                s.conn.execute("DELETE FROM meta WHERE key IN ('sync_scope_digest', 'sync_last_success')")
            s._review_learner.clear()

    def close(self) -> None:
        for d in self.devices:
            d.close()
        self.server.stop()


_WORLDS: dict[str, World] = {}


def world(backend: str) -> World:
    if backend not in _WORLDS:
        _WORLDS[backend] = World(backend)
    return _WORLDS[backend]


@pytest.fixture(scope="module", autouse=True)
def _close_worlds():
    yield
    for w in _WORLDS.values():
        w.close()
    _WORLDS.clear()


class Convergence(RuleBasedStateMachine):
    backend = "sqlite"

    @initialize()
    def setup(self):
        self.w = world(self.backend)
        self.w.reset()
        self.d = self.w.devices
        store = self.d[0].store
        school = store.create("schools", {"name": "Ysgol y Graig", "medium": "welsh_medium", "kind": "primary"})
        self.learner = add_learner(store)
        store.create("enrolments", {"learner_id": self.learner, "school_id": school, "start_date": "2024-09-01"})
        self.review = add_review(store, self.learner, meeting_date="2026-11-02")
        store.create("targets", {"review_id": self.review, "description": "Targed cyntaf", "description_lang": "cy"})
        for dev in self.d:
            dev.sync()

    def _draft(self, i: int) -> bool:
        return self.d[i].store.get("reviews", self.review)["status"] == "draft"

    @rule(i=st.integers(0, DEVICES - 1), field=st.sampled_from(REVIEW_FIELDS), data=st.data())
    def edit_review(self, i, field, data):
        value = data.draw(st.sampled_from(VALUES[field]))
        if self._draft(i):
            self.d[i].store.set_field("reviews", self.review, field, value)
        else:
            with pytest.raises(ImmutableError):
                self.d[i].store.set_field("reviews", self.review, field, value)

    @rule(i=st.integers(0, DEVICES - 1), field=st.sampled_from(LEARNER_FIELDS), data=st.data())
    def edit_learner(self, i, field, data):
        self.d[i].store.set_field("learners", self.learner, field, data.draw(st.sampled_from(VALUES[field])))

    @rule(i=st.integers(0, DEVICES - 1), text=st.sampled_from(TEXTS))
    def add_target(self, i, text):
        if self._draft(i):
            self.d[i].store.create("targets", {"review_id": self.review, "description": text})

    @rule(i=st.integers(0, DEVICES - 1), n=st.integers(0, 5), text=st.sampled_from(TEXTS), remove=st.booleans())
    def change_target(self, i, n, text, remove):
        targets = self.d[i].store.children("targets", self.review)
        if not targets or not self._draft(i):
            return
        target = targets[n % len(targets)]["id"]
        self.d[i].store.update("targets", target, {"deleted": True} if remove else {"description": text})

    @rule(i=st.integers(0, DEVICES - 1), rating=st.sampled_from(["red", "amber", "green"]))
    def rate(self, i, rating):
        # The coordinator's quality rating: allowed before and after finalising.
        ratings = self.d[i].store.children("quality_ratings", self.review)
        if ratings:
            self.d[i].store.set_field("quality_ratings", ratings[0]["id"], "rating", rating)
        else:
            self.d[i].store.create("quality_ratings", {"review_id": self.review, "rating": rating})

    @rule(i=st.integers(0, DEVICES - 1))
    def finalise(self, i):
        if self._draft(i):
            self.d[i].store.finalise_review(self.review)

    @rule(i=st.integers(0, DEVICES - 1), choice=st.sampled_from(["mine", "theirs"]))
    def resolve(self, i, choice):
        for c in self.d[i].client.conflicts():
            if c.kind in ("field", "deleted"):
                try:
                    self.d[i].client.resolve(c.id, choice)
                except (ImmutableError, Refused):
                    pass
                return
            self.d[i].client.dismiss(c.id)
            return

    @rule(i=st.integers(0, DEVICES - 1))
    def sync(self, i):
        self.d[i].sync()

    @invariant()
    def stores_stay_consistent(self):
        if hasattr(self, "d"):
            for dev in self.d:
                assert dev.store.conn.execute("SELECT count(*) FROM ops WHERE held IS NULL AND server_seq IS NULL"
                                              f" AND {oplog.DEVICE_SQL} != ?",
                                              (oplog.device_key(dev.store.device_id),)).fetchone()[0] == 0

    def teardown(self):
        if not hasattr(self, "d"):
            return
        for _round in range(3):
            for dev in self.d:
                dev.sync()
        first = snapshot(self.d[0].store)
        for dev in self.d:
            assert dev.client.status().unsent == 0
            assert snapshot(dev.store) == first
            assert server_ops(dev.store) == server_ops(self.d[0].store)
            assert check_store(dev.store) == []
        self._server_state_matches(first)
        self._nothing_lost()

    def _server_state_matches(self, records: dict) -> None:
        with self.w.server.engine.connect() as conn:
            entities = dict(conn.execute(select(sdb.records.c.record_id, sdb.records.c.entity)).all())
            current = sdb.current_values(conn, list(entities))
        by_id = {(name, r["id"]): r for name, rs in records.items() for r in rs}
        for rid, values in current.items():
            for field, value in values.items():
                assert by_id[(entities[rid], rid)][field] == value, (entities[rid], field)

    def _nothing_lost(self) -> None:
        stores = [dev.store for dev in self.d]
        ops = {}
        for s in stores:
            for op in oplog.read(s.conn):
                ops[op["hlc"]] = (op["hlc"], op["record_id"], op["field"], oplog.encode(op["value"]), op["prev_hlc"],
                                  op["held"])
        resolved = {r[0] for s in stores for r in s.conn.execute("SELECT loser_hlc FROM op_resolves")}
        conflicts = {dev.store.device_id: {r[0] for r in dev.store.conn.execute(
            "SELECT loser_hlc FROM conflicts")} for dev in self.d}
        kept = {dev.store.device_id: set(dev.store.conn.execute(
            "SELECT record_id, field, loser_value FROM conflicts").fetchall()) for dev in self.d}
        final = {}
        for name, rows in snapshot(stores[0]).items():
            for r in rows:
                for k, v in r.items():
                    final[(r["id"], k)] = v
        # Every held change is a conflict for its author.
        for hlc, rid, field, value, prev, held in ops.values():
            if held and held != "rejected" and field not in ("finalised_at", "finalised_by"):
                assert hlc in conflicts[hlc[-16:]], ("held change not shown to its author", field)
        # Every value that lost without being seen is a conflict on its author's device.
        live = [o for o in ops.values() if not o[5] and o[2] != "*"]
        replaced = {o[4] for o in live if o[4]}
        covered = {o[0] for o in live if o[0] in replaced or o[0] in resolved
                   or json.loads(o[3]) == final.get((o[1], o[2]))}
        changed = True
        while changed:  # the same value kept by another change that was seen counts as kept
            changed = False
            for o in live:
                if o[0] not in covered and any(c[0] in covered and c[1] == o[1] and c[2] == o[2] and c[3] == o[3]
                                               for c in live):
                    covered.add(o[0])
                    changed = True
        for o in live:
            if o[0] not in covered:
                author = o[0][-16:]
                assert o[0] in conflicts[author] or (o[1], o[2], o[3]) in kept[author], (
                    "a lost value is not a conflict for its author", o[2])
        # Concurrent additions all survive.
        for o in ops.values():
            if o[2] == "*" and not o[5]:
                assert any(o[1] == r[0] for r in final)


# Bounded for the suite (about 15 s per backend); VSM_CONVERGENCE_EXAMPLES=200 for a deeper search.
Convergence.TestCase.settings = settings(max_examples=int(os.environ.get("VSM_CONVERGENCE_EXAMPLES", 10)),
                                         stateful_step_count=20, deadline=None,
                                         suppress_health_check=list(HealthCheck))


class ConvergenceSQLite(Convergence):
    backend = "sqlite"


class ConvergencePostgres(Convergence):
    backend = "postgresql"


TestConvergenceSQLite = ConvergenceSQLite.TestCase
TestConvergenceSQLite.settings = Convergence.TestCase.settings
TestConvergencePostgres = ConvergencePostgres.TestCase
TestConvergencePostgres.settings = Convergence.TestCase.settings
