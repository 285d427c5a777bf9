"""What an authority's IT team runs: `schools`, `users`, `add-user --school NAME --name`, the
display name handed to the device at enrolment, `/v1/health` (and its 503), `/metrics`, and a
database restored from an older backup (SQLite's online backup) answering 409 snapshot_required,
after which devices start again from 0 and carry on."""

from __future__ import annotations

import json
import sqlite3

import pytest
import requests

from vsm_desktop.sync import protocol as P
from vsm_server import service

from conftest import PASSPHRASE, add_learner, run_cli
from sync_support import ProcessServer, ThreadServer, device, run_server_cli, sqlite_url


def test_schools_users_and_display_names_from_the_command_line(tmp_path):
    url = sqlite_url(tmp_path / "s.db")
    server = ThreadServer(url)
    try:
        coord = device(tmp_path, server, "cara", "coordinator")
        graig = coord.store.create("schools", {"name": "Ysgol y Graig", "kind": "primary", "medium": "welsh_medium"})
        twin_a = coord.store.create("schools", {"name": "Ysgol Sant Teilo", "kind": "secondary"})
        twin_b = coord.store.create("schools", {"name": "Ysgol Sant Teilo", "kind": "primary"})
        learner = add_learner(coord.store)
        coord.sync()
        r = run_server_cli("schools", "--db", url)
        assert r.returncode == 0
        rows = [line.split(None, 3) for line in r.stdout.splitlines()[1:]]
        assert [row[3] for row in rows] == ["Ysgol Sant Teilo", "Ysgol Sant Teilo", "Ysgol y Graig"]
        assert [graig, "primary", "welsh_medium", "Ysgol y Graig"] in rows
        # --school by exact name; an ambiguous name is refused, listing the matches to choose from.
        r = run_server_cli("add-user", "--db", url, "--username", "dafydd", "--role", "designated_person",
                           "--school", "Ysgol y Graig", "--name", "Dafydd Rhys")
        assert r.returncode == 0, r.stderr
        r = run_server_cli("add-user", "--db", url, "--username", "elin", "--role", "designated_person",
                           "--school", "Ysgol Sant Teilo")
        assert r.returncode == 1 and twin_a in r.stderr and twin_b in r.stderr and "2 schools" in r.stderr
        r = run_server_cli("add-user", "--db", url, "--username", "elin", "--role", "designated_person",
                           "--school", "Ysgol Nad Yw'n Bod")
        assert r.returncode == 1 and "vsm-server schools" in r.stderr
        r = run_server_cli("add-user", "--db", url, "--username", "elin", "--role", "designated_person",
                           "--school", twin_b, "--name", "Elin Haf")
        assert r.returncode == 0
        r = run_server_cli("add-user", "--db", url, "--username", "sioned", "--role", "social_worker",
                           "--name", "Catrin Ellis")
        assert r.returncode == 0
        assert run_server_cli("assign", "--db", url, "--username", "sioned", "--learner", learner).returncode == 0
        r = run_server_cli("users", "--db", url)
        lines = {line.split()[0]: line for line in r.stdout.splitlines()[1:]}
        assert "Dafydd Rhys" in lines["dafydd"] and "Ysgol y Graig" in lines["dafydd"] and graig in lines["dafydd"]
        assert "Catrin Ellis" in lines["sioned"] and lines["sioned"].split()[-1] == "1"
        assert lines["cara"].split()[-1] == "0"

        # Enrolment hands the display name to the device (and a user without one: none).
        path = tmp_path / "sioned.vsm"
        from vsm_desktop.store.store import Store

        with Store.initialise(path, PASSPHRASE, author="x"):
            pass
        r = run_cli("enrol", "--store", path, "--server", server.url, "--code", server.code("sioned"))
        assert r.returncode == 0, r.stderr
        with Store.open(path, PASSPHRASE) as store:
            meta = dict(store.conn.execute("SELECT key, value FROM meta"))
        assert meta["sync_display_name"] == "Catrin Ellis" and meta["sync_username"] == "sioned"
        # The authority's certificate names the person; the account is its user id.
        from cryptography import x509
        from cryptography.x509.oid import NameOID

        subject = x509.load_pem_x509_certificate(meta["signing_cert_pem"].encode()).subject
        assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Catrin Ellis"
        assert subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "sioned"
        assert "sync_display_name" not in dict(coord.store.conn.execute("SELECT key, value FROM meta"))
        coord.close()
    finally:
        server.stop()


def test_enrol_returns_the_display_name(tmp_path):
    server = ThreadServer(sqlite_url(tmp_path / "s.db"))
    try:
        service.add_user(server.engine, "sioned", "mentor", name="Sioned Prys")
        from vsm_desktop.store.store import Store
        from vsm_desktop.sync.engine import SyncClient

        with Store.initialise(tmp_path / "a.vsm", PASSPHRASE, author="x") as store:
            answer = SyncClient(store).enrol(server.url, service.enrol_code(server.engine, "sioned"))
        assert answer["display_name"] == "Sioned Prys"
        with pytest.raises(P.ProtocolError):
            P.check_enrol_response({"display_name": ""}, "0" * 16)
        with pytest.raises(service.AdminError):
            service.add_user(server.engine, "x", "mentor", name="two\nlines")
    finally:
        server.stop()


def test_health_says_whether_the_database_answers(tmp_path):
    server = ThreadServer(sqlite_url(tmp_path / "s.db"))
    try:
        r = requests.get(server.url + "/v1/health", timeout=10)
        assert r.status_code == 200 and r.json()["database"] == "ok"
    finally:
        server.stop()
    gone = ThreadServer(sqlite_url(tmp_path / "no-such-folder" / "s.db"), init=False)
    try:
        r = requests.get(gone.url + "/v1/health", timeout=10)
        assert r.status_code == 503 and r.json()["error"]["code"] == "unavailable"
    finally:
        gone.stop()


def test_metrics_count_requests_latency_operations_and_conflicts_without_names(tmp_path):
    server = ThreadServer(sqlite_url(tmp_path / "s.db"))
    try:
        a = device(tmp_path, server, "gwenllian", "coordinator")
        b = device(tmp_path, server, "bryn", "coordinator")
        learner = add_learner(a.store, legal_forename="Angharad")
        a.sync()
        b.sync()
        a.store.set_field("learners", learner, "preferred_name", "Angharad Fach")
        b.store.set_field("learners", learner, "preferred_name", "Anj")
        a.sync()
        b.sync()
        r = requests.get(server.url + "/metrics", timeout=10)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
        text = r.text

        def value(line_start: str) -> float:
            return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(line_start))

        assert value('vsm_requests_total{route="/v1/push",status="200"}') >= 3
        assert value('vsm_push_seconds_count') >= 3 and value('vsm_pull_seconds_count') >= 3
        assert value('vsm_operations_total{result="applied"}') >= 2
        assert value("vsm_conflicts_total") >= 1
        assert value("vsm_log_head") == service.head(server.engine)
        assert value("vsm_devices_active") == 2
        for secret in ("Angharad", "Anj", "gwenllian", "bryn", a.store.device_id):
            assert secret not in text
        a.close()
        b.close()
    finally:
        server.stop()


def test_a_database_restored_from_an_older_backup_sends_devices_back_to_0(tmp_path):
    """The README's SQLite backup (the online backup API) and restore: devices whose cursor is past
    the restored log get 409 snapshot_required, start again from 0 and carry on."""
    db_path = tmp_path / "server.db"
    server = ProcessServer(sqlite_url(db_path), tmp_path)
    try:
        a = device(tmp_path, server, "ana", "coordinator")
        learner = add_learner(a.store)
        a.sync()
        backup = tmp_path / "backup.db"
        with sqlite3.connect(db_path) as live, sqlite3.connect(backup) as copy:
            live.backup(copy)
        restored_head = service.head(server.engine)
        a.store.set_field("learners", learner, "preferred_name", "Ar ôl y copi wrth gefn")
        a.sync()
        cursor = int(dict(a.store.conn.execute("SELECT key, value FROM meta"))["sync_cursor"])
        assert cursor > restored_head
        server.stop()
        server.engine.dispose()
        with sqlite3.connect(backup) as copy, sqlite3.connect(db_path) as live:
            copy.backup(live)
        server.start()
        token = a.store.conn.execute("SELECT value FROM meta WHERE key = 'sync_device_token'").fetchone()[0]
        r = requests.post(server.url + "/v1/pull", json={"cursor": cursor}, timeout=10,
                          headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 409 and r.json()["error"]["code"] == "snapshot_required"
        result = a.sync()     # the device starts again from 0 and carries on
        assert result.cursor == restored_head
        assert a.store.get("learners", learner)["reference"] == "L000001"
        a.close()
    finally:
        server.stop()
