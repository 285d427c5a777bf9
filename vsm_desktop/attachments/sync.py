"""Attachments' content to and from the sync server, after the records (vsm_desktop.sync.engine).

Content is moved in chunks of `TRANSFER` bytes by raw-bytes requests on the sync's one keep-alive
session: four of the store's chunks make one. Each chunk fetched is written in its own
transaction, so an interrupted sync resumes with the next one and never stores a chunk twice;
the whole file's SHA-256 is checked as the last chunk is written, and a file whose bytes do not
match is deleted at once (ServerError, exit 10). A file the server no longer has is marked
missing (the attachment says so) and the sync goes on. Uploads happen once the server has
accepted the attachment's record, so the server can tell whose file it is.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

from ..errors import ServerError
from ..i18n import _
from ..sync import protocol as P
from ..sync.transport import NotFound, Refusal, Transport
from . import content

log = logging.getLogger(__name__)

PER_TRANSFER = 4
TRANSFER = PER_TRANSFER * content.CHUNK


@dataclass
class FilesResult:
    sent: int = 0
    fetched: int = 0
    missing: int = 0
    waiting: int = 0        # not on the server yet (the device that added it has not synced it)
    learners: set = field(default_factory=set)   # whose files arrived or went missing (pages to refresh)


def _count(size: int) -> int:
    return max(1, -(-size // TRANSFER))


def transfer(store, transport: Transport, report: Callable, stop: threading.Event) -> FilesResult:
    from ..sync.engine import Progress

    result = FilesResult()
    content.purge_unreferenced(store)
    conn = store.conn
    uploads = conn.execute(
        "SELECT b.sha256, b.size FROM blobs b WHERE b.complete = 1 AND b.uploaded = 0 AND EXISTS ("
        " SELECT 1 FROM attachments a JOIN ops o ON o.record_id = a.id AND o.field = '*'"
        " WHERE a.sha256 = b.sha256 AND coalesce(a.deleted, 0) = 0 AND o.server_seq IS NOT NULL)"
        " ORDER BY b.sha256").fetchall()
    downloads = content.wanted(conn)
    total = sum(size for _sha, size in uploads) + sum(size for _sha, size in downloads)
    moved = [0]

    def step(n: int) -> None:
        moved[0] += n
        report(Progress("files", moved[0], total))

    if not total:
        return result
    report(Progress("files", 0, total))
    with _bulk(conn):
        _move(store, transport, uploads, downloads, step, stop, result)
    log.info("files: sent=%d fetched=%d missing=%d waiting=%d", result.sent, result.fetched, result.missing,
             result.waiting)
    return result


@contextmanager
def _bulk(conn):
    """While content moves: a small page cache (content is written once and not read back, so it
    need not stay in memory), commits that do not wait for the disk (a content chunk lost to a
    power cut is fetched again; the store stays consistent) and fewer checkpoints."""
    before = {name: conn.execute(f"PRAGMA {name}").fetchone()[0]
              for name in ("cache_size", "synchronous", "wal_autocheckpoint")}
    conn.execute("PRAGMA cache_size = -8192")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA wal_autocheckpoint = 8192")
    try:
        yield
    finally:
        for name, value in before.items():
            conn.execute(f"PRAGMA {name} = {int(value)}")


def _move(store, transport, uploads, downloads, step, stop, result: FilesResult) -> None:
    for sha, size in uploads:
        if stop.is_set():
            return
        if _upload(store, transport, sha, size, step, stop):
            result.sent += 1
    for sha, size in downloads:
        if stop.is_set():
            return
        outcome = _download(store, transport, sha, size, step, stop)
        if outcome in (content.HERE, content.MISSING):
            result.learners.update(r[0] for r in store.conn.execute(
                "SELECT DISTINCT learner_id FROM attachments WHERE sha256 = ?", (sha,)))
        if outcome == content.HERE:
            result.fetched += 1
        elif outcome == content.MISSING:
            result.missing += 1
        else:
            result.waiting += 1


def _path(sha: str, seq: int | None = None) -> str:
    return f"/v1/files/{sha}" + ("" if seq is None else f"/chunks/{seq}")


GONE = {"gone": True}


def _status(transport: Transport, sha: str) -> dict | None:
    """What the server has: None when no device has sent the file yet, GONE when it had it once."""
    try:
        answer = transport.get_json(_path(sha))
    except NotFound as e:
        return GONE if e.gone else None
    if not isinstance(answer, dict) or answer.get("chunk_size") != TRANSFER or not isinstance(answer.get("size"), int):
        raise ServerError(_("The server's answer could not be read (HTTP {status}); nothing was changed.").format(
            status=200))
    return answer


def _upload(store, transport: Transport, sha: str, size: int, step, stop) -> bool:
    try:
        answer = _status(transport, sha)
    except Refusal as e:
        log.info("file upload refused before it began: %s", e.code)   # e.g. its record was held
        return False
    if answer is GONE:
        answer = None   # sent again: this device has it
    have = set(answer["chunks"]) if answer else set()
    if answer and answer["complete"]:
        step(size)
    else:
        for n in range(_count(size)):
            if stop.is_set():
                return False
            length = min(TRANSFER, size - n * TRANSFER)
            if n in have:
                step(length)
                continue
            data = b"".join(bytes(r[0]) for r in store.conn.execute(
                "SELECT data FROM blob_chunks WHERE sha256 = ? AND seq >= ? AND seq < ? ORDER BY seq",
                (sha, n * PER_TRANSFER, (n + 1) * PER_TRANSFER)))
            try:
                transport.put_bytes(_path(sha, n), data, {P.HEADER_FILE_SIZE: str(size)})
            except Refusal as e:
                log.warning("file upload refused: %s", e.code)   # too large for the server, or not in scope
                return False
            step(length)
    with store.transaction():
        store.conn.execute("UPDATE blobs SET uploaded = 1 WHERE sha256 = ?", (sha,))
    return True


def _download(store, transport: Transport, sha: str, size: int, step, stop) -> str:
    conn = store.conn
    try:
        answer = _status(transport, sha)
    except Refusal as e:
        log.warning("file download refused: %s", e.code)
        return content.ARRIVING
    if answer is None:
        step(size)
        return content.ARRIVING
    if answer is GONE:
        step(size)
        return _mark_missing(store, sha, size)
    if not answer["complete"]:
        step(size)
        return content.ARRIVING
    size = answer["size"]
    count = _count(size)
    with store.transaction():
        conn.execute("INSERT INTO blobs(sha256, size, complete, missing) VALUES (?, ?, 0, 0)"
                     " ON CONFLICT(sha256) DO UPDATE SET size = excluded.size, missing = 0", (sha, size))
        here = conn.execute("SELECT count(*) FROM blob_chunks WHERE sha256 = ?", (sha,)).fetchone()[0]
        start = min(here // PER_TRANSFER, count - 1)
        # Only whole transfers are kept: anything after the last one is fetched again.
        conn.execute("DELETE FROM blob_chunks WHERE sha256 = ? AND seq >= ?", (sha, start * PER_TRANSFER))
    digest = hashlib.sha256()
    for data in content.chunks_unchecked(conn, sha):
        digest.update(data)
    step(start * TRANSFER)
    # The next chunk is fetched (and hashed, in order: one worker) while this one is written, so
    # the network, the hash and the disk work together.
    def fetch(n: int) -> bytes:
        data = transport.get_bytes(_path(sha, n))
        if isinstance(data, bytes) and len(data) == min(TRANSFER, size - n * TRANSFER):
            digest.update(data)
        return data

    with ThreadPoolExecutor(1, thread_name_prefix="vsm-files") as pool:
        pending = pool.submit(fetch, start)
        for n in range(start, count):
            try:
                data = pending.result()
            except NotFound:
                return _mark_missing(store, sha, size)
            if stop.is_set():
                return content.ARRIVING
            length = min(TRANSFER, size - n * TRANSFER)
            if not isinstance(data, bytes) or len(data) != length:
                raise ServerError(_("The server sent an attachment's content with the wrong length; it was not kept."))
            last = n == count - 1
            if not last:
                pending = pool.submit(fetch, n + 1)
            matches = not last or digest.hexdigest() == sha
            view = memoryview(data)
            with store.transaction():
                if matches:
                    conn.executemany("INSERT INTO blob_chunks(sha256, seq, data) VALUES (?, ?, ?)",
                                     [(sha, n * PER_TRANSFER + k, view[k * content.CHUNK:(k + 1) * content.CHUNK])
                                      for k in range(-(-len(data) // content.CHUNK))])
                if not matches:
                    conn.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (sha,))
                    conn.execute("DELETE FROM blobs WHERE sha256 = ?", (sha,))
                elif last:
                    conn.execute("UPDATE blobs SET complete = 1, uploaded = 1 WHERE sha256 = ?", (sha,))
            if not matches:
                log.warning("file refused: its bytes do not match its hash")
                raise ServerError(_("The server sent an attachment whose content does not match its fingerprint "
                                    "(SHA-256); it was not kept. Tell your IT team."))
            step(length)
    return content.HERE


def _mark_missing(store, sha: str, size: int) -> str:
    with store.transaction():
        store.conn.execute("INSERT INTO blobs(sha256, size, complete, missing) VALUES (?, ?, 0, 1)"
                           " ON CONFLICT(sha256) DO UPDATE SET missing = 1", (sha, size))
        store.conn.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (sha,))
    return content.MISSING
