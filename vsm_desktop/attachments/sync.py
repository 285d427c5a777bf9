"""Attachments' content to and from the sync server, after the records (vsm_desktop.sync.engine).

Content is moved in chunks of `TRANSFER` bytes by raw-bytes requests on the sync's one keep-alive
session: four of the store's chunks make one. Downloads are fetched by a thread of their own a
couple of transfers ahead of the store's writes (into its content file, vsm_desktop.store.contentfile).
Each transfer fetched is written in its own transaction, so an interrupted sync resumes with the
next one and never stores a chunk twice;
the whole file's SHA-256 is checked as the last chunk is written, and a file whose bytes do not
match is deleted at once (ServerError, exit 10). A file the server no longer has is marked
missing (the attachment says so) and the sync goes on. Uploads happen once the server has
accepted the attachment's record, so the server can tell whose file it is.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from concurrent.futures import Future
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
        " SELECT 1 FROM attachments a JOIN ops o ON o.record_id = unhex(a.id) AND o.field = '*'"
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
    """While content moves: a small page cache for the content file (content is written once and
    not read back) and commits that do not wait for the disk (a content chunk lost to a power cut
    is fetched again; the store stays consistent)."""
    before = {name: conn.execute(f"PRAGMA content.{name}").fetchone()[0] for name in ("cache_size", "synchronous")}
    conn.execute("PRAGMA content.cache_size = -8192")
    conn.execute("PRAGMA content.synchronous = NORMAL")
    try:
        yield
    finally:
        for name, value in before.items():
            conn.execute(f"PRAGMA content.{name} = {int(value)}")


def _move(store, transport, uploads, downloads, step, stop, result: FilesResult) -> None:
    for sha, size in uploads:
        if stop.is_set():
            return
        if _upload(store, transport, sha, size, step, stop):
            result.sent += 1
    if downloads and not stop.is_set():
        _download_all(store, transport, downloads, step, stop, result)


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


# What the fetching thread hands the writing one, in order, through a short queue.
BEGIN, DATA, OUTCOME, FAILED, END = "begin", "data", "outcome", "failed", "end"
AHEAD = 2   # transfers fetched ahead of the one being written: memory stays a few times TRANSFER


class _Fetcher(threading.Thread):
    """Fetches every wanted file, one after the other, while the store writes what came before:
    the next file's status and first bytes are on their way while the last one's are written.
    Each file's SHA-256 is computed here, in order, as its bytes arrive (for a resumed file, from
    the digest of the chunks already stored, which the writer hands over). Only the writer
    touches the store."""

    def __init__(self, transport: Transport, jobs: list[tuple[str, int]], halt: threading.Event):
        super().__init__(name="vsm-files", daemon=True)
        self.transport, self.jobs, self.halt = transport, jobs, halt
        self.out: queue.Queue = queue.Queue(AHEAD)

    def put(self, item) -> bool:
        while not self.halt.is_set():
            try:
                self.out.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def run(self) -> None:
        try:
            for sha, here in self.jobs:
                if self.halt.is_set() or not self._one(sha, here):
                    return
            self.put((END,))
        except BaseException as e:   # handed to the writer, which raises it
            self.put((FAILED, e))

    def _one(self, sha: str, here: int) -> bool:
        try:
            answer = _status(self.transport, sha)
        except Refusal as e:
            log.warning("file download refused: %s", e.code)
            return self.put((OUTCOME, sha, content.ARRIVING, None))
        if answer is None or (answer is not GONE and not answer["complete"]):
            return self.put((OUTCOME, sha, content.ARRIVING, None))
        if answer is GONE:
            return self.put((OUTCOME, sha, content.MISSING, None))
        size = answer["size"]
        count = _count(size)
        start = min(here, count - 1)
        prefix: Future = Future()
        if start == 0:
            prefix.set_result(hashlib.sha256())
        if not self.put((BEGIN, sha, size, start, prefix)):
            return False
        digest = prefix.result()
        if digest is None:   # the writer stopped
            return False
        for n in range(start, count):
            if self.halt.is_set():
                return False
            try:
                data = self.transport.get_bytes(_path(sha, n))
            except NotFound:
                return self.put((OUTCOME, sha, content.MISSING, size))
            last = n == count - 1
            good = isinstance(data, bytes) and len(data) == min(TRANSFER, size - n * TRANSFER)
            if good:
                digest.update(data)
            if not self.put((DATA, sha, n, data, digest.hexdigest() if good and last else None)):
                return False
            if not good:
                return False
        return True


def _download_all(store, transport, downloads, step, stop, result: FilesResult) -> None:
    conn = store.conn
    # Whole transfers already here (an interrupted sync): only what follows them is fetched again.
    here = dict(conn.execute("SELECT sha256, count(*) FROM blob_chunks GROUP BY sha256"))
    wanted = dict(downloads)
    halt = threading.Event()
    fetcher = _Fetcher(transport, [(sha, here.get(sha, 0) // PER_TRANSFER) for sha, _size in downloads], halt)
    fetcher.start()
    prefix: Future | None = None
    try:
        size = 0
        while True:
            item = fetcher.out.get()
            kind = item[0]
            if kind == END:
                return
            if kind == FAILED:
                raise item[1]
            if stop.is_set():
                return
            sha = item[1]
            if kind == OUTCOME:
                outcome, known = item[2], item[3]
                if outcome == content.MISSING:
                    outcome = _mark_missing(store, sha, known or wanted[sha])
                step(wanted[sha] if known is None else 0)
                _count_outcome(store, sha, outcome, result)
            elif kind == BEGIN:
                size, start, prefix = item[2], item[3], item[4]
                digest = _begin(store, sha, size, start, hashed=prefix.done())
                if not prefix.done():
                    prefix.set_result(digest)
                step(start * TRANSFER)
            else:
                n, data, digest = item[2], item[3], item[4]
                length = min(TRANSFER, size - n * TRANSFER)
                if not isinstance(data, bytes) or len(data) != length:
                    raise ServerError(_("The server sent an attachment's content with the wrong length; it was not kept."))
                _write(store, sha, n, data, last=n == _count(size) - 1, digest=digest)
                step(length)
                if n == _count(size) - 1:
                    _count_outcome(store, sha, content.HERE, result)
    finally:
        halt.set()
        if prefix is not None and not prefix.done():
            prefix.set_result(None)
        while fetcher.is_alive():   # it may be waiting to hand over a transfer, or for the writer
            try:
                item = fetcher.out.get(timeout=0.1)
                if item[0] == BEGIN and not item[4].done():
                    item[4].set_result(None)
            except queue.Empty:
                pass
        fetcher.join()


def _count_outcome(store, sha: str, outcome: str, result: FilesResult) -> None:
    if outcome in (content.HERE, content.MISSING):
        result.learners.update(r[0] for r in store.conn.execute(
            "SELECT DISTINCT learner_id FROM attachments WHERE sha256 = ?", (sha,)))
    if outcome == content.HERE:
        result.fetched += 1
    elif outcome == content.MISSING:
        result.missing += 1
    else:
        result.waiting += 1


def _begin(store, sha: str, size: int, start: int, *, hashed: bool):
    """Keeps the first `start` whole transfers of a file (what an interrupted sync stored) and
    returns the digest of their bytes, from which the fetcher goes on (unless it began afresh)."""
    conn = store.conn
    with store.transaction():
        if _complete(conn, sha):    # attached here meanwhile: what is here is whole, keep it
            return None if hashed else hashlib.sha256()   # the fetcher goes on; its writes are skipped
        conn.execute("INSERT INTO blobs(sha256, size, complete, missing) VALUES (?, ?, 0, 0)"
                     " ON CONFLICT(sha256) DO UPDATE SET size = excluded.size, missing = 0", (sha, size))
        conn.execute("DELETE FROM blob_chunks WHERE sha256 = ? AND seq >= ?", (sha, start * PER_TRANSFER))
    if hashed:
        return None
    digest = hashlib.sha256()
    for data in content.chunks_unchecked(conn, sha):
        digest.update(data)
    return digest


def _write(store, sha: str, n: int, data: bytes, *, last: bool, digest: str | None) -> None:
    """One transfer in one transaction (an interrupted sync resumes after it); the last one only
    if the whole file's hash matches, else the file is deleted and refused."""
    conn = store.conn
    matches = not last or digest == sha
    view = memoryview(data)
    with store.transaction():
        if _complete(conn, sha):    # attached here while it downloaded: the rest is not needed
            return
        if matches:
            conn.executemany("INSERT INTO blob_chunks(sha256, seq, data) VALUES (?, ?, ?)",
                             [(sha, n * PER_TRANSFER + k, view[k * content.CHUNK:(k + 1) * content.CHUNK])
                              for k in range(-(-len(data) // content.CHUNK))])
            if last:
                conn.execute("UPDATE blobs SET complete = 1, uploaded = 1 WHERE sha256 = ?", (sha,))
        else:
            conn.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (sha,))
            conn.execute("DELETE FROM blobs WHERE sha256 = ?", (sha,))
    if not matches:
        log.warning("file refused: its bytes do not match its hash")
        raise ServerError(_("The server sent an attachment whose content does not match its fingerprint "
                            "(SHA-256); it was not kept. Tell your IT team."))


def _complete(conn, sha: str) -> bool:
    row = conn.execute("SELECT complete FROM blobs WHERE sha256 = ?", (sha,)).fetchone()
    return bool(row and row[0])


def _mark_missing(store, sha: str, size: int) -> str:
    with store.transaction():
        if _complete(store.conn, sha):   # the server lost it, but it was attached here meanwhile
            return content.HERE
        store.conn.execute("INSERT INTO blobs(sha256, size, complete, missing) VALUES (?, ?, 0, 1)"
                           " ON CONFLICT(sha256) DO UPDATE SET missing = 1", (sha, size))
        store.conn.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (sha,))
    return content.MISSING
