"""The content file beside the store (vsm_desktop.store.contentfile) under concurrency and removal:
real SQLCipher files, real threads."""

from __future__ import annotations

import hashlib
import os
import threading

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from vsm_desktop.attachments import content, sync as attachment_sync
from vsm_desktop.store import connection, contentfile
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, add_learner
from test_migrations import build_store_at


def old_store_with_content(path, data: bytes) -> str:
    """A store as the version before the content file kept it (schema 12): content inside."""
    build_store_at(path, 12)
    sha = hashlib.sha256(data).hexdigest()
    conn = connection.connect(path, PASSPHRASE)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO blobs(sha256, size, complete, uploaded) VALUES (?, ?, 1, 1)", (sha, len(data)))
    conn.execute("INSERT INTO blob_chunks(sha256, seq, data) VALUES (?, 0, ?)", (sha, data))
    conn.execute("COMMIT")
    conn.close()
    return sha


def test_two_openers_of_a_store_without_a_content_key_agree_on_one(tmp_path, monkeypatch):
    path = tmp_path / "hen.vsm"
    data = os.urandom(5000)
    sha = old_store_with_content(path, data)
    both_read_none = threading.Barrier(2, timeout=20)
    original = contentfile.secrets.token_hex

    def token_hex(n):   # each opener has read "no key yet" before either writes one
        both_read_none.wait()
        return original(n)

    monkeypatch.setattr(contentfile.secrets, "token_hex", token_hex)
    results: dict[str, object] = {}

    def run(name):
        try:
            results[name] = Store.open(path, PASSPHRASE)
        except BaseException as e:   # noqa: BLE001 - reported below
            results[name] = e

    threads = [threading.Thread(target=run, args=(n,)) for n in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert all(isinstance(r, Store) for r in results.values()), results
        for store in results.values():
            assert b"".join(content.chunks(store.conn, sha)) == data
    finally:
        for r in results.values():
            if isinstance(r, Store):
                r.close()
    with Store.open(path, PASSPHRASE) as store:
        assert b"".join(content.chunks(store.conn, sha)) == data


def test_an_opener_that_found_old_content_while_another_moved_it_opens(tmp_path, monkeypatch):
    path = tmp_path / "hen.vsm"
    data = os.urandom(5000)
    sha = old_store_with_content(path, data)
    original = contentfile._in_store
    found, go_on = threading.Event(), threading.Event()
    waiter = []

    def in_store(conn, name):
        answer = original(conn, name)
        if not waiter and threading.current_thread().name == "late":
            waiter.append(1)
            found.set()          # "old content is there" ...
            go_on.wait(30)       # ... but another opener moves it and migrates meanwhile
        return answer

    monkeypatch.setattr(contentfile, "_in_store", in_store)
    result: dict[str, object] = {}

    def late():
        try:
            result["store"] = Store.open(path, PASSPHRASE)
        except BaseException as e:   # noqa: BLE001 - reported below
            result["store"] = e

    t = threading.Thread(target=late, name="late")
    t.start()
    assert found.wait(30)
    with Store.open(path, PASSPHRASE) as first:
        assert b"".join(content.chunks(first.conn, sha)) == data
    go_on.set()
    t.join(60)
    store = result["store"]
    assert isinstance(store, Store), store
    with store:
        assert b"".join(content.chunks(store.conn, sha)) == data


def decrypted_pages(path, key_hex: str) -> bytes:
    """The content file's pages decrypted by hand (SQLCipher 4: AES-256-CBC, a raw key used as
    it is, each page's IV in its reserved bytes), free pages included, as a reader of the file would."""
    key = bytes.fromhex(key_hex)
    raw = path.read_bytes()
    reserve = 16 + 32   # IV and HMAC-SHA256
    out = []
    for start in range(0, len(raw), contentfile.PAGE_SIZE):
        page = raw[start:start + contentfile.PAGE_SIZE]
        if len(page) < contentfile.PAGE_SIZE:
            break
        body_start = 16 if start == 0 else 0   # page 1 begins with the salt
        iv = page[-reserve:-reserve + 16]
        body = page[body_start:-reserve]
        dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        out.append(dec.update(body) + dec.finalize())
    return b"".join(out)


def test_content_removed_by_a_sync_is_zeroed_in_the_content_file(tmp_path):
    path = tmp_path / "s.vsm"
    marker = b"Llythyr CAMHS am Gwenllian " * 4000
    with Store.initialise(path, PASSPHRASE, author="Test Author") as store:
        learner = add_learner(store)
        attachment = store.get("attachments", content.attach(store, learner, marker, kind="letter", name="llythyr.txt"))
        key = store.conn.execute("SELECT value FROM meta WHERE key = 'content_key'").fetchone()[0]
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # The hand decryption reads what SQLCipher wrote.
    assert marker[:200] in decrypted_pages(contentfile.path_for(path), key)
    # A sync's connection (a store opened afresh) had fetched part of it when the server lost it.
    with Store.open(path, PASSPHRASE) as store:
        with store.transaction():
            store.conn.execute("UPDATE blobs SET complete = 0 WHERE sha256 = ?", (attachment["sha256"],))
        attachment_sync._mark_missing(store, attachment["sha256"], attachment["size"])
        assert store.conn.execute("SELECT count(*) FROM blob_chunks").fetchone()[0] == 0
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert marker[:200] not in decrypted_pages(contentfile.path_for(path), key)


def test_check_of_a_store_read_without_its_content_file_reports_no_damaged_page(tmp_path):
    """Read-only, a store whose content file is not there reads an empty one in memory, which
    has no encrypted pages to check (a store copied without it, or a pack's worker)."""
    from vsm_desktop.store.check import check_store

    path = tmp_path / "s.vsm"
    with Store.initialise(path, PASSPHRASE, author="Test Author") as store:
        add_learner(store)
    for side in contentfile.side_files(path):
        side.unlink(missing_ok=True)
    with Store.open(path, PASSPHRASE, read_only=True) as store:
        assert not [p for p in check_store(store) if "Encrypted page" in p or "Database structure" in p]


def test_a_store_moved_without_its_content_file_opens_and_check_says_what_is_missing(tmp_path):
    """Renamed or copied without `NAME.vsm-content`: the records open, an empty content file is
    made, and the attachments without content are not lost silently: `check` names the file."""
    from vsm_desktop.store.check import check_store

    from attachment_files import pdf_bytes, write

    first = tmp_path / "s.vsm"
    with Store.initialise(first, PASSPHRASE, author="Test Author") as store:
        learner = add_learner(store)
        content.attach(store, learner, write(tmp_path / "cdu.pdf", pdf_bytes("CDU")), kind="idp")
        assert check_store(store) == []
    moved = tmp_path / "moved.vsm"
    first.rename(moved)   # the content file stays behind under its old name
    with Store.open(moved, PASSPHRASE) as store:
        [item] = content.listing(store, learner)
        assert item["state"] == content.ARRIVING
        problems = check_store(store)
        assert len(problems) == 1
        assert "1 attachment has no content here" in problems[0]
        assert str(contentfile.path_for(moved)) in problems[0]
    contentfile.path_for(first).rename(contentfile.path_for(moved))   # put back as the message says
    assert not (tmp_path / "moved.vsm-content-wal").exists()   # closing folded it in: nothing to mix up
    with Store.open(moved, PASSPHRASE) as store:
        [item] = content.listing(store, learner)
        assert item["state"] == content.HERE
        assert check_store(store) == []
