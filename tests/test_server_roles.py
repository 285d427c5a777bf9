"""Who may change what: only coordinators create or change schools (records of no learner, which
reach every device). Anyone else's school change is refused whole (403 not_permitted), nothing is
applied, and the device keeps the change as a refused conflict with what was typed."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from vsm_server import db as sdb, service

from conftest import add_learner
from sync_support import ThreadServer, device, sqlite_url


@pytest.fixture
def server(tmp_path):
    s = ThreadServer(sqlite_url(tmp_path / "server.db"))
    yield s
    s.stop()


def school_name(server, school_id):
    with server.engine.connect() as conn:
        value = sdb.current_values(conn, [school_id], ("name",)).get(school_id, {}).get("name")
        return None if value is None else json.dumps(value)


@pytest.mark.parametrize("role", ["designated_person", "social_worker", "mentor"])
def test_only_a_coordinator_creates_or_changes_schools(tmp_path, server, role):
    coord = device(tmp_path, server, "cara", "coordinator")
    school = coord.store.create("schools", {"name": "Ysgol y Graig", "kind": "primary", "medium": "welsh_medium"})
    learner = add_learner(coord.store, "L000001")
    coord.store.create("enrolments", {"learner_id": learner, "school_id": school, "start_date": "2024-09-01"})
    coord.sync()
    other = device(tmp_path, server, "defnyddiwr", role, school=school if role == "designated_person" else None)
    if role != "designated_person":
        server.assign("defnyddiwr", learner)
    other.sync()
    assert other.store.get("learners", learner) is not None and other.store.get("schools", school) is not None
    before = service.head(server.engine)

    # A rename, a new school, and an ordinary change to a learner in scope, in one sync.
    other.store.set_field("schools", school, "name", "Ysgol Newydd Sbon")
    new_school = other.store.create("schools", {"name": "Ysgol Ffug"})
    other.store.set_field("learners", learner, "preferred_name", "Sioni")
    result = other.sync()
    assert result.rejected == 2
    refused = {(c.entity, c.field): c for c in other.client.conflicts()}
    assert set(refused) == {("schools", "name"), ("schools", "*")}
    assert all(c.kind == "rejected" and c.reason == "not_permitted" for c in refused.values())
    assert refused[("schools", "name")].other_value == "Ysgol Newydd Sbon"  # what was typed is kept
    # Nothing of the school changes was applied; the rest went through.
    assert school_name(server, school) == '"Ysgol y Graig"'
    assert school_name(server, new_school) is None
    assert service.head(server.engine) == before + 1
    assert other.store.get("schools", school)["name"] == "Ysgol y Graig"   # the device shows what the server has
    coord.sync()
    assert coord.store.get("learners", learner)["preferred_name"] == "Sioni"
    assert coord.store.get("schools", new_school) is None

    # The same by raw HTTP with the user's own token: 403, naming the change, nothing applied.
    token = other.store.conn.execute("SELECT value FROM meta WHERE key = 'sync_device_token'").fetchone()[0]
    op = {"hlc": f"{sdb.now_ms():015d}-000000-{other.store.device_id}", "entity": "schools", "record_id": school,
          "learner_id": None, "field": "medium", "value": "english_medium", "prev_hlc": None,
          "device_id": other.store.device_id, "author": "x"}
    r = requests.post(server.url + "/v1/push", json={"batch_id": uuid.uuid4().hex, "cursor": 0, "ops": [op]},
                      headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_permitted"
    assert r.json()["error"]["ops"] == [op["hlc"]] and "school" in r.json()["error"]["message"]
    assert service.head(server.engine) == before + 1
    coord.close()
    other.close()


def test_a_coordinator_changes_schools_and_every_device_gets_them(tmp_path, server):
    coord = device(tmp_path, server, "cara", "coordinator")
    school = coord.store.create("schools", {"name": "Ysgol y Graig"})
    coord.sync()
    sw = device(tmp_path, server, "sioned", "social_worker")
    sw.sync()
    coord.store.set_field("schools", school, "name", "Ysgol y Graig Newydd")
    assert coord.sync().rejected == 0
    sw.sync()
    assert sw.store.get("schools", school)["name"] == "Ysgol y Graig Newydd"
    coord.close()
    sw.close()
