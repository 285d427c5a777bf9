"""Scope follows the calendar: whether a learner's enrolment at a school is current is decided at
every pull and push against the server's date, not once when the enrolment was pushed. A real
`vsm-server serve` in a subprocess whose date is moved (VSM_SERVER_TODAY), the real
`vsm-desktop` command line on real stores, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
import requests

from vsm_desktop.store.store import Store
from vsm_desktop.sync import protocol as P

from conftest import PASSPHRASE, add_learner, run_cli
from sync_support import ProcessServer, backend_url, run_server_cli

TODAY = "2027-03-10"          # a fixed date: nothing here depends on the real one
THREE_DAYS_ON = "2027-03-13"


def references(path) -> list[str]:
    with Store.open(path, PASSPHRASE) as store:
        return sorted(r["reference"] for r in store.all_rows("learners"))


def digest(server, token) -> str:
    r = requests.post(server.url + "/v1/pull", json={"cursor": 0, "limit": 1, "scope_digest": None},
                      headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["scope"]["digest"]


def move_clock(server, day: str) -> None:
    server.stop()
    server.env["VSM_SERVER_TODAY"] = day
    server.start()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_scope_is_decided_at_every_sync_as_dates_pass(tmp_path, backend):
    url = backend_url(backend, tmp_path, "scope_dates")
    server = ProcessServer(url, tmp_path, env={"VSM_SERVER_TODAY": TODAY})
    coord, dp = tmp_path / "coord.vsm", tmp_path / "dp.vsm"
    try:
        # The coordinator records a school, a learner whose enrolment ends today (end of term,
        # recorded in advance) and one whose enrolment starts in three days.
        with Store.initialise(coord, PASSPHRASE, author="Cara") as store:
            school = store.create("schools", {"name": "Ysgol y Graig", "kind": "primary"})
            leaving = add_learner(store, "L000001")
            store.create("enrolments", {"learner_id": leaving, "school_id": school, "start_date": "2026-09-01",
                                        "end_date": TODAY})
            arriving = add_learner(store, "L000002")
            store.create("enrolments", {"learner_id": arriving, "school_id": school, "start_date": THREE_DAYS_ON})
        assert run_server_cli("add-user", "--db", url, "--username", "cara", "--role", "coordinator").returncode == 0
        code = run_server_cli("enrol-code", "--db", url, "--username", "cara").stdout.strip()
        assert run_cli("enrol", "--store", coord, "--server", server.url, "--code", code).returncode == 0
        assert run_cli("sync", "--store", coord).returncode == 0
        # The designated person is added by the school's exact name, as an administrator types it.
        r = run_server_cli("add-user", "--db", url, "--username", "dafydd", "--role", "designated_person",
                           "--school", "Ysgol y Graig", "--name", "Dafydd Rhys")
        assert r.returncode == 0, r.stderr
        with Store.initialise(dp, PASSPHRASE, author="Dafydd"):
            pass
        code = run_server_cli("enrol-code", "--db", url, "--username", "dafydd").stdout.strip()
        assert run_cli("enrol", "--store", dp, "--server", server.url, "--code", code).returncode == 0
        with Store.open(dp, PASSPHRASE) as store:
            token = store.conn.execute("SELECT value FROM meta WHERE key = 'sync_device_token'").fetchone()[0]

        # Today: the enrolment ending today is current; the one starting in three days is not yet.
        r = run_cli("sync", "--store", dp)
        assert r.returncode == 0, r.stderr
        assert references(dp) == ["L000001"]
        on_last_day = digest(server, token)

        # The designated person types a note about the leaver while offline, after term ended.
        move_clock(server, "2027-03-11")
        with Store.open(dp, PASSPHRASE) as store:
            store.set_field("learners", leaving, "preferred_name", "Geiriau a deipiwyd")
        assert digest(server, token) != on_last_day      # the date passing changes the scope
        r = run_cli("sync", "--store", dp)
        assert r.returncode == 0, r.stderr
        assert references(dp) == []                      # the leaver left the device
        # The refused change is listed with what was typed (readable and copyable), not dropped.
        (refused,) = json.loads(run_cli("conflicts", "--store", dp, "--json").stdout)
        assert refused["kind"] == "rejected" and refused["reason"] == "out_of_scope"
        assert refused["other_value"] == "Geiriau a deipiwyd"
        # Nothing the device sent or may pull names the leaver any more.
        r = requests.post(server.url + "/v1/pull", json={"cursor": 0, "learners": [leaving], "until": 0},
                          headers={"Authorization": f"Bearer {token}",
                                   P.HEADER_CLIENT_TIME: str(int(__import__("time").time() * 1000))}, timeout=10)
        assert r.status_code == 403 and r.json()["error"]["code"] == "out_of_scope"

        # Three days on, the new enrolment has started: the learner arrives with their history.
        move_clock(server, THREE_DAYS_ON)
        assert run_cli("sync", "--store", dp).returncode == 0
        assert references(dp) == ["L000002"]
        # The coordinator sees everyone whatever the date.
        assert run_cli("sync", "--store", coord).returncode == 0
        assert references(coord) == ["L000001", "L000002"]
    finally:
        server.stop()
        server.engine.dispose()


def test_an_upgraded_database_keeps_enrolment_dates(tmp_path):
    """A schema-1 database (scope frozen at push time) upgraded to schema 2 gets its enrolments'
    dates from the stored fields, so an enrolment that ended before the upgrade is out of scope."""
    from sqlalchemy import select, text

    from vsm_server import db as sdb, service

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sdb.make_engine(url)
    sdb.migrate(engine, target=1)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO records (record_id, entity, learner_id, review_id, created_hlc)"
                          " VALUES ('e' || printf('%031d', 1), 'enrolments', 'a' || printf('%031d', 1), NULL, 'x')"))
        for field, value in (("school_id", "b" * 32), ("start_date", "2026-09-01"), ("end_date", "2026-12-31"),
                             ("deleted", False)):
            conn.execute(text("INSERT INTO fields (record_id, field, hlc, value) VALUES (:r, :f, 'x', :v)"),
                         {"r": "e" + "0" * 30 + "1", "f": field, "v": json.dumps(value)})
        conn.execute(text("INSERT INTO learner_schools VALUES (:e, :l, :s, 1)"),
                     {"e": "e" + "0" * 30 + "1", "l": "a" + "0" * 30 + "1", "s": "b" * 32})
    assert sdb.migrate(engine) == list(range(2, sdb.SCHEMA_VERSION + 1))
    with engine.connect() as conn:
        row = conn.execute(select(sdb.learner_schools)).one()
    assert (row.school_id, row.start_date, row.end_date) == ("b" * 32, "2026-09-01", "2026-12-31")
    assert service.list_users(engine) == []
    engine.dispose()
