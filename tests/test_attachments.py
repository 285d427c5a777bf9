"""Attachments in real encrypted stores: attach, list, extract, detach, through the core and the
command line; files refused by their content; nothing in plaintext on disk; nothing partial after
a kill or a full disk."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from vsm_desktop.attachments import content
from vsm_desktop.attachments.detect import FileRefused
from vsm_desktop.domain.model import ImmutableError
from vsm_desktop.store.check import check_store
from vsm_desktop.store.store import Store

from attachment_files import (docx_bytes, encrypted_pdf_bytes, image_bytes, odt_bytes, pdf_bytes, write)
from conftest import PASSPHRASE, REPO, add_learner, add_review, cli_env, run_cli

NOTE = "Mae Gwenllïan wrth ei bodd yn nofio ac yn canu yn y côr bob dydd Iau"


def blob_rows(store) -> tuple[int, int]:
    return (store.conn.execute("SELECT count(*) FROM blobs").fetchone()[0],
            store.conn.execute("SELECT count(*) FROM blob_chunks").fetchone()[0])


def test_round_trip_of_content_and_hash(store, tmp_path):
    learner = add_learner(store)
    data = pdf_bytes(pad=3_000_000)   # three chunks and a bit
    source = write(tmp_path / "tystysgrif.pdf", data)
    attachment_id = content.attach(store, learner, source, kind="certificate", title="Tystysgrif nofio",
                                   title_lang="cy")
    item = store.get("attachments", attachment_id)
    assert item["sha256"] == hashlib.sha256(data).hexdigest() and item["size"] == len(data)
    assert item["mime"] == "application/pdf" and item["added_by"] == "Test Author"
    assert blob_rows(store) == (1, 3)
    out = content.extract(store, item, tmp_path / "out.pdf")
    assert out.read_bytes() == data
    assert content.read_bytes(store, item) == data
    [listed] = content.listing(store, learner)
    assert listed["state"] == content.HERE and listed["title"] == "Tystysgrif nofio"
    # The same file twice: two records, one copy of the content.
    content.attach(store, learner, source, kind="other")
    assert blob_rows(store) == (1, 3) and len(content.listing(store, learner)) == 2
    # The history shows it as a change like any other.
    assert any(change["entity"] == "attachments" for change in store.audit(learner))
    assert check_store(store) == []


@pytest.mark.parametrize("maker, mime", [
    (lambda: image_bytes("PNG"), "image/png"), (lambda: image_bytes("JPEG"), "image/jpeg"),
    (lambda: image_bytes("WEBP"), "image/webp"), (docx_bytes, content.detect.DOCX), (odt_bytes, content.detect.ODT),
    (lambda: NOTE.encode(), "text/plain"),
])
def test_accepted_types_are_recognised_by_content(store, tmp_path, maker, mime):
    learner = add_learner(store)
    source = write(tmp_path / "file.bin", maker())   # the name says nothing
    item = store.get("attachments", content.attach(store, learner, source, kind="other"))
    assert item["mime"] == mime


@pytest.mark.parametrize("data, reason", [
    (b"MZ\x90\x00" + os.urandom(2000), "a program"),
    (b"\x7fELF" + os.urandom(2000), "a program"),
    (pdf_bytes()[:400], "damaged"),
    (encrypted_pdf_bytes(), "password"),
    (image_bytes("PNG")[:60] + b"\x00" * 40, "image is damaged"),
    (b"PK\x03\x04" + os.urandom(200), "damaged"),
    (os.urandom(4000), "not a kind of file"),
    (b"", "empty"),
])
def test_bad_files_are_refused_with_the_reason_and_nothing_stored(store, tmp_path, data, reason):
    learner = add_learner(store)
    source = write(tmp_path / "adroddiad.pdf", data)
    with pytest.raises(FileRefused) as refused:
        content.attach(store, learner, source, kind="report")
    assert "adroddiad.pdf" in str(refused.value) and reason in str(refused.value)
    assert content.listing(store, learner) == [] and blob_rows(store) == (0, 0)
    assert store.counts()["ops"] == 1   # the learner's creation alone


def test_the_size_limit_comes_from_the_machine_settings(tmp_path):
    machine = tmp_path / "machine.json"
    machine.write_text(json.dumps({"attachment_max_mb": 0.5}))
    store = tmp_path / "s.vsm"
    env = cli_env(VSM_MACHINE_SETTINGS=str(machine))
    assert run_cli("demo", "--store", store, "--learners", "2", env=env).returncode == 0
    big = write(tmp_path / "big.pdf", pdf_bytes(pad=600_000))
    result = run_cli("attach", "--store", store, "--learner", "L000001", "--kind", "report", big, env=env)
    assert result.returncode == 16, result.stderr
    assert "larger than the limit of 500 kB" in result.stderr and "Traceback" not in result.stderr
    small = write(tmp_path / "small.pdf", pdf_bytes(pad=300_000))
    result = run_cli("attach", "--store", store, "--learner", "L000001", "--kind", "report", small, env=env)
    assert result.returncode == 0, result.stderr


def test_a_finalised_review_refuses_attachments_the_learner_does_not(store, tmp_path):
    learner = add_learner(store)
    review = add_review(store, learner, meeting_date="2026-11-20")
    source = write(tmp_path / "cdu.pdf", pdf_bytes())
    draft_item = content.attach(store, learner, source, kind="idp", review_id=review)
    store.finalise_review(review)
    with pytest.raises(ImmutableError):
        content.attach(store, learner, source, kind="idp", review_id=review)
    with pytest.raises(ImmutableError):
        content.detach(store, draft_item)
    content.attach(store, learner, source, kind="idp")
    assert len(content.listing(store, learner)) == 2


def test_detach_removes_the_content_once_nothing_refers_to_it(store, tmp_path):
    learner = add_learner(store)
    source = write(tmp_path / "llun.png", image_bytes())
    first = content.attach(store, learner, source, kind="photo")
    second = content.attach(store, learner, source, kind="photo")
    content.detach(store, first)
    assert blob_rows(store) == (1, 1)
    content.detach(store, second)
    assert blob_rows(store) == (0, 0) and content.listing(store, learner) == []
    assert store.get("attachments", second)["deleted"] is True


def test_no_plaintext_of_an_attached_text_file_on_disk(store_path, tmp_path):
    store = Store.initialise(store_path, PASSPHRASE, author="Test Author")
    learner = add_learner(store)
    marker = (NOTE + "\n") * 200
    content.attach(store, learner, write(tmp_path / "llythyr.txt", marker.encode()), kind="letter",
                   title="Llythyr gan CAMHS i Gwenllïan")
    # The store, its content file (vsm_desktop.store.contentfile) and the -wal and -shm of each.
    files = [p for p in store_path.parent.iterdir() if p.name.startswith(store_path.name)]
    assert {p.name[len(store_path.name):] for p in files} >= {"", "-wal", "-content", "-content-wal"}
    needles = [NOTE.encode(), NOTE.encode("utf-16-le"), b"wrth ei bodd yn nofio", b"Llythyr gan CAMHS"]
    for path in files:
        raw = path.read_bytes()
        assert not any(n in raw for n in needles), path.name
    store.close()


def test_the_command_line(tmp_path):
    store = tmp_path / "s.vsm"
    assert run_cli("demo", "--store", store, "--learners", "2").returncode == 0
    note = write(tmp_path / "nodyn.txt", NOTE.encode())
    result = run_cli("attach", "--store", store, "--learner", "L000001", "--kind", "letter", "--title", "Nodyn",
                     "--title-lang", "cy", note)
    assert result.returncode == 0, result.stderr
    result = run_cli("attachments", "--store", store, "--learner", "L000001", "--json")
    [item] = json.loads(result.stdout)
    assert item["title"] == "Nodyn" and item["title_lang"] == "cy" and item["kind"] == "letter"
    assert item["sha256"] == hashlib.sha256(NOTE.encode()).hexdigest() and item["state"] == "here"
    listing = run_cli("--lang", "cy", "attachments", "--store", store, "--learner", "L000001")
    assert "Nodyn" in listing.stdout and "Llythyr" in listing.stdout
    out = tmp_path / "allan.txt"
    result = run_cli("extract", "--store", store, item["id"][:8], "--out", out)
    assert result.returncode == 0 and out.read_text() == NOTE and "not encrypted" in result.stdout
    result = run_cli("extract", "--store", store, "ffffffff", "--out", out)
    assert result.returncode == 2
    renamed = write(tmp_path / "cdu.pdf", b"\x7fELF" + os.urandom(3000))
    result = run_cli("attach", "--store", store, "--learner", "L000001", "--kind", "idp", renamed)
    assert result.returncode == 16 and "program" in result.stderr
    assert run_cli("detach", "--store", store, item["id"]).returncode == 0
    result = run_cli("attachments", "--store", store, "--learner", "L000001", "--json")
    assert json.loads(result.stdout) == []


KILL_WORKER = textwrap.dedent("""
    import os, sys, time
    from vsm_desktop.attachments import content
    from vsm_desktop.store.store import Store

    store = Store.open(sys.argv[1], os.environ["VSM_PASSPHRASE"])
    written = []
    real = content._write_blob

    def slow(conn, f, scanned, name):
        class Slow:
            def __getattr__(self, attr):
                return getattr(conn, attr)
            def execute(self, sql, params=()):
                result = conn.execute(sql, params)
                if sql.startswith("INSERT INTO blob_chunks"):
                    written.append(1)
                    if len(written) == 3:
                        print("half", flush=True)
                        time.sleep(60)
                return result
        return real(Slow(), f, scanned, name)

    content._write_blob = slow
    content.attach(store, store.resolve_learner("L000001"), sys.argv[2], kind="report")
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_during_attach_leaves_nothing_partial(tmp_path):
    path = tmp_path / "s.vsm"
    with Store.initialise(path, PASSPHRASE, author="Test Author") as store:
        add_learner(store)
    source = write(tmp_path / "mawr.pdf", pdf_bytes(pad=8_000_000))
    worker = subprocess.Popen([sys.executable, "-c", KILL_WORKER, str(path), str(source)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=cli_env(), cwd=REPO)
    assert worker.stdout.readline() == b"half\n", worker.stderr.read()
    os.kill(worker.pid, signal.SIGKILL)
    worker.communicate()
    with Store.open(path, PASSPHRASE) as store:
        assert store.conn.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
        assert blob_rows(store) == (0, 0)
        assert check_store(store) == []
        content.attach(store, store.resolve_learner("L000001"), source, kind="report")   # and it can be done again
        assert blob_rows(store) == (1, 8)


def test_a_full_disk_during_attach_keeps_nothing_and_exits_6(tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        store = folder / "s.vsm"
        assert run_cli("demo", "--store", store, "--learners", "2").returncode == 0
        source = write(tmp_path / "mawr.pdf", pdf_bytes(pad=9_000_000))
        result = run_cli("attach", "--store", store, "--learner", "L000001", "--kind", "report", source)
        assert result.returncode == 6, result.stderr
        assert "disk is full" in result.stderr and "Traceback" not in result.stderr
        result = run_cli("attachments", "--store", store, "--learner", "L000001", "--json")
        assert result.returncode == 0 and json.loads(result.stdout) == []
        assert run_cli("check", "--store", store).returncode == 0
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_subject_access_zip_round_trip_into_an_empty_store(tmp_path):
    import zipfile

    first, second = tmp_path / "a.vsm", tmp_path / "b.vsm"
    with Store.initialise(first, PASSPHRASE, author="Test Author") as store:
        learner = add_learner(store)
        content.attach(store, learner, write(tmp_path / "llun.png", image_bytes()), kind="photo")
        content.attach(store, learner, write(tmp_path / "cdu.pdf", pdf_bytes(pad=2_500_000)), kind="idp")
        expected = {i["sha256"]: i for i in content.listing(store, learner)}
    out = tmp_path / "mynediad.zip"
    result = run_cli("export-json", "--store", first, "--learner", "L000001", "--with-attachments", "--out", out)
    assert result.returncode == 0 and "2 files" in result.stdout, result.stderr
    with zipfile.ZipFile(out) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert {f["sha256"] for f in manifest["files"]} == set(expected)
        for f in manifest["files"]:
            assert hashlib.sha256(z.read(f["path"])).hexdigest() == f["sha256"]
    Store.initialise(second, PASSPHRASE, author="Someone Else").close()
    # A zip whose file does not match its manifest is refused whole.
    bad = tmp_path / "drwg.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data[:-1] + b"!" if info.filename.endswith(".png") else data)
    result = run_cli("import-json", "--store", second, bad)
    assert result.returncode == 7 and "fingerprint" in result.stderr
    result = run_cli("import-json", "--store", second, out)
    assert result.returncode == 0, result.stderr
    with Store.open(second, PASSPHRASE) as store:
        learner = store.resolve_learner("L000001")
        items = content.listing(store, learner)
        assert {i["sha256"] for i in items} == set(expected) and all(i["state"] == content.HERE for i in items)
        for item in items:
            assert hashlib.sha256(content.read_bytes(store, item)).hexdigest() == item["sha256"]
        assert check_store(store) == []


def test_check_finds_content_that_does_not_add_up(store, tmp_path):
    learner = add_learner(store)
    content.attach(store, learner, write(tmp_path / "cdu.pdf", pdf_bytes(pad=2_500_000)), kind="idp")
    assert check_store(store) == []
    store.conn.execute("DELETE FROM blob_chunks WHERE seq = 1")
    [problem] = check_store(store)
    assert "incomplete" in problem


def test_content_lives_in_the_content_file_keyed_from_the_store_through_a_passphrase_change(tmp_path):
    from vsm_desktop.store import contentfile
    from vsm_desktop.store.store import rekey

    path = tmp_path / "s.vsm"
    data = pdf_bytes(pad=3_000_000)
    with Store.initialise(path, PASSPHRASE, author="Test Author") as store:
        learner = add_learner(store)
        attachment = store.get("attachments", content.attach(store, learner, write(tmp_path / "cdu.pdf", data),
                                                             kind="idp"))
        assert store.conn.execute("SELECT count(*) FROM main.sqlite_master WHERE name LIKE 'blob%'").fetchone()[0] == 0
        assert int(store.conn.execute("PRAGMA content.page_size").fetchone()[0]) == contentfile.PAGE_SIZE
    side = contentfile.path_for(path)
    assert side.stat().st_size > len(data) and side.stat().st_mode & 0o077 == 0
    rekey(path, PASSPHRASE, "a new passphrase for the test")
    with Store.open(path, "a new passphrase for the test") as store:
        assert content.read_bytes(store, attachment) == data
        assert check_store(store) == []
    # Its key is the store's: another store's content file is refused, not read as empty.
    with Store.initialise(tmp_path / "arall.vsm", PASSPHRASE, author="Someone Else"):
        pass
    os.replace(side, contentfile.path_for(tmp_path / "arall.vsm"))
    from vsm_desktop.errors import StoreDamaged

    with pytest.raises(StoreDamaged, match="does not belong to this store"):
        Store.open(tmp_path / "arall.vsm", PASSPHRASE)
    with pytest.raises(Exception, match="already exists"):   # a new store never takes over a content file
        Store.initialise(tmp_path / "arall.vsm", PASSPHRASE, author="Someone Else")


def test_content_a_store_kept_inside_itself_moves_to_the_content_file(tmp_path):
    from test_migrations import build_store_at
    from vsm_desktop.store import contentfile

    path = tmp_path / "hen.vsm"
    build_store_at(path, 11)   # the version that kept content inside the store
    data = os.urandom(content.CHUNK + 1000)
    sha = hashlib.sha256(data).hexdigest()
    from vsm_desktop.store import connection

    conn = connection.connect(path, PASSPHRASE)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO attachments(id, learner_id, kind, title, added_on, size, sha256, mime) VALUES"
                 " ('e0', ?, 'other', 'Hen', '2026-01-05', ?, ?, 'application/pdf')", ("b" * 32, len(data), sha))
    conn.execute("INSERT INTO blobs(sha256, size, complete, uploaded) VALUES (?, ?, 1, 1)", (sha, len(data)))
    conn.executemany("INSERT INTO blob_chunks(sha256, seq, data) VALUES (?, ?, ?)",
                     [(sha, 0, data[:content.CHUNK]), (sha, 1, data[content.CHUNK:])])
    conn.execute("COMMIT")
    conn.close()
    assert not contentfile.path_for(path).exists()
    with Store.open(path, PASSPHRASE) as store:
        assert store.conn.execute("SELECT count(*) FROM main.sqlite_master WHERE name LIKE 'blob%'").fetchone()[0] == 0
        assert store.conn.execute("SELECT uploaded FROM content.blobs").fetchone()[0] == 1
        assert b"".join(content.chunks(store.conn, sha)) == data
    assert contentfile.path_for(path).exists()


def test_content_being_attached_is_kept_from_a_clean_up_until_its_grace_has_passed(store, tmp_path):
    import io

    data = NOTE.encode()
    scanned = content.scan(io.BytesIO(data), "nodyn.txt", 1_000_000)
    with store.transaction():   # what a crash leaves between the content and its record
        content._write_blob(store.conn, io.BytesIO(data), scanned, "nodyn.txt")
    assert content.purge_unreferenced(store) == 0 and blob_rows(store) == (1, 1)
    store.conn.execute("UPDATE blobs SET attaching = attaching - ?", (content.ATTACHING_GRACE_S + 1,))
    assert content.purge_unreferenced(store) == 1 and blob_rows(store) == (0, 0)


def test_check_finds_a_damaged_page_of_the_content_file(tmp_path):
    from vsm_desktop.store import contentfile

    path = tmp_path / "s.vsm"
    with Store.initialise(path, PASSPHRASE, author="Test Author") as store:
        content.attach(store, add_learner(store), write(tmp_path / "cdu.pdf", pdf_bytes(pad=500_000)), kind="idp")
    side = contentfile.path_for(path)
    raw = bytearray(side.read_bytes())
    raw[len(raw) - 70_000] ^= 0xFF   # inside a page of the content
    side.write_bytes(bytes(raw))
    with Store.open(path, PASSPHRASE) as store:
        assert any("Encrypted page check failed" in p for p in check_store(store))
