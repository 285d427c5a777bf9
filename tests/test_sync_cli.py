"""The sync commands as a user runs them: enrol, sync, sync-status, conflicts, resolve, and the exit
codes of what can go wrong (9 unreachable, 10 bad answer, 11 revoked, 7 refused code, 2 usage)."""

from __future__ import annotations

import http.server
import json
import threading

import pytest

from vsm_desktop.store.check import check_store
from vsm_desktop.store.store import Store
from vsm_server import service

from conftest import PASSPHRASE, add_learner, file_hash, run_cli
from sync_support import ThreadServer, free_port, sqlite_url


@pytest.fixture
def server(tmp_path):
    s = ThreadServer(sqlite_url(tmp_path / "server.db"))
    yield s
    s.stop()


def new_store(path, learners=0):
    with Store.initialise(path, PASSPHRASE, author="Cli User") as store:
        for i in range(learners):
            add_learner(store, f"L00000{i}")


def test_enrol_sync_status_conflicts_and_resolve(tmp_path, server):
    a, b = tmp_path / "a.vsm", tmp_path / "b.vsm"
    new_store(a, learners=1)
    new_store(b)
    r = run_cli("enrol", "--store", a, "--server", server.url, "--code", server.user("ana", "coordinator"))
    assert r.returncode == 0, r.stderr
    assert "enrolled" in r.stdout
    assert run_cli("enrol", "--store", b, "--server", server.url, "--code", server.user("bryn", "coordinator")).returncode == 0
    r = run_cli("sync", "--store", a)
    assert r.returncode == 0 and "Sent 1 change." in r.stdout, r.stderr
    assert run_cli("sync", "--store", b).returncode == 0
    with Store.open(a, PASSPHRASE) as store:
        learner = store.all_rows("learners")[0]["id"]
        store.set_field("learners", learner, "preferred_name", "Siani")
    with Store.open(b, PASSPHRASE) as store:
        store.set_field("learners", learner, "preferred_name", "Sian")
    for path in (a, b, a):
        assert run_cli("sync", "--store", path).returncode == 0
    r = run_cli("sync-status", "--store", a)
    assert "Last successful sync" in r.stdout and "1 conflict to resolve" in r.stdout
    status = json.loads(run_cli("sync-status", "--store", a, "--json").stdout)
    assert status["enrolled"] and status["unsent"] == 0 and status["conflicts"] == 1
    r = run_cli("conflicts", "--store", a)
    assert r.returncode == 0 and "Edited in two places" in r.stdout and "Preferred name" in r.stdout
    (conflict,) = json.loads(run_cli("conflicts", "--store", a, "--json").stdout)
    r = run_cli("resolve", "--store", a, conflict["id"], "--value", "Siân")
    assert r.returncode == 0, r.stderr
    assert run_cli("resolve", "--store", a, conflict["id"], "--mine").returncode == 7  # already resolved
    for path in (a, b):
        assert run_cli("sync", "--store", path).returncode == 0
    with Store.open(b, PASSPHRASE) as store:
        assert store.get("learners", learner)["preferred_name"] == "Siân"
        assert check_store(store) == []
    assert "No conflicts" in run_cli("conflicts", "--store", b).stdout


def test_exit_codes_of_what_can_go_wrong(tmp_path, server):
    path = tmp_path / "a.vsm"
    new_store(path, learners=1)
    r = run_cli("sync", "--store", path)
    assert r.returncode == 2 and "not enrolled" in r.stderr
    r = run_cli("enrol", "--store", path, "--server", "http://192.0.2.1:8765", "--code", "X")
    assert r.returncode == 2 and "http://" in r.stderr
    r = run_cli("enrol", "--store", path, "--server", server.url, "--code", "AAAA-BBBB-CCCC")
    assert r.returncode == 7 and "enrolment code" in r.stderr
    r = run_cli("enrol", "--store", path, "--server", f"http://127.0.0.1:{free_port()}", "--code", "AAAA-BBBB-CCCC")
    assert r.returncode == 9 and "Cannot reach the server" in r.stderr and "Traceback" not in r.stderr
    assert run_cli("enrol", "--store", path, "--server", server.url, "--code", server.user("ana", "mentor")).returncode == 0
    # A web page instead of the server (a captive portal): exit 10, the store untouched.
    class Portal(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = b"<html><body>Sign in to the hotel Wi-Fi</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    portal = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    try:
        with Store.open(path, PASSPHRASE) as store:
            store.conn.execute("UPDATE meta SET value = ? WHERE key = 'sync_server_url'",
                               (f"http://127.0.0.1:{portal.server_address[1]}",))
            unsent = store.conn.execute("SELECT count(*) FROM ops WHERE server_seq IS NULL").fetchone()[0]
        r = run_cli("sync", "--store", path)
        assert r.returncode == 10 and "web page" in r.stderr
        with Store.open(path, PASSPHRASE) as store:
            assert store.conn.execute("SELECT count(*) FROM ops WHERE server_seq IS NULL").fetchone()[0] == unsent
            assert check_store(store) == []
            store.conn.execute("UPDATE meta SET value = ? WHERE key = 'sync_server_url'", (server.url,))
    finally:
        portal.shutdown()
    # Revoked: exit 11, a clear message, and the unsent changes can still be exported.
    with Store.open(path, PASSPHRASE) as store:
        device_id = store.device_id
    service.revoke(server.engine, device_id)
    r = run_cli("sync", "--store", path)
    assert r.returncode == 11 and "revoked" in r.stderr and "export-json --all" in r.stderr
    assert "revoked" in run_cli("sync-status", "--store", path).stdout
    out = tmp_path / "for-admin.json"
    assert run_cli("export-json", "--store", path, "--all", "--out", out).returncode == 0
    assert json.loads(out.read_text())["ops"]
