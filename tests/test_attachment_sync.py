"""Attachments' content through a real sync server on 127.0.0.1 (SQLite, PostgreSQL, a files
folder): to a second device in scope and not to one out of scope (403 for the content too),
resuming an interrupted download without duplicate chunks, refusing content whose hash differs
(exit 10, nothing kept), and a file the server no longer has."""

from __future__ import annotations

import hashlib
import sys

import pytest
import requests
from sqlalchemy import delete, update

from vsm_desktop.attachments import content
from vsm_desktop.attachments import sync as files_sync
from vsm_desktop.errors import NetworkError, ServerError
from vsm_desktop.sync import protocol as P
from vsm_server import db

from attachment_files import image_bytes, pdf_bytes, write
from conftest import add_learner, run_cli
from sync_support import ThreadServer, backend_url, device


@pytest.fixture(params=["sqlite", "postgresql", "files_dir"])
def server(request, tmp_path, monkeypatch):
    if request.param == "files_dir":
        monkeypatch.setenv("VSM_SERVER_FILES_DIR", str(tmp_path / "server-files"))
    url = backend_url("sqlite" if request.param == "files_dir" else request.param, tmp_path,
                      f"att_{request.node.name[-12:].strip('[]')}".replace("-", "_").lower())
    db.migrate(db.make_engine(url))
    s = ThreadServer(url)
    yield s
    s.stop()


def token(dev) -> str:
    return dev.store.conn.execute("SELECT value FROM meta WHERE key = 'sync_device_token'").fetchone()[0]


def chunk_count(store, sha: str) -> int:
    return store.conn.execute("SELECT count(*) FROM blob_chunks WHERE sha256 = ?", (sha,)).fetchone()[0]


def test_content_reaches_devices_in_scope_only(tmp_path, server):
    a = device(tmp_path, server, "ana")
    b = device(tmp_path, server, "bryn")
    learner = add_learner(a.store)
    big = pdf_bytes(pad=9_500_000)   # three transfers of 4 MiB
    photo = image_bytes("JPEG")
    big_id = content.attach(a.store, learner, write(tmp_path / "adroddiad.pdf", big), kind="report")
    content.attach(a.store, learner, write(tmp_path / "llun.jpg", photo), kind="photo", title="Prosiect")
    result = a.sync()
    assert result.files.sent == 2
    # A mentor whose caseload does not hold the learner sees neither the record nor its content.
    c = device(tmp_path, server, "carys", role="mentor")
    b_result = b.sync()
    assert b_result.files.fetched == 2
    items = {i["title"]: i for i in content.listing(b.store, learner)}
    assert items["adroddiad"]["state"] == content.HERE and items["adroddiad"]["sha256"] == hashlib.sha256(big).hexdigest()
    assert content.read_bytes(b.store, items["adroddiad"]) == big
    assert content.read_bytes(b.store, items["Prosiect"]) == photo
    out = run_cli("extract", "--store", b.path, big_id, "--out", tmp_path / "allan.pdf")
    b.close()
    assert out.returncode == 0 and (tmp_path / "allan.pdf").read_bytes() == big
    c.sync()
    assert c.store.conn.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    sha = hashlib.sha256(big).hexdigest()
    headers = {"Authorization": f"Bearer {token(c)}"}
    assert requests.get(f"{server.url}/v1/files/{sha}", headers=headers, timeout=10).status_code == 403
    assert requests.get(f"{server.url}/v1/files/{sha}/chunks/0", headers=headers, timeout=10).status_code == 403
    r = requests.put(f"{server.url}/v1/files/{sha}/chunks/0", data=b"x" * 10, timeout=10,
                     headers={**headers, "Content-Type": "application/octet-stream", P.HEADER_FILE_SIZE: "10"})
    assert r.status_code == 403
    # The same bytes again: the server has them, nothing is sent twice.
    again = content.attach(a.store, learner, write(tmp_path / "copi.pdf", big), kind="other")
    assert again and a.sync().files.sent == 0
    a.close()
    c.close()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def twenty_megabytes_on_the_server(tmp_path, server):
    """Two devices; the first has attached a 20 MB file (five transfers) and synced it."""
    a = device(tmp_path, server, "ana")
    b = device(tmp_path, server, "bryn")
    learner = add_learner(a.store)
    data = pdf_bytes(pad=20_000_000)
    content.attach(a.store, learner, write(tmp_path / "cdu.pdf", data), kind="idp")
    a.sync()
    return a, b, learner, data


def test_an_interrupted_download_resumes_without_duplicate_chunks(tmp_path, server, monkeypatch):
    a, b, learner, data = twenty_megabytes_on_the_server(tmp_path, server)
    sha = hashlib.sha256(data).hexdigest()
    asked: list[str] = []
    real = files_sync.Transport.get_bytes

    dropped = []

    def flaky(self, path):
        asked.append(path)
        if len(asked) == 3 and not dropped:
            dropped.append(path)
            raise NetworkError("the connection dropped")
        return real(self, path)

    monkeypatch.setattr(files_sync.Transport, "get_bytes", flaky)
    with pytest.raises(NetworkError):
        b.sync()
    [item] = content.listing(b.store, learner)
    assert item["state"] == content.ARRIVING       # the record is here and can be opened
    assert chunk_count(b.store, sha) == 2 * files_sync.PER_TRANSFER
    asked.clear()
    assert b.sync().files.fetched == 1
    assert [p.rsplit("/", 1)[1] for p in asked] == ["2", "3", "4"]   # only what was not here
    assert chunk_count(b.store, sha) == -(-len(data) // content.CHUNK)
    assert content.read_bytes(b.store, content.listing(b.store, learner)[0]) == data
    a.close()
    b.close()


KILL_FETCH = """
import sys, time
from vsm_desktop.attachments import sync
from vsm_desktop.cli import main

real = sync._write

def write(store, sha, n, data, **kw):
    real(store, sha, n, data, **kw)
    if n == 1:   # two transfers of five committed, the third on its way
        print("half", flush=True)
        time.sleep(60)

sync._write = write
main(["sync", "--store", sys.argv[1]])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_sigkill_during_a_download_keeps_whole_transfers_only_and_the_next_sync_finishes(tmp_path, server):
    import os
    import signal
    import subprocess

    from conftest import PASSPHRASE, REPO, cli_env
    from vsm_desktop.store.check import check_store
    from vsm_desktop.store.store import Store

    a, b, learner, data = twenty_megabytes_on_the_server(tmp_path, server)
    sha = hashlib.sha256(data).hexdigest()
    path = b.path
    b.close()
    worker = subprocess.Popen([sys.executable, "-c", KILL_FETCH, str(path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=cli_env(), cwd=REPO)
    assert worker.stdout.readline() == b"half\n", worker.stderr.read()
    os.kill(worker.pid, signal.SIGKILL)
    worker.communicate()
    with Store.open(path, PASSPHRASE) as store:
        [item] = content.listing(store, learner)
        assert item["state"] == content.ARRIVING
        assert chunk_count(store, sha) == 2 * files_sync.PER_TRANSFER
        assert check_store(store) == []
    result = run_cli("sync", "--store", path)
    assert result.returncode == 0, result.stderr
    with Store.open(path, PASSPHRASE) as store:
        assert chunk_count(store, sha) == -(-len(data) // content.CHUNK)
        assert content.read_bytes(store, content.listing(store, learner)[0]) == data
        assert check_store(store) == []
    a.close()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_content_whose_hash_differs_is_refused_and_not_kept(tmp_path, server):
    a = device(tmp_path, server, "ana")
    b = device(tmp_path, server, "bryn")
    learner = add_learner(a.store)
    data = pdf_bytes(pad=5_000_000)
    content.attach(a.store, learner, write(tmp_path / "llythyr.pdf", data), kind="letter")
    a.sync()
    sha = hashlib.sha256(data).hexdigest()
    with server.engine.begin() as conn:   # the server's copy goes bad (same length, other bytes)
        conn.execute(update(db.file_chunks).where(db.file_chunks.c.seq == 1).values(data=bytes(len(data) - files_sync.TRANSFER)))
    path = b.path
    b.close()
    result = run_cli("sync", "--store", path)
    assert result.returncode == 10, result.stderr
    assert "does not match" in result.stderr and "Traceback" not in result.stderr
    from vsm_desktop.store.store import Store
    from conftest import PASSPHRASE

    with Store.open(path, PASSPHRASE) as store:
        assert store.get("learners", learner) is not None       # the records came
        assert chunk_count(store, sha) == 0
        assert store.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0
        [item] = content.listing(store, learner)
        assert item["state"] == content.ARRIVING
    a.close()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_same_file_attached_here_while_it_downloads_is_kept_whole(tmp_path, server, monkeypatch):
    # The app's own connection attaches the file a sync on another connection is fetching: the
    # download must neither cut what was attached nor fail on the chunks it finds already there.
    from conftest import PASSPHRASE
    from vsm_desktop.store.store import Store

    a, b, learner, data = twenty_megabytes_on_the_server(tmp_path, server)
    real = files_sync.Transport.get_bytes
    asked: list[str] = []

    def meanwhile(self, path):
        asked.append(path)
        if len(asked) == 3:   # two transfers written, the third on its way
            with Store.open(b.path, PASSPHRASE) as other:
                content.attach(other, learner, write(tmp_path / "yr-un.pdf", data), kind="report")
        return real(self, path)

    monkeypatch.setattr(files_sync.Transport, "get_bytes", meanwhile)
    b.sync()
    assert len(asked) >= 3
    assert chunk_count(b.store, sha := hashlib.sha256(data).hexdigest()) == -(-len(data) // content.CHUNK)
    for item in content.listing(b.store, learner):
        assert item["sha256"] == sha and item["state"] == content.HERE
        assert content.read_bytes(b.store, item) == data
    a.close()
    b.close()


def test_a_file_the_server_no_longer_has_is_marked_and_the_sync_goes_on(tmp_path, server, monkeypatch):
    a = device(tmp_path, server, "ana")
    b = device(tmp_path, server, "bryn")
    learner = add_learner(a.store)
    gone = pdf_bytes("Hen lythyr")
    kept = image_bytes("PNG")
    content.attach(a.store, learner, write(tmp_path / "hen.pdf", gone), kind="letter")
    content.attach(a.store, learner, write(tmp_path / "llun.png", kept), kind="photo")
    a.sync()
    with server.engine.begin() as conn:   # lost by the server (a restore from an older backup, say)
        conn.execute(delete(db.file_chunks).where(db.file_chunks.c.sha256 == hashlib.sha256(gone).hexdigest()))
    result = b.sync()
    assert result.files.missing == 1 and result.files.fetched == 1
    states = {i["kind"]: i["state"] for i in content.listing(b.store, learner)}
    assert states == {"letter": content.MISSING, "photo": content.HERE}
    with pytest.raises(Exception, match="no longer on the sync server"):
        content.read_bytes(b.store, [i for i in content.listing(b.store, learner) if i["kind"] == "letter"][0])
    a.close()
    b.close()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_server_has_its_own_size_limit(tmp_path, server, monkeypatch):
    monkeypatch.setenv("VSM_SERVER_ATTACHMENT_MAX_MB", "1")
    a = device(tmp_path, server, "ana")
    b = device(tmp_path, server, "bryn")
    learner = add_learner(a.store)
    content.attach(a.store, learner, write(tmp_path / "mawr.pdf", pdf_bytes(pad=1_500_000)), kind="report")
    assert a.sync().files.sent == 0
    assert b.sync().files.waiting == 1
    assert content.listing(b.store, learner)[0]["state"] == content.ARRIVING
    a.close()
    b.close()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_an_attachment_to_a_review_finalised_elsewhere_is_held_and_its_file_kept(tmp_path, server):
    import datetime as dt

    from conftest import add_review

    a = device(tmp_path, server, "ana")
    b = device(tmp_path, server, "bryn")
    learner = add_learner(a.store)
    review = add_review(a.store, learner, meeting_date="2026-11-20")
    a.sync()
    b.sync()
    b.store.finalise_review(review, dt.datetime(2026, 11, 20, 16, tzinfo=dt.timezone.utc))
    b.sync()
    data = pdf_bytes("Hwyr")
    content.attach(a.store, learner, write(tmp_path / "hwyr.pdf", data), kind="report", review_id=review)
    result = a.sync()
    assert result.held >= 1 and result.files.sent == 0
    with server.engine.connect() as conn:
        assert conn.execute(db.files.select()).first() is None
    sha = hashlib.sha256(data).hexdigest()
    assert chunk_count(a.store, sha) == 1          # kept for the person to carry into a draft
    assert b.sync().files.fetched == 0
    a.close()
    b.close()
