"""A revoked laptop's unsent work reaches the server: the device says how (export-json --all for
the administrator), the administrator runs `vsm-server import-handover`, which applies only that
device's unsent changes, within its user's scope, with their original stamps and authors, reports
each change and is idempotent; the user's new device then has them. Real `serve` in a
subprocess, the real command lines, SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from vsm_desktop.store import oplog
from vsm_desktop.store.store import Store
from vsm_server import service

from conftest import PASSPHRASE, add_learner, add_review, run_cli
from sync_support import ProcessServer, backend_url, run_server_cli


def enrol(path, server, username, author):
    with Store.initialise(path, PASSPHRASE, author=author):
        pass
    code = run_server_cli("enrol-code", "--db", server.db_url, "--username", username).stdout.strip()
    r = run_cli("enrol", "--store", path, "--server", server.url, "--code", code)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_revoked_devices_unsent_changes_are_handed_over_to_a_new_device(tmp_path, backend):
    url = backend_url(backend, tmp_path, "handover")
    server = ProcessServer(url, tmp_path)
    try:
        for user, role in (("cara", "coordinator"), ("sioned", "social_worker")):
            r = run_server_cli("add-user", "--db", url, "--username", user, "--role", role)
            assert r.returncode == 0, r.stderr
        coord, laptop, new = tmp_path / "coord.vsm", tmp_path / "laptop.vsm", tmp_path / "new.vsm"
        enrol(coord, server, "cara", "Cara")
        with Store.open(coord, PASSPHRASE) as store:
            kept = add_learner(store, "L000001")
            review = add_review(store, kept)
            moved = add_learner(store, "L000002")
        assert run_cli("sync", "--store", coord).returncode == 0
        for learner in (kept, moved):
            assert run_server_cli("assign", "--db", url, "--username", "sioned", "--learner", learner).returncode == 0
        enrol(laptop, server, "sioned", "Sioned Prys")
        assert run_cli("sync", "--store", laptop).returncode == 0

        # Offline work on the laptop, then it is lost and revoked; one learner moved to another
        # social worker meanwhile.
        with Store.open(laptop, PASSPHRASE) as store:
            laptop_device = store.device_id
            store.set_field("learners", kept, "preferred_name", "Heledd")
            store.update("reviews", review, {"carer_views": "Mae'n setlo'n dda gyda'r teulu maeth"})
            target = store.create("targets", {"review_id": review, "description": "Darllen bob nos"})
            store.set_field("learners", moved, "preferred_name", "Not hers any more")
        assert run_server_cli("assign", "--db", url, "--username", "sioned", "--learner", moved,
                              "--remove").returncode == 0
        assert run_server_cli("revoke", "--db", url, "--device", laptop_device).returncode == 0
        r = run_cli("sync", "--store", laptop)
        assert r.returncode == 11 and "export-json --all" in r.stderr and "import-handover" in r.stderr
        handover = tmp_path / "handover.json"
        r = run_cli("export-json", "--store", laptop, "--all", "--out", handover)
        assert r.returncode == 0, r.stderr

        before = service.head(server.engine)
        r = run_server_cli("import-handover", "--db", url, "--file", handover, "--as", "sioned")
        assert r.returncode == 1, r.stderr            # one change was outside her scope
        lines = {line.split()[0]: line for line in r.stdout.splitlines()[1:-1]}
        assert len(lines) == 4 and sum("applied" in line for line in lines.values()) == 3
        (refused,) = [line for line in lines.values() if "refused (out_of_scope)" in line]
        assert "preferred_name" in refused and "3 applied, 1 refused." in r.stdout
        assert service.head(server.engine) == before + 3
        # Idempotent: a second run changes nothing.
        r = run_server_cli("import-handover", "--db", url, "--file", handover, "--as", "sioned")
        assert r.returncode == 1 and "3 duplicate" in r.stdout
        assert service.head(server.engine) == before + 3
        # Only a revoked device's changes, and only as its own user.
        r = run_server_cli("import-handover", "--db", url, "--file", handover, "--as", "cara")
        assert r.returncode == 1 and "another user" in r.stderr

        # Her new device has the work, stamped and authored as she made it on the laptop.
        enrol(new, server, "sioned", "Sioned Prys")
        assert run_cli("sync", "--store", new).returncode == 0
        with Store.open(new, PASSPHRASE) as store:
            assert store.get("learners", kept)["preferred_name"] == "Heledd"
            assert store.get("reviews", review)["carer_views"] == "Mae'n setlo'n dda gyda'r teulu maeth"
            assert store.get("targets", target)["description"] == "Darllen bob nos"
            authors = {(op["author"], op["device_id"]) for op in oplog.read(
                store.conn, "WHERE record_id IN (?, ?) AND field != '*'", (oplog.id_key(kept), oplog.id_key(target)))}
            assert authors == {("Sioned Prys", laptop_device)}
        assert run_cli("sync", "--store", coord).returncode == 0
        with Store.open(coord, PASSPHRASE) as store:
            assert store.get("learners", kept)["preferred_name"] == "Heledd"
            assert store.get("learners", moved)["preferred_name"] != "Not hers any more"
    finally:
        server.stop()
        server.engine.dispose()


def test_a_handover_file_that_is_not_an_export_or_of_an_active_device_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert run_server_cli("init", "--db", url, "--authority", "Cyngor Prawf").returncode == 0
    assert run_server_cli("add-user", "--db", url, "--username", "sioned", "--role", "mentor").returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    r = run_server_cli("import-handover", "--db", url, "--file", bad, "--as", "sioned")
    assert r.returncode == 2 and "not JSON" in r.stderr
    bad.write_text(json.dumps({"format": "something else"}))
    r = run_server_cli("import-handover", "--db", url, "--file", bad, "--as", "sioned")
    assert r.returncode == 1 and "not a VSM Desktop export" in r.stderr
    op = {"hlc": "001795000000000-000000-0123456789abcdef", "entity": "learners", "record_id": "a" * 32,
          "learner_id": "a" * 32, "field": "preferred_name", "value": "X", "prev_hlc": None,
          "device_id": "0123456789abcdef", "author": "X", "server_seq": None, "held": None}
    bad.write_text(json.dumps({"format": "vsm-desktop-export", "format_version": 2, "ops": [op]}))
    r = run_server_cli("import-handover", "--db", url, "--file", bad, "--as", "sioned")
    assert r.returncode == 1 and "no device 0123456789abcdef" in r.stderr
