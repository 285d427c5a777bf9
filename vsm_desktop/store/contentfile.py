"""The attachments' content file beside the store: `NAME.vsm-content` (with its own -wal, -shm).

Attachments' bytes are written once, in bulk, and read whole, unlike records. They are kept in a
second SQLCipher file, attached to the store's connection as `content`, whose pages are 64 KiB
instead of the store's 4 KiB (sixteen times fewer pages to write, sign and checkpoint for the
same bytes) signed with HMAC-SHA256 instead of SHA-512 (which most CPUs compute in hardware):
storing a synced file costs about half as much (benchmarks/bench_attachments.py).
Its tables (`blobs`, `blob_chunks`) are named as before, so SQL on the store's connection reads
them unqualified; nothing else changes for the code that uses them.

Its key is 32 random bytes kept in the store's own encrypted `meta` (`content_key`): the file
opens only through the store, opening it derives no key from the passphrase (the store already
did), and a passphrase change re-keys the store and leaves the content as it is. Recovery by
hand: read `content_key` from the store with `sqlcipher`, then open this file with
`PRAGMA key = "x'<content_key>'"; PRAGMA cipher_page_size = 65536;
PRAGMA cipher_hmac_algorithm = HMAC_SHA256;`.

SQLite commits the two files one after the other (the store first), not as one: code that
writes both (attachments.content.attach) commits the content first, on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import threading
from pathlib import Path

from ..errors import StoreDamaged
from ..i18n import _
from . import connection

log = logging.getLogger(__name__)

SUFFIX = "-content"
SCHEMA = "content"
PAGE_SIZE = 65536
HMAC = "HMAC_SHA256"   # pages' HMAC: SHA-256 has CPU instructions of its own where SHA-512 has none
SIDE_FILES = ("", "-wal", "-shm", "-journal")

TABLES = """
CREATE TABLE IF NOT EXISTS content.blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0,
    missing INTEGER NOT NULL DEFAULT 0,     -- the server no longer has it
    uploaded INTEGER NOT NULL DEFAULT 0,    -- the sync server has it all
    attaching INTEGER                       -- when an attach stored it, until its record is written (epoch s)
);
-- What this file knows of itself: 'lost_at', when it was made empty for a store that had one.
CREATE TABLE IF NOT EXISTS content.notes (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS content.blob_chunks (
    sha256 TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (sha256, seq)
);
"""


def path_for(store_path: Path | str) -> Path:
    return Path(str(store_path) + SUFFIX)


def side_files(store_path: Path | str) -> list[Path]:
    """The content file and the files SQLite keeps beside it."""
    base = str(path_for(store_path))
    return [Path(base + side) for side in SIDE_FILES]


def _in_store(conn, name: str) -> bool:
    return conn.execute("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def attach(conn, store_path: Path | str, *, writable: bool = True, move: bool = True) -> None:
    """Attaches the content file to the store's connection as `content` (made, and its key kept
    in the store, the first time). Without `writable`, an existing content file is attached
    read-only, and none (a store from before it, opened read-only) is an empty one in memory.
    `move`: content an earlier version kept inside the store moves to the content file."""
    path = path_for(store_path)
    row = conn.execute("SELECT value FROM main.meta WHERE key = 'content_key'").fetchone()
    key = row[0] if row else None
    if not writable:
        if key is None or not path.exists():
            conn.execute("ATTACH DATABASE ':memory:' AS content")
            conn.executescript(TABLES)
            return
        immutable = ""
        if not os.access(path.parent, os.W_OK):
            connection.refuse_waiting_wal(path)   # as for the store itself
            immutable = "" if Path(f"{path}-shm").exists() else "&immutable=1"
        _attach_file(conn, f"file:{path.as_posix()}?mode=ro{immutable}", key, path)
        return
    lost = key is not None and not path.exists()
    if key is None:
        key = secrets.token_hex(32)
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process opening this store may have kept its key since we looked: that one counts.
            conn.execute("INSERT OR IGNORE INTO main.meta(key, value) VALUES ('content_key', ?)", (key,))
            key = conn.execute("SELECT value FROM main.meta WHERE key = 'content_key'").fetchone()[0]
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    new = not path.exists() or path.stat().st_size == 0
    if new:
        # 0600 before the first byte, as the store itself.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    _attach_file(conn, f"file:{path.as_posix()}?mode=rw", key, path)
    if new:
        conn.execute("PRAGMA content.journal_mode = WAL")
    conn.execute("PRAGMA content.synchronous = FULL")
    conn.executescript(TABLES)
    if lost:
        # The store had a content file and it is not beside it (the store was copied, moved or
        # renamed without it): an empty one is made so that the records open, and this is kept
        # so that nothing is lost silently (`check` says so).
        log.info("the store's content file was missing; an empty one was made")
        # Kept in the new content file, not the store: opening must not write to the store
        # (a damaged one is left exactly as it was found).
        conn.execute("INSERT OR REPLACE INTO content.notes(key, value) VALUES ('lost_at', ?)",
                     (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),))
    if move and _in_store(conn, "blob_chunks"):
        _move_from_store(conn)


# SQLCipher reads an attached file as soon as it is attached, with its default settings, which
# are process-wide: set for the ATTACH alone, under a lock. Every store connection names its own
# (connection.connect), so none opened meanwhile depends on the defaults.
_DEFAULTS = threading.Lock()


def _attach_file(conn, uri: str, key: str, path: Path) -> None:
    with _DEFAULTS:
        conn.execute(f"PRAGMA cipher_default_page_size = {PAGE_SIZE}")
        conn.execute(f"PRAGMA cipher_default_hmac_algorithm = {HMAC}")
        try:
            conn.execute("ATTACH DATABASE ? AS content KEY ?", (uri, f"x'{key}'"))
        except Exception as e:
            if getattr(e, "sqlite_errorname", "") == "SQLITE_NOTADB":
                raise StoreDamaged(_("{path} is damaged or does not belong to this store.").format(path=path)) from None
            raise
        finally:
            conn.execute(f"PRAGMA cipher_default_page_size = {connection.PAGE_SIZE}")
            conn.execute(f"PRAGMA cipher_default_hmac_algorithm = {connection.HMAC}")


def _move_from_store(conn) -> None:
    """Content stored by an earlier version inside the store itself moves here (then migration
    0013 drops the store's tables). Copied first, committed, and only then dropped: a crash
    in between copies again (nothing is copied twice). Looked for again under the write lock:
    another process opening the store at the same time may have moved it and dropped them."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not _in_store(conn, "blob_chunks"):   # another process opening the store moved it meanwhile
            conn.execute("ROLLBACK")
            return
        conn.execute("INSERT OR IGNORE INTO content.blobs(sha256, size, complete, missing, uploaded)"
                     " SELECT sha256, size, complete, missing, uploaded FROM main.blobs")
        conn.execute("INSERT OR IGNORE INTO content.blob_chunks(sha256, seq, data)"
                     " SELECT sha256, seq, data FROM main.blob_chunks")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
